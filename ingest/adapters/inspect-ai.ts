// Inspect AI (UK AISI) evaluation logs, both formats `inspect eval` writes (`--log-format eval|json`):
//   `.eval`  a zip archive: header.json (the EvalLog without samples: version, status, eval {task, model, ...},
//            results {scores: [{name, scorer, ...}]}), samples/<id>_epoch_<n>.json (one EvalSample each), summaries
//            and a _journal/ folder (ignored);
//   `.json`  the whole EvalLog in one document, samples under `samples`.
// Source: inspect_ai src/inspect_ai/log/_recorders/eval.py (the zip layout and entry names), log/_log.py (EvalLog,
// EvalSample: id, epoch, target, scores {<scorer>: Score {value, answer, explanation}}, error) and
// scorer/_metric.py (CORRECT "C", INCORRECT "I", PARTIAL "P", NOANSWER "N"; value_to_float).
//
// One row per (sample id, epoch): item `<task>-<id>`, sample index epoch - 1 (epochs are repeated samples).
// Task: option `task`, else eval.task without its package prefix ("inspect_evals/gpqa_diamond" -> "gpqa_diamond").
// Model: option `model`, else eval.model; Inspect writes it "<provider>/<model>" ("openai/gpt-4o-2024-08-06"), so
// the registry is asked for the whole name first, then for what follows each "/".
// Scorer: option `scorer`, else the first of results.scores (else of the first sample's scores), named in a warning
// when the log has several. A scorer whose value is a dict (several metrics) needs option `scoreKey`.
// Verdict: the score value through the mapping C -> 1, I -> 0, N -> 0 (no answer counts as wrong), true/false and
// 0/1 as they are; P (partial credit) or any other value is an error unless option `scoreMap` maps it
// (e.g. "P=0", or "C=1,I=0,N=0,P=1"), which extends and overrides the default mapping.
// A sample with an error and no score is skipped (one warning with the count); a log whose status is not
// "success" draws a warning. answer = the score's `answer` (<= 200 chars), gold = target when it is text; for GPQA
// tasks only single option letters are kept (GPQA policy). Inputs and messages are never read into the table.
import { unzipSync } from "fflate";
import { readFileSync } from "node:fs";
import type { InputFile } from "../../engine/types.js";
import type { CanonicalRow } from "../../core/canonical-table.js";
import { duplicateGuard, modelFields, resolveSourceModel, shortAnswer, stringOption } from "./common.js";
import { isRecord, parseJsonDocument } from "../read-lines.js";
import type { Adapter, AdapterContext, AdapterOptions } from "./types.js";

export const DEFAULT_SCORE_MAP: Readonly<Record<string, 0 | 1>> = { C: 1, I: 0, N: 0 };

export const options: AdapterOptions = {
  scorer: { type: "string", description: "the scorer whose value is the verdict (default: the log's first scorer)" },
  scoreKey: { type: "string", description: "for a scorer whose value is a dict: the key to read" },
  scoreMap: { type: "verdicts", description: 'score value -> 0/1, extending and overriding C=1, I=0, N=0 (e.g. "P=0")' },
  model: { type: "string", description: "model name (default: the log's eval.model)" },
  task: { type: "string", description: "task name in item ids <task>-<sample id> (default: eval.task without its package prefix)" },
};

interface LogParts {
  header: Record<string, unknown>;
  samples: { where: string; value: Record<string, unknown> }[];
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
export const isZip = (b: Uint8Array) => ZIP_MAGIC.every((x, i) => b[i] === x);

function readEvalZip(file: InputFile, bytes: Uint8Array): LogParts {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, { filter: (f) => f.name === "header.json" || f.name === "_journal/start.json" || /^samples\/.+\.json$/.test(f.name) });
  } catch (e) {
    throw new Error(`${file.name}: not a readable zip archive (${(e as Error).message}); an Inspect .eval log is a zip file`);
  }
  const json = (name: string) => parseJsonDocument(new TextDecoder().decode(entries[name]!), `${file.name}: ${name}`);
  const headerName = entries["header.json"] ? "header.json" : entries["_journal/start.json"] ? "_journal/start.json" : undefined;
  if (!headerName) throw new Error(`${file.name}: zip archive without header.json: not an Inspect .eval log`);
  const header = json(headerName);
  if (!isRecord(header)) throw new Error(`${file.name}: ${headerName}: expected a JSON object`);
  const names = Object.keys(entries).filter((n) => n.startsWith("samples/")).sort(sampleOrder);
  const samples = names.map((n) => {
    const value = json(n);
    if (!isRecord(value)) throw new Error(`${file.name}: ${n}: expected a JSON object (an EvalSample)`);
    return { where: `${file.name}: ${n}`, value };
  });
  return { header, samples };
}

/** samples/<id>_epoch_<n>.json in (id, epoch) order, numeric ids numerically, so rows come out in a stable order. */
function sampleOrder(a: string, b: string): number {
  const key = (s: string) => /^samples\/(.+)_epoch_(\d+)\.json$/.exec(s) ?? [s, s, "0"];
  const [, ia, ea] = key(a);
  const [, ib, eb] = key(b);
  const na = Number(ia), nb = Number(ib);
  if (ia !== ib) return Number.isFinite(na) && Number.isFinite(nb) ? na - nb : ia! < ib! ? -1 : 1;
  return Number(ea) - Number(eb);
}

function readJsonLog(file: InputFile, bytes: Uint8Array): LogParts {
  const log = parseJsonDocument(new TextDecoder().decode(bytes).replace(/^\uFEFF/, ""), file.name);
  if (!isRecord(log) || !isRecord(log.eval)) throw new Error(`${file.name}: expected an Inspect EvalLog (a JSON object with "eval" and "samples")`);
  const samples = log.samples;
  if (samples === undefined || samples === null) throw new Error(`${file.name}: the log has no samples (written with --no-log-samples?); per-item verdicts need them`);
  if (!Array.isArray(samples)) throw new Error(`${file.name}: key "samples": expected an array`);
  return {
    header: log,
    samples: samples.map((value, i) => {
      if (!isRecord(value)) throw new Error(`${file.name}: samples[${i}]: expected a JSON object (an EvalSample)`);
      return { where: `${file.name}: samples[${i}]`, value };
    }),
  };
}

export function readInspectLog(file: InputFile): LogParts {
  const bytes = readFileSync(file.path);
  return isZip(bytes) ? readEvalZip(file, bytes) : readJsonLog(file, bytes);
}

/** The registry name for Inspect's "<provider>/<model>" spelling: the whole name, else what follows a "/". */
function modelName(ctx: AdapterContext, raw: string): string {
  const parts = raw.split("/");
  for (let k = 0; k < parts.length; k++) {
    const candidate = parts.slice(k).join("/");
    if (ctx.models.byAlias.has(candidate.toLowerCase())) return candidate;
  }
  return raw;
}

/** The verdict of one score value under the mapping; throws naming the value and how to map it. */
export function scoreVerdict(value: unknown, map: Readonly<Record<string, 0 | 1>>, where: string): 0 | 1 {
  if (typeof value === "string" && Object.hasOwn(map, value)) return map[value]!;
  if (value === true || value === 1) return 1;
  if (value === false || value === 0) return 0;
  if (typeof value === "string" && Object.hasOwn(map, value.trim().toUpperCase())) return map[value.trim().toUpperCase()]!;
  const hint = value === "P" ? ' (P is partial credit: map it with option scoreMap, e.g. "P=0" or "P=1")' : ` (map it with option scoreMap, e.g. "${String(value)}=0")`;
  throw new Error(`${where}: score value ${JSON.stringify(value)} is not a binary verdict under the mapping ${Object.entries(map).map(([k, v]) => `${k}=${v}`).join(",")}${hint}`);
}

const inspectAi: Adapter = async (ctx) => {
  if (ctx.files.length === 0) throw new Error("inspect-ai: no input files");
  const map: Record<string, 0 | 1> = { ...DEFAULT_SCORE_MAP, ...((ctx.options.scoreMap as Record<string, 0 | 1> | undefined) ?? {}) };
  const check = duplicateGuard();
  const rows: CanonicalRow[] = [];
  for (const file of ctx.files) {
    const { header, samples } = readInspectLog(file);
    const ev = isRecord(header.eval) ? header.eval : undefined;
    if (!ev) throw new Error(`${file.name}: header has no "eval" object (not an Inspect log?)`);
    if (typeof header.status === "string" && header.status !== "success") {
      ctx.warn(`${file.name}: log status is "${header.status}" (not success): ${samples.length} samples present`);
    }
    const rawTask = stringOption(ctx, "task") ?? (typeof ev.task === "string" ? ev.task : undefined);
    if (!rawTask) throw new Error(`${file.name}: eval.task missing; set option "task"`);
    const task = stringOption(ctx, "task") ?? rawTask.split("/").pop()!;
    const rawModel = stringOption(ctx, "model") ?? (typeof ev.model === "string" ? ev.model : undefined);
    if (!rawModel) throw new Error(`${file.name}: eval.model missing; set option "model"`);
    const m = resolveSourceModel(ctx, undefined, stringOption(ctx, "model") ?? modelName(ctx, rawModel));
    const gpqa = /gpqa/i.test(task);
    if (samples.length === 0) throw new Error(`${file.name}: no samples in the log`);

    const scorers: string[] = [];
    const results = isRecord(header.results) && Array.isArray(header.results.scores) ? header.results.scores : [];
    for (const s of results) if (isRecord(s) && typeof s.name === "string" && !scorers.includes(s.name)) scorers.push(s.name);
    for (const s of samples) if (isRecord(s.value.scores)) for (const k of Object.keys(s.value.scores)) if (!scorers.includes(k)) scorers.push(k);
    const scorer = stringOption(ctx, "scorer") ?? scorers[0];
    if (scorer === undefined) throw new Error(`${file.name}: no scores in the log (was it scored? run inspect score)`);
    if (!scorers.includes(scorer)) throw new Error(`${file.name}: no scorer "${scorer}" (scorers in the log: ${scorers.join(", ") || "none"})`);
    if (stringOption(ctx, "scorer") === undefined && scorers.length > 1) {
      ctx.warn(`${file.name}: ${scorers.length} scorers (${scorers.join(", ")}); reading "${scorer}", the first — choose another with option scorer`);
    }
    const scoreKey = stringOption(ctx, "scoreKey");
    let errored = 0;
    for (const { where, value: s } of samples) {
      const id = s.id;
      if (!(typeof id === "string" && id !== "") && !(typeof id === "number" && Number.isFinite(id))) throw new Error(`${where}: id: expected a string or number, got ${JSON.stringify(id)}`);
      const epoch = s.epoch ?? 1;
      if (typeof epoch !== "number" || !Number.isInteger(epoch) || epoch < 1) throw new Error(`${where}: epoch: expected an integer >= 1, got ${JSON.stringify(epoch)}`);
      const score = isRecord(s.scores) ? s.scores[scorer] : undefined;
      if (score === undefined || score === null) {
        if (s.error !== undefined && s.error !== null) { errored++; continue; }
        throw new Error(`${where}: no score from scorer "${scorer}" (scores: ${isRecord(s.scores) ? Object.keys(s.scores).join(", ") || "none" : "none"})`);
      }
      if (!isRecord(score)) throw new Error(`${where}: scores.${scorer}: expected a Score object {value, answer, ...}`);
      let v = score.value;
      if (isRecord(v)) {
        if (scoreKey === undefined) throw new Error(`${where}: scores.${scorer}.value is a dict (keys ${Object.keys(v).join(", ")}); choose one with option scoreKey`);
        if (!(scoreKey in v)) throw new Error(`${where}: scores.${scorer}.value has no key "${scoreKey}" (keys ${Object.keys(v).join(", ")})`);
        v = v[scoreKey];
      }
      const verdict = scoreVerdict(v, map, `${where}: scores.${scorer}.value`);
      const row: CanonicalRow = { task: ctx.task, item_id: `${task}-${id}`, sample: epoch - 1, ...modelFields(m), source_verdict: verdict, correct: verdict };
      const letter = (x: string) => /^\(?[A-J]\)?$/.test(x.trim());
      if (typeof score.answer === "string" && score.answer !== "" && (!gpqa || letter(score.answer))) row.answer = shortAnswer(score.answer);
      const target = Array.isArray(s.target) ? s.target[0] : s.target;
      if (typeof target === "string" && target !== "" && (!gpqa || letter(target))) row.gold = shortAnswer(target);
      check(row, where);
      rows.push(row);
    }
    if (errored > 0) ctx.warn(`${file.name}: ${errored} of ${samples.length} samples ended in an error and have no score: skipped`);
  }
  return rows;
};
export default inspectAi;
