// Hugging Face lighteval `--save-details` output and Open LLM Leaderboard details: one parquet file per task,
// `<output_dir>/details/<model_name>/<timestamp>/details_<suite|task|fewshot>_<timestamp>.parquet`, read with
// hyparquet (snappy built in; gzip, zstd, brotli, lz4 through hyparquet-compressors).
// Source: lighteval src/lighteval/logging/evaluation_tracker.py (save(): details_{task}_{date}.parquet written by
// datasets' to_parquet from asdict(Detail), columns sorted, `id` dropped) and logging/info_loggers.py
// (DetailsLogger.Detail); docs "Saving and reading results". Three column layouts are read:
//   lighteval <= 0.9 (also Open LLM Leaderboard v1 details): example, full_prompt, predictions, gold, choices,
//     gold_index, metrics {name: score} (a struct, or its Python repr as a string when lighteval fell back to str());
//   lighteval >= 0.10: doc {query, choices, gold_index, id, ...}, model_response {text, ...}, metric {name: score};
//   Open LLM Leaderboard v2 details (lm-evaluation-harness samples as parquet: doc_id, doc, target, resps,
//     filtered_resps[, filter, metrics], <metric> columns): read exactly as lm-eval-harness.ts reads its JSONL, with
//     its `filter` and `metric` options.
//
// Verdict (lighteval layouts): the score named by option `metric`, by default the first of acc, em, exact_match,
// extractive_match, qem, pass@1 present (warned when several are); it must be 0 or 1 (graded scores are an error).
// Item id: `<task>-<id>`; task = option `task`, else the file name's task ("lighteval|gsm8k|0" -> "gsm8k"); id =
// doc.id when the file has one for every row, else the first 16 hex digits of sha256 of the query text (`example`,
// `doc.query`; the text itself is never stored), so the same question pools across models and runs whatever the row
// order; a repeated query gets "~2", "~3" (warned). Model: option `model`, else the path between "details/" and the
// timestamp directory ("details/org/name/<ts>/…" -> "org/name"; "org__name" read as "org/name"); harness layout: the
// parent directory, as lm-eval-harness.ts. answer = the first
// prediction, gold = the first gold (<= 200 chars); for GPQA tasks only option letters.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { InputFile } from "../../engine/types.js";
import type { CanonicalRow } from "../../core/canonical-table.js";
import { duplicateGuard, modelFields, parseBinary, resolveSourceModel, shortAnswer, stringOption } from "./common.js";
import { harnessRows } from "./lm-eval-harness.js";
import { baseName, isRecord } from "../read-lines.js";
import type { Adapter, AdapterContext, AdapterOptions } from "./types.js";

export const DEFAULT_LIGHTEVAL_METRICS = ["acc", "em", "exact_match", "extractive_match", "qem", "pass@1"] as const;

export const options: AdapterOptions = {
  metric: { type: "string", description: `the per-sample 0/1 score (default: the first of ${DEFAULT_LIGHTEVAL_METRICS.join(", ")} present; harness layout: acc, exact_match, pass@1)` },
  filter: { type: "string", description: "harness layout (Open LLM Leaderboard v2) only: the filter whose records are read (default: the first)" },
  task: { type: "string", description: "task name in item ids (default: from details_<suite|task|fewshot>_<timestamp>.parquet)" },
  model: { type: "string", description: "model name (default: the details/<model_name>/<timestamp>/ directories)" },
};

export const PARQUET_MAGIC = "PAR1";
export const isParquet = (b: Uint8Array) => b.length >= 8 && Buffer.from(b.subarray(0, 4)).toString("latin1") === PARQUET_MAGIC;

export type DetailsLayout = "lighteval" | "lighteval-0.10" | "harness";

/** Which of the three layouts a set of top-level column names is, or undefined. */
export function detailsLayout(columns: readonly string[]): DetailsLayout | undefined {
  const has = (c: string) => columns.includes(c);
  if (has("doc_id") && (has("filtered_resps") || has("resps") || has("target"))) return "harness";
  if (has("metric") && (has("doc") || has("model_response"))) return "lighteval-0.10";
  if (has("metrics") && (has("example") || has("full_prompt") || has("predictions"))) return "lighteval";
  return undefined;
}

/** A parquet file's footer: its metadata and top-level column names (the rows are not read). */
export async function parquetFooter(buf: Buffer, name: string) {
  const { parquetMetadata, parquetSchema } = await import("hyparquet");
  const arrayBuffer = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
  try {
    const metadata = parquetMetadata(arrayBuffer);
    return { arrayBuffer, metadata, columns: parquetSchema(metadata).children.map((c) => c.element.name) };
  } catch (e) {
    throw new Error(`${name}: unreadable parquet footer (${(e as Error).message}; truncated?)`);
  }
}

export async function readParquet(file: InputFile): Promise<{ columns: string[]; rows: Record<string, unknown>[] }> {
  const { parquetReadObjects } = await import("hyparquet");
  const { compressors } = await import("hyparquet-compressors");
  const buf = readFileSync(file.path);
  if (!isParquet(buf) || Buffer.from(buf.subarray(buf.length - 4)).toString("latin1") !== PARQUET_MAGIC) {
    throw new Error(`${file.name}: not a parquet file (no PAR1 magic at both ends; truncated?)`);
  }
  const { arrayBuffer, metadata, columns } = await parquetFooter(buf, file.name);
  try {
    const rows = await parquetReadObjects({ file: arrayBuffer, metadata, compressors });
    return { columns, rows: rows as Record<string, unknown>[] };
  } catch (e) {
    throw new Error(`${file.name}: cannot read the parquet data: ${(e as Error).message}`);
  }
}

/** "details_lighteval|gsm8k|0_2024-01-15T10-30-00.123.parquet" -> "gsm8k" (the suite and few-shot parts dropped). */
export function lightevalTaskOf(fileName: string): string | undefined {
  const m = /^details_(.+)_(\d{4}-\d{2}-\d{2}T[\d.\-:]+)\.parquet$/.exec(fileName) ?? /^details_(.+)\.parquet$/.exec(fileName);
  if (!m) return undefined;
  const parts = m[1]!.split("|");
  return parts.length === 3 ? parts[1]! : m[1]!;
}

const TIMESTAMP_DIR = /^\d{4}-\d{2}-\d{2}T[\d.\-:]+$/;

/** The model from details/<model_name>/<timestamp>/file (model_name may hold a "/"), else the parent directory. */
export function lightevalModelOf(name: string): string | undefined {
  const parts = name.split("/");
  parts.pop();
  if (parts.length === 0) return undefined;
  const ts = TIMESTAMP_DIR.test(parts[parts.length - 1]!) ? parts.length - 1 : parts.length;
  const details = parts.lastIndexOf("details", ts - 1);
  const segs = details >= 0 && details < ts - 1 ? parts.slice(details + 1, ts) : parts.slice(Math.max(0, ts - 1), ts);
  if (segs.length === 0) return undefined;
  return segs.join("/").replace(/__/g, "/");
}

/** Harness layout (Open LLM Leaderboard v2 details: <org>__<model>/samples_<task>_<ts>): the parent directory. */
function harnessModelOf(name: string): string | undefined {
  const parts = name.split("/");
  return parts.length >= 2 ? parts[parts.length - 2]!.replace(/__/g, "/") : undefined;
}

/** lighteval's metrics struct, or its Python-repr string form ("{'em': 1.0}"). */
function metricsOf(v: unknown, where: string): Record<string, unknown> {
  if (isRecord(v)) return v;
  if (typeof v === "string") {
    try {
      const parsed: unknown = JSON.parse(v.replace(/'/g, '"').replace(/\bTrue\b/g, "true").replace(/\bFalse\b/g, "false").replace(/\bNone\b/g, "null"));
      if (isRecord(parsed)) return parsed;
    } catch { /* fall through */ }
  }
  throw new Error(`${where}: expected the per-sample metrics as a struct {name: score}, got ${JSON.stringify(v)?.slice(0, 80)}`);
}

const firstText = (v: unknown): string | undefined => {
  let x = v;
  while (Array.isArray(x) && x.length > 0) x = x[0];
  return typeof x === "string" ? x : typeof x === "number" ? String(x) : undefined;
};

function lightevalRows(ctx: AdapterContext, file: InputFile, layout: DetailsLayout, rows: Record<string, unknown>[], at: { task: string; model: string; check: ReturnType<typeof duplicateGuard> }): CanonicalRow[] {
  const metricsCol = layout === "lighteval" ? "metrics" : "metric";
  const recs = rows.map((r, i) => ({ where: `${file.name}: row ${i + 1}`, r, metrics: metricsOf(r[metricsCol], `${file.name}: row ${i + 1}: ${metricsCol}`) }));
  const present = new Set(recs.flatMap((x) => Object.keys(x.metrics)));
  let metric = stringOption(ctx, "metric");
  if (metric !== undefined) {
    if (!present.has(metric)) throw new Error(`${file.name}: no metric "${metric}" (metrics: ${[...present].sort().join(", ")})`);
  } else {
    const found = DEFAULT_LIGHTEVAL_METRICS.filter((k) => present.has(k));
    if (found.length === 0) throw new Error(`${file.name}: none of ${DEFAULT_LIGHTEVAL_METRICS.join(", ")} present (metrics: ${[...present].sort().join(", ")}); set option "metric"`);
    if (found.length > 1) ctx.warn(`${file.name}: metrics ${found.join(", ")} present; reading "${found[0]}" — choose another with option metric`);
    metric = found[0]!;
  }
  const docOf = (r: Record<string, unknown>) => (isRecord(r.doc) ? r.doc : undefined);
  const ids = recs.map((x) => { const id = docOf(x.r)?.id; return typeof id === "string" || typeof id === "number" || typeof id === "bigint" ? String(id) : ""; });
  const useDocId = layout === "lighteval-0.10" && ids.every((id) => id !== "") && new Set(ids).size === ids.length;
  const seen = new Map<string, number>();
  let repeated = 0;
  const gpqa = /gpqa/i.test(at.task);
  const letter = (s: string) => /^\(?[A-J]\)?$/.test(s.trim());
  const m = resolveSourceModel(ctx, undefined, at.model);
  const out: CanonicalRow[] = [];
  recs.forEach(({ where, r, metrics }, i) => {
    let id: string;
    if (useDocId) id = ids[i]!;
    else {
      const query = layout === "lighteval" ? (r.example ?? r.full_prompt) : docOf(r)?.query;
      if (typeof query !== "string") throw new Error(`${where}: no query text (${layout === "lighteval" ? "example" : "doc.query"}) to identify the item; cannot pool it`);
      const h = createHash("sha256").update(query, "utf8").digest("hex").slice(0, 16);
      const n = (seen.get(h) ?? 0) + 1;
      seen.set(h, n);
      if (n > 1) repeated++;
      id = n > 1 ? `${h}~${n}` : h;
    }
    if (!(metric! in metrics)) throw new Error(`${where}: metric "${metric}" missing (metrics: ${Object.keys(metrics).join(", ")})`);
    const verdict = parseBinary(metrics[metric!], `${where}: ${metric}`);
    const row: CanonicalRow = { task: ctx.task, item_id: `${at.task}-${id}`, sample: 0, ...modelFields(m), source_verdict: verdict, correct: verdict };
    const answer = layout === "lighteval" ? firstText(r.predictions) : firstText(isRecord(r.model_response) ? r.model_response.text : undefined);
    const gold = layout === "lighteval" ? firstText(r.gold) : undefined;
    if (answer !== undefined && (!gpqa || letter(answer))) row.answer = shortAnswer(answer);
    if (gold !== undefined && (!gpqa || letter(gold))) row.gold = shortAnswer(gold);
    at.check(row, where);
    out.push(row);
  });
  if (repeated) ctx.warn(`${file.name}: ${repeated} rows repeat an earlier query; their ids carry ~2, ~3, … in row order`);
  return out;
}

const lighteval: Adapter = async (ctx) => {
  if (ctx.files.length === 0) throw new Error("lighteval: no input files");
  const check = duplicateGuard();
  const out: CanonicalRow[] = [];
  for (const file of ctx.files) {
    const { columns, rows } = await readParquet(file);
    const layout = detailsLayout(columns);
    if (!layout) throw new Error(`${file.name}: parquet columns ${columns.join(", ")} are none of the details layouts read (lighteval: metrics + example/predictions; lighteval >= 0.10: metric + doc; harness: doc_id + filtered_resps)`);
    if (rows.length === 0) throw new Error(`${file.name}: no rows`);
    const task = stringOption(ctx, "task") ?? lightevalTaskOf(baseName(file)) ?? (layout === "harness" ? /^samples_(.+)_\d{4}-/.exec(baseName(file))?.[1] : undefined);
    if (!task) throw new Error(`${file.name}: cannot tell the task from the file name (expected details_<task>_<timestamp>.parquet); set option "task"`);
    const model = stringOption(ctx, "model") ?? (layout === "harness" ? harnessModelOf(file.name) : lightevalModelOf(file.name));
    if (!model) throw new Error(`${file.name}: cannot tell the model (set option "model", or keep the details/<model_name>/<timestamp>/ directories)`);
    if (layout === "harness") {
      out.push(...harnessRows(ctx, file.name, rows.map((value, i) => ({ where: `${file.name}: row ${i + 1}`, value })), { task, model, check }));
    } else {
      out.push(...lightevalRows(ctx, file, layout, rows, { task, model, check }));
    }
  }
  return out;
};
export default lighteval;
