// The documented generic format for a user's own results: long CSV (RFC 4180), TSV or JSONL, one row per
// (item, model, sample). Required: item_id, model, sample, correct (0/1/true/false). Optional: answer, gold,
// response, provider, task, subject, difficulty. The verdict is taken as final (correct = source_verdict).
// CSV, TSV or JSONL is told by the content (ingest/csv.ts textFormatOf); a .jsonl / .ndjson name is always JSONL.
// Item ids are the user's own and kept verbatim (so a user can align with our ids, e.g. gpqa-<Record ID>).
// A `task` column, when present, selects the rows of this stage's task; other tasks are skipped with a warning.
// A model missing from data/models.yaml is accepted: provider = the file's `provider` column, else "unknown".
import { excerpt, type InputFile } from "../../engine/types.js";
import type { CanonicalRow } from "../../core/canonical-table.js";
import { columnIndex, parseCsv, textFormatOf, type Delimiter } from "../csv.js";
import { duplicateGuard, parseBinary, resolveSourceModel } from "./common.js";
import { isRecord, readJsonl, readText } from "../read-lines.js";
import type { Adapter, AdapterContext, AdapterOptions } from "./types.js";

const required = ["item_id", "model", "sample", "correct"] as const;
const optional = ["answer", "gold", "response", "provider", "task", "subject", "difficulty"] as const;

interface RawRecord {
  where: string;
  get(column: string): unknown;
}

function csvRecords(file: InputFile, text: string, delimiter: Delimiter): RawRecord[] {
  const table = parseCsv(text, file.name, delimiter);
  for (const c of required) columnIndex(table, c, file.name);
  return table.records.map((r) => ({
    where: `${file.name}: line ${r.line}`,
    get: (column: string) => {
      const i = table.header.indexOf(column);
      return i < 0 ? undefined : r.fields[i];
    },
  }));
}

function jsonlRecords(file: InputFile): RawRecord[] {
  return readJsonl(file).map(({ line, value }) => {
    const where = `${file.name}: line ${line}`;
    if (!isRecord(value)) throw new Error(`${where}: expected a JSON object with ${required.join(", ")}`);
    for (const c of required) if (!(c in value)) throw new Error(`${where}: column "${c}": missing (expected ${required.join(", ")})`);
    return { where, get: (column: string) => value[column] };
  });
}

function text(rec: RawRecord, column: string): string | undefined {
  const v = rec.get(column);
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  throw new Error(`${rec.where}: column "${column}": expected text, got ${excerpt(JSON.stringify(v) ?? String(v), 40)}`);
}

function sampleIndex(rec: RawRecord): number {
  const v = rec.get("sample");
  const n = typeof v === "string" && /^\s*\d+\s*$/.test(v) ? Number(v) : v;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0) {
    throw new Error(`${rec.where}: column "sample": "${excerpt(String(v), 40)}" is not a non-negative integer`);
  }
  return n;
}

export function genericRows(ctx: AdapterContext, file: InputFile, check = duplicateGuard()): CanonicalRow[] {
  const content = readText(file);
  // A .jsonl / .ndjson name is JSONL whatever its first line holds (so a bad line gets a JSON error, not a CSV one).
  const format = /\.(jsonl|ndjson)(\.gz)?$/i.test(file.name) ? "jsonl" : textFormatOf(content.slice(0, 65536));
  const records = format === "jsonl" ? jsonlRecords(file) : csvRecords(file, content, format === "tsv" ? "\t" : ",");
  const rows: CanonicalRow[] = [];
  let otherTask = 0;
  for (const rec of records) {
    const task = text(rec, "task");
    if (task !== undefined && task !== ctx.task) { otherTask++; continue; }
    const item = text(rec, "item_id");
    if (item === undefined) throw new Error(`${rec.where}: column "item_id": empty (expected an item id)`);
    const modelName = text(rec, "model");
    if (modelName === undefined) throw new Error(`${rec.where}: column "model": empty (expected a model name)`);
    const m = resolveSourceModel(ctx, undefined, modelName);
    let verdict: 0 | 1;
    try { verdict = parseBinary(rec.get("correct"), rec.where); } catch (e) {
      throw new Error(`${rec.where}: column "correct": "${excerpt(String(rec.get("correct")), 40)}" is not one of 0, 1, true, false`);
    }
    const row: CanonicalRow = {
      task: ctx.task,
      item_id: item,
      model: m.name,
      sample: sampleIndex(rec),
      provider: m.known ? m.provider : (text(rec, "provider") ?? "unknown"),
      source_verdict: verdict,
      correct: verdict,
    };
    if (m.family !== undefined) row.family = m.family;
    for (const c of ["answer", "gold", "response"] as const) {
      const v = text(rec, c);
      if (v !== undefined) row[c] = v;
    }
    const subject = text(rec, "subject");
    const difficulty = text(rec, "difficulty");
    if (subject !== undefined || difficulty !== undefined) {
      row.meta = {};
      if (subject !== undefined) row.meta.subject = subject;
      if (difficulty !== undefined) row.meta.difficulty = difficulty;
    }
    check(row, rec.where);
    rows.push(row);
  }
  if (otherTask > 0) ctx.warn(`${file.name}: skipped ${otherTask} rows whose task column is not "${ctx.task}"`);
  if (rows.length === 0) throw new Error(`${file.name}: no rows for task "${ctx.task}"`);
  return rows;
}

export const options: AdapterOptions = {};

const generic: Adapter = async (ctx) => {
  if (ctx.files.length === 0) throw new Error("generic adapter: no input files");
  const check = duplicateGuard();
  return ctx.files.flatMap((f) => genericRows(ctx, f, check));
};
export default generic;
export const genericColumns = { required, optional };
