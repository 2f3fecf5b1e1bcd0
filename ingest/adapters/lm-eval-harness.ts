// EleutherAI lm-evaluation-harness `--log_samples` output: `<output_path>/<model>/samples_<task>_<date>.jsonl`.
// Source: lm_eval/evaluator.py (evaluate(): with log_samples, for each filter key of the task, for each document, one
// record {doc_id, doc, target, arguments, resps, filtered_resps, filter, metrics: [names], doc_hash, prompt_hash,
// target_hash, <metric>: value, ...}; the records of the task's first filter come first) and docs/interface.md
// (`--log_samples`, `--output_path`). A task with several filters (gsm8k: strict-match, flexible-extract) therefore
// has one line per (doc, filter).
//
// Filter: option `filter`; by default the task's first (primary) filter, the one on the first line, named in a
// warning whenever the file holds more than one. Records without a `filter` field (older harness versions) form one
// filter. Verdict: the metric named by option `metric` (also "metric,filter", the results.json spelling, e.g.
// "exact_match,flexible-extract"); by default the first of acc, exact_match, pass@1 present on the chosen filter's
// first line (the per-document scores of the harness's multiple-choice, generation and code tasks). The value must be
// 0/1 (or true/false): a graded metric such as f1 or bleu is an error, not rounded.
// Model: option `model`, else the directory the file sits in (the harness names it after the model, with "/"
// written "__"), resolved through the registry. Item id: `<task>-<doc_id>` with the task from the file name
// (option `task` overrides). answer = the first filtered response (<= 200 chars); gold = target (<= 200 chars);
// the raw response only with option keepResponse = true. For GPQA tasks no text is kept at all (GPQA policy):
// no response, and answer/gold only when they are a single option letter.
import type { InputFile } from "../../engine/types.js";
import type { CanonicalRow } from "../../core/canonical-table.js";
import { duplicateGuard, modelFields, parseBinary, resolveSourceModel, shortAnswer, stringOption } from "./common.js";
import { baseName, isRecord, readJsonl } from "../read-lines.js";
import type { Adapter, AdapterContext, AdapterOptions } from "./types.js";

export const defaultMetrics = ["acc", "exact_match", "pass@1"] as const;

export const options: AdapterOptions = {
  filter: { type: "string", description: "the harness filter whose records are read (default: the task's first filter, e.g. strict-match for gsm8k)" },
  metric: { type: "string", description: 'the per-document 0/1 metric, or "metric,filter" (default: the first of acc, exact_match, pass@1 present)' },
  model: { type: "string", description: "model name (default: the <model>/ directory the harness wrote, org__name read as org/name)" },
  task: { type: "string", description: "task name in item ids <task>-<doc_id> (default: from samples_<task>_<date>.jsonl)" },
  keepResponse: { type: "boolean", description: "keep the raw response (never for GPQA tasks)" },
};

export function harnessTaskOf(fileName: string): string {
  const m = /^samples_(.+)_(\d{4}-\d{2}-\d{2}T[\d.\-:]+)\.jsonl$/.exec(fileName);
  if (!m) throw new Error(`${fileName}: expected a file named samples_<task>_<date>.jsonl`);
  return m[1]!;
}

function modelOf(ctx: AdapterContext, file: InputFile): string {
  const fromOption = stringOption(ctx, "model");
  if (fromOption !== undefined) return fromOption;
  const parts = file.name.split("/");
  if (parts.length < 2) throw new Error(`${file.name}: cannot tell the model (set option "model", or keep the harness's <model>/ directory)`);
  return parts[parts.length - 2]!.replace(/__/g, "/");
}

function firstString(v: unknown): string | undefined {
  let x = v;
  while (Array.isArray(x)) x = x[0];
  return typeof x === "string" ? x : typeof x === "number" ? String(x) : undefined;
}

/** One harness sample record with where it came from ("file: line n" or "file: row n"). */
export interface HarnessRecord { where: string; value: Record<string, unknown> }

/** The filter and metric options, with "metric,filter" split. */
export function harnessSelection(ctx: AdapterContext): { filter?: string; metric?: string } {
  let metric = stringOption(ctx, "metric");
  let filter = stringOption(ctx, "filter");
  if (metric?.includes(",")) {
    const [m, f] = [metric.slice(0, metric.indexOf(",")), metric.slice(metric.indexOf(",") + 1)];
    if (filter !== undefined && filter !== f) throw new Error(`adapter option metric "${metric}" names filter "${f}" but option filter is "${filter}"`);
    metric = m;
    filter = f;
  }
  return { filter, metric };
}

const metricNames = (r: Record<string, unknown>): string[] =>
  Array.isArray(r.metrics) ? r.metrics.filter((m): m is string => typeof m === "string")
    : Object.keys(r).filter((k) => typeof r[k] === "number" && k !== "doc_id");

/**
 * Canonical rows of one file's harness records (lm-eval JSONL lines, or rows of an Open LLM Leaderboard details
 * parquet, which has the same fields): keeps the chosen filter, reads the chosen metric.
 */
export function harnessRows(
  ctx: AdapterContext, label: string, records: HarnessRecord[],
  at: { task: string; model: string; check: ReturnType<typeof duplicateGuard> },
): CanonicalRow[] {
  if (records.length === 0) throw new Error(`${label}: no records`);
  const sel = harnessSelection(ctx);
  const filters: string[] = [];
  const filterOf = (r: HarnessRecord) => {
    const f = r.value.filter;
    if (f !== undefined && f !== null && typeof f !== "string") throw new Error(`${r.where}: filter: expected a string, got ${JSON.stringify(f)}`);
    return f ?? "none";
  };
  for (const r of records) { const f = filterOf(r); if (!filters.includes(f)) filters.push(f); }
  const filter = sel.filter ?? filters[0]!;
  if (!filters.includes(filter)) throw new Error(`${label}: no records with filter "${filter}" (filters in the file: ${filters.join(", ")})`);
  if (sel.filter === undefined && filters.length > 1) {
    ctx.warn(`${label}: ${filters.length} filters (${filters.join(", ")}); reading "${filter}", the task's first — choose another with option filter`);
  }
  const kept = records.filter((r) => filterOf(r) === filter);
  const first = kept[0]!;
  const metric = sel.metric ?? defaultMetrics.find((k) => k in first.value);
  if (metric === undefined) {
    const present = metricNames(first.value);
    throw new Error(`${first.where}: none of ${defaultMetrics.join(", ")} present${present.length ? ` (metrics: ${present.join(", ")})` : ""}; set option "metric"`);
  }
  const gpqa = /gpqa/i.test(at.task);
  const keepResponse = ctx.options.keepResponse === true;
  const m = resolveSourceModel(ctx, undefined, at.model);
  const rows: CanonicalRow[] = [];
  for (const { where, value } of kept) {
    const docId = value.doc_id;
    if (!(typeof docId === "number" && Number.isInteger(docId)) && !(typeof docId === "bigint") && typeof docId !== "string") {
      throw new Error(`${where}: doc_id: expected an integer or string, got ${JSON.stringify(docId)}`);
    }
    if (!(metric in value)) throw new Error(`${where}: metric field "${metric}" missing`);
    const verdict = parseBinary(value[metric], `${where}: ${metric}`);
    const row: CanonicalRow = {
      task: ctx.task,
      item_id: `${at.task}-${String(docId)}`,
      sample: 0,
      ...modelFields(m),
      source_verdict: verdict,
      correct: verdict,
    };
    const answer = firstString(value.filtered_resps);
    const gold = firstString(value.target);
    const letter = (s: string | undefined) => s !== undefined && /^\(?[A-J]\)?$/.test(s.trim());
    if (answer !== undefined && (!gpqa || letter(answer))) row.answer = shortAnswer(answer);
    if (gold !== undefined && (!gpqa || letter(gold))) row.gold = shortAnswer(gold);
    if (keepResponse && !gpqa) {
      const response = firstString(value.resps);
      if (response !== undefined) row.response = response;
    }
    at.check(row, where);
    rows.push(row);
  }
  return rows;
}

const lmEvalHarness: Adapter = async (ctx) => {
  if (ctx.files.length === 0) throw new Error("lm-eval-harness: no input files");
  const check = duplicateGuard();
  const rows: CanonicalRow[] = [];
  for (const file of ctx.files) {
    const task = stringOption(ctx, "task") ?? harnessTaskOf(baseName(file));
    const records = readJsonl(file).map(({ line, value }) => {
      const where = `${file.name}: line ${line}`;
      if (!isRecord(value)) throw new Error(`${where}: expected a JSON object`);
      return { where, value };
    });
    rows.push(...harnessRows(ctx, file.name, records, { task, model: modelOf(ctx, file), check }));
  }
  return rows;
};
export default lmEvalHarness;
