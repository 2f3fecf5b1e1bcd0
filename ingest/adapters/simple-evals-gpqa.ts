// simple-evals-ru GPQA-Diamond multiple choice: one file per model run (`results/gpqa/<NN_model>.jsonl`), one line
// per question. Row: item gpqa-<Record ID> (from id "<subdomain>/<Record ID>"), model resolved by the file key
// (e.g. "16_deepseek_v3"; the registry also knows "simple-evals:<display name>"), answer = `pred` (the letter
// gemini-flash-1.5 extracted; "?" = none -> no answer), source_verdict = `is_correct`, meta.subject = coarse GPQA
// domain from the subdomain (ingest/adapters/gpqa.ts). No response text (GPQA text policy).
// Optional inputs: `benches/gpqa.jsonl` (gold letters: row.gold, and a check that is_correct == (pred == target));
// `stats.json` (the source's per-run score: warned when our rows do not reproduce it).
import type { InputFile } from "../../engine/types.js";
import type { CanonicalRow } from "../../core/canonical-table.js";
import { duplicateGuard, modelFields, parseBinary, resolveSourceModel } from "./common.js";
import { gpqaItemId, isGpqaBenchFile, splitSimpleEvalsId } from "./gpqa.js";
import { baseName, isRecord, readJson, readJsonl } from "../read-lines.js";
import type { Adapter, AdapterOptions } from "./types.js";

function readGold(file: InputFile): Map<string, string> {
  const gold = new Map<string, string>();
  for (const { line, value } of readJsonl(file)) {
    const where = `${file.name}: line ${line}`;
    if (!isRecord(value)) throw new Error(`${where}: expected a JSON object`);
    const { recordId } = splitSimpleEvalsId(value.id, where);
    if (typeof value.target !== "string" || !/^[A-D]$/.test(value.target)) throw new Error(`${where}: target: expected a letter A-D`);
    gold.set(recordId, value.target);
  }
  return gold;
}

function readScores(file: InputFile): Map<string, number> {
  const doc = readJson(file);
  const gpqa = isRecord(doc) && isRecord(doc.bench_model_stats) ? doc.bench_model_stats.gpqa : undefined;
  if (!isRecord(gpqa)) throw new Error(`${file.name}: expected bench_model_stats.gpqa`);
  const out = new Map<string, number>();
  for (const [key, s] of Object.entries(gpqa)) if (isRecord(s) && typeof s.score === "number") out.set(key, s.score);
  return out;
}

export const options: AdapterOptions = {};

const simpleEvalsGpqa: Adapter = async (ctx) => {
  let gold: Map<string, string> | undefined;
  let scores: Map<string, number> | undefined;
  const runs: InputFile[] = [];
  for (const f of ctx.files) {
    if (isGpqaBenchFile(f)) gold = readGold(f);
    else if (baseName(f) === "stats.json") scores = readScores(f);
    else runs.push(f);
  }
  if (runs.length === 0) throw new Error("simple-evals-gpqa: no result files (results/gpqa/<NN_model>.jsonl)");
  const check = duplicateGuard();
  const rows: CanonicalRow[] = [];
  let disagree = 0;
  for (const f of runs) {
    const key = baseName(f).replace(/\.jsonl$/, "");
    const m = resolveSourceModel(ctx, "simple-evals", key);
    let correct = 0, n = 0;
    for (const { line, value } of readJsonl(f)) {
      const where = `${f.name}: line ${line}`;
      if (!isRecord(value)) throw new Error(`${where}: expected a JSON object`);
      const { recordId, subject, subdomain } = splitSimpleEvalsId(value.id, where);
      const pred = value.pred;
      if (typeof pred !== "string" || !/^([A-D]|\?)$/.test(pred)) throw new Error(`${where}: pred ${JSON.stringify(pred)}: expected a letter A-D or "?"`);
      const verdict = parseBinary(value.is_correct, `${where}: is_correct`);
      const row: CanonicalRow = {
        task: ctx.task,
        item_id: gpqaItemId(recordId),
        sample: 0,
        ...modelFields(m),
        source_verdict: verdict,
        meta: { subject, subdomain },
      };
      if (pred !== "?") row.answer = pred;
      const g = gold?.get(recordId);
      if (gold && g === undefined) throw new Error(`${where}: question ${recordId} is not in benches/gpqa.jsonl`);
      if (g !== undefined) {
        row.gold = g;
        if ((pred === g ? 1 : 0) !== verdict) disagree++;
      }
      check(row, where);
      rows.push(row);
      correct += verdict;
      n++;
    }
    const score = scores?.get(key);
    if (scores && score === undefined) ctx.warn(`simple-evals-gpqa: ${key} has no score in stats.json`);
    if (score !== undefined && Math.abs(score - correct / n) > 1e-9) {
      ctx.warn(`simple-evals-gpqa: ${key}: accuracy ${correct}/${n} does not reproduce stats.json score ${score}`);
    }
  }
  if (disagree > 0) ctx.warn(`simple-evals-gpqa: is_correct disagrees with pred == target on ${disagree} rows`);
  return rows;
};
export default simpleEvalsGpqa;
