// Fast reader of the generic long format (ingest/adapters/generic.ts: CSV or JSONL, one row per
// (item, model, sample) with a 0/1 `correct`) for `cofail certify`, reduced straight to one verdict per
// (model, item) under a sample policy. Same rules as the generic adapter + the pool stage (sample policies of
// core/sample-policy.ts), but streaming and without building CanonicalRow objects: a 100-model x
// 100 000-item file is ten million rows, and per-row objects and schema checks would dominate the run time.
import { createReadStream } from "node:fs";
import { createGunzip } from "node:zlib";
import { StringDecoder } from "node:string_decoder";
import { openSync, readSync, closeSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { createInterner, scanCsv, shownHeader, textFormatOf, type Interner, type TextTableFormat } from "../ingest/csv.js";
import { excerpt } from "../engine/types.js";

export type CertifySamplePolicy = "first" | "majority" | "any";

export interface VerdictTable {
  models: string[];
  items: string[];
  /** cells[m][i]: 1 right, 0 wrong, MISSING when model m has no row for item i. */
  cells: Uint8Array[];
  rows: number;
  /** Largest sample index seen + 1. */
  samples: number;
  warnings: string[];
}

export const MISSING = 255;

export interface ReadOptions {
  samplePolicy: CertifySamplePolicy;
  /** Keep only rows whose `task` column equals this; required when the file holds several tasks. */
  task?: string;
  /** CSV, TSV or JSONL; by default told from the content (textFormatOf). */
  format?: TextTableFormat;
  /** The name used in messages (default: the file name). */
  name?: string;
}

/** The first bytes of a file (decompressed when it is gzip), as text, for telling its format. */
export function headText(path: string, bytes = 65536): string {
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.alloc(bytes);
    const n = readSync(fd, buf, 0, bytes, 0);
    let head = buf.subarray(0, n);
    if (head[0] === 0x1f && head[1] === 0x8b) {
      try { head = gunzipSync(head, { finishFlush: 2 /* Z_SYNC_FLUSH: a partial stream */ }); } catch { /* the reader reports it */ }
    }
    return head.toString("utf8");
  } finally {
    closeSync(fd);
  }
}

const REQUIRED = ["item_id", "model", "sample", "correct"] as const;

/**
 * Growable per-model cell arrays: ONE 32-bit word per (model, item), so a row touches one memory location
 * (ten million rows in item-major order visit a different model's array on every row: cache misses dominate).
 *   "first":          (lowest sample index + 1) * 2 + its verdict; 0 = no row yet
 *   "majority"/"any": draws << 16 | passes
 * Duplicate (item, model, sample) rows are caught by the word itself while every row has sample 0; the first
 * row with a higher sample index switches on a per-model bit mask of the samples seen (bit s, s < 32; a set
 * for higher indices), initialised from the words, since every earlier row had sample 0.
 */
function cellStore(policy: CertifySamplePolicy) {
  let capacity = 1024;
  const cells: Uint32Array[] = [];
  let seen: Uint32Array[] | undefined;
  const seenHigh = new Set<string>();
  const grow = (a: Uint32Array, n: number): Uint32Array => {
    const b = new Uint32Array(n);
    b.set(a);
    return b;
  };
  const addModel = () => {
    cells.push(new Uint32Array(capacity));
    seen?.push(new Uint32Array(capacity));
  };
  const ensure = (items: number) => {
    if (items <= capacity) return;
    while (capacity < items) capacity *= 2;
    for (let m = 0; m < cells.length; m++) {
      cells[m] = grow(cells[m]!, capacity);
      if (seen) seen[m] = grow(seen[m]!, capacity);
    }
  };
  const startMasks = () => {
    seen = cells.map((c) => {
      const s = new Uint32Array(capacity);
      for (let i = 0; i < c.length; i++) if (c[i] !== 0) s[i] = 1;
      return s;
    });
  };
  /** Records one row; returns false for a duplicate (item, model, sample). */
  const add = (m: number, i: number, sample: number, v: 0 | 1): boolean => {
    const c = cells[m]!;
    const cur = c[i]!;
    if (!seen) {
      if (sample === 0) {
        if (cur !== 0) return false;
        c[i] = policy === "first" ? 2 + v : 0x10000 + v;
        return true;
      }
      startMasks();
    }
    if (sample < 32) {
      const s = seen![m]!;
      const bit = 1 << sample;
      if (s[i]! & bit) return false;
      s[i]! |= bit;
    } else {
      const k = `${m}:${i}:${sample}`;
      if (seenHigh.has(k)) return false;
      seenHigh.add(k);
    }
    if (policy === "first") {
      if (cur === 0 || sample + 1 < cur >>> 1) c[i] = (sample + 1) * 2 + v;
    } else {
      if (cur >>> 16 === 0xffff) throw new Error("more than 65535 samples for one (model, item)");
      c[i] = cur + 0x10000 + v;
    }
    return true;
  };
  const finish = (models: number, items: number): Uint8Array[] => {
    const out: Uint8Array[] = [];
    for (let m = 0; m < models; m++) {
      const row = new Uint8Array(items).fill(MISSING);
      const c = cells[m]!;
      for (let i = 0; i < items; i++) {
        const w = c[i]!;
        if (w === 0) continue;
        if (policy === "first") row[i] = w & 1;
        // Ties count as right: the pool stage's rule (2 * passes >= draws), LiveCodeBench's convention.
        else if (policy === "majority") row[i] = 2 * (w & 0xffff) >= w >>> 16 ? 1 : 0;
        else row[i] = (w & 0xffff) > 0 ? 1 : 0;
      }
      out.push(row);
    }
    return out;
  };
  return { addModel, ensure, add, finish };
}

/** Streams a JSONL file's lines to a callback (a synchronous callback per line keeps millions of lines cheap). */
async function forEachLine(path: string, onLine: (text: string, line: number) => void): Promise<void> {
  const stream = /\.gz$/i.test(path) ? createReadStream(path).pipe(createGunzip()) : createReadStream(path, { highWaterMark: 1 << 22 });
  const decoder = new StringDecoder("utf8");
  let carry = "";
  let line = 0;
  for await (const chunk of stream) {
    const s = carry + decoder.write(chunk as Buffer);
    let start = 0;
    for (let nl = s.indexOf("\n"); nl >= 0; nl = s.indexOf("\n", start)) {
      const raw = s.slice(start, nl);
      onLine(raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw, ++line);
      start = nl + 1;
    }
    carry = s.slice(start);
  }
  carry += decoder.end();
  if (carry !== "") onLine(carry, ++line);
}

const parseVerdict = (v: unknown): 0 | 1 | undefined => {
  if (v === "1" || v === 1 || v === true) return 1;
  if (v === "0" || v === 0 || v === false) return 0;
  if (typeof v === "string") {
    const t = v.trim().toLowerCase();
    if (t === "1" || t === "true") return 1;
    if (t === "0" || t === "false") return 0;
  }
  return undefined;
};

const parseSample = (v: unknown): number | undefined => {
  if (typeof v === "number") return Number.isInteger(v) && v >= 0 ? v : undefined;
  if (typeof v === "string" && /^\s*\d+\s*$/.test(v)) return Number(v);
  return undefined;
};

const asText = (v: unknown): string | undefined =>
  v === undefined || v === null || v === "" ? undefined : typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : undefined;

/** Reads a generic-format results file (CSV or JSONL, optionally .gz) into one verdict per (model, item). */
export async function readGenericVerdicts(path: string, options: ReadOptions): Promise<VerdictTable> {
  const name = options.name ?? path.split("/").pop()!;
  const format = options.format ?? textFormatOf(headText(path));
  const store = cellStore(options.samplePolicy);
  const modelNames = createInterner();
  const itemNames = createInterner();
  const taskNames = createInterner();
  const taskRows: number[] = [];
  let wantTask = -2; // interned index of options.task once seen; -2 = not seen yet
  let rows = 0;
  let maxSample = -1;
  let knownModels = 0;
  let knownItems = 0;
  const fail = (line: number, message: string): never => { throw new Error(`${name}: line ${line}: ${message}`); };

  /** One row, fields already located; returns without recording when the task does not match. */
  const record = (line: number, m: number, i: number, sample: number, v: 0 | 1) => {
    if (m >= knownModels) { for (; knownModels <= m; knownModels++) store.addModel(); }
    if (i >= knownItems) { knownItems = i + 1; store.ensure(knownItems); }
    if (!store.add(m, i, sample, v)) {
      fail(line, `duplicate row for item "${itemNames.names[i]}", model "${modelNames.names[m]}", sample ${sample}`);
    }
    if (sample > maxSample) maxSample = sample;
    rows++;
  };
  const taskMatches = (t: number): boolean => {
    taskRows[t] = (taskRows[t] ?? 0) + 1;
    if (options.task === undefined) return true;
    if (wantTask === -2 && taskNames.names[t] === options.task) wantTask = t;
    return t === wantTask;
  };

  if (format === "jsonl") {
    await forEachLine(path, (text, line) => {
      if (text.trim() === "") return;
      let value: unknown;
      try { value = JSON.parse(text); } catch (e) { fail(line, `invalid JSON: ${excerpt((e as Error).message, 120)}`); }
      if (typeof value !== "object" || value === null || Array.isArray(value)) fail(line, `expected a JSON object with ${REQUIRED.join(", ")}`);
      const o = value as Record<string, unknown>;
      for (const c of REQUIRED) if (!(c in o)) fail(line, `column "${c}": missing (expected ${REQUIRED.join(", ")})`);
      const task = asText(o.task);
      if (task !== undefined && !taskMatches(internText(taskNames, task))) return;
      const item = asText(o.item_id);
      if (item === undefined) fail(line, `column "item_id": empty (expected an item id)`);
      const model = asText(o.model);
      if (model === undefined) fail(line, `column "model": empty (expected a model name)`);
      const sample = parseSample(o.sample);
      if (sample === undefined) fail(line, `column "sample": ${excerpt(JSON.stringify(o.sample) ?? String(o.sample), 40)} is not a non-negative integer`);
      const v = parseVerdict(o.correct);
      if (v === undefined) fail(line, `column "correct": ${excerpt(JSON.stringify(o.correct) ?? String(o.correct), 40)} is not one of 0, 1, true, false`);
      record(line, internText(modelNames, model!), internText(itemNames, item!), sample!, v!);
    });
  } else {
    let col = { item: -1, model: -1, sample: -1, correct: -1, task: -1 };
    let sawHeader = false;
    await scanCsv(path, {
      header(columns) {
        sawHeader = true;
        for (const c of REQUIRED) if (!columns.includes(c)) throw new Error(`${name}: header has no column "${c}" (required: ${REQUIRED.join(", ")}; found: ${shownHeader(columns)})`);
        col = { item: columns.indexOf("item_id"), model: columns.indexOf("model"), sample: columns.indexOf("sample"), correct: columns.indexOf("correct"), task: columns.indexOf("task") };
      },
      row(r) {
        if (col.task >= 0 && !r.empty(col.task) && !taskMatches(r.intern(col.task, taskNames))) return;
        if (r.empty(col.item)) fail(r.line, `column "item_id": empty (expected an item id)`);
        if (r.empty(col.model)) fail(r.line, `column "model": empty (expected a model name)`);
        const sample = r.int(col.sample);
        if (sample < 0) fail(r.line, `column "sample": "${excerpt(r.text(col.sample), 40)}" is not a non-negative integer`);
        let v: 0 | 1 | undefined;
        const bit = r.int(col.correct);
        if (bit === 0 || bit === 1) v = bit;
        else v = parseVerdict(r.text(col.correct));
        if (v === undefined) fail(r.line, `column "correct": "${excerpt(r.text(col.correct), 40)}" is not one of 0, 1, true, false`);
        record(r.line, r.intern(col.model, modelNames), r.intern(col.item, itemNames), sample, v!);
      },
    }, { fileName: name, delimiter: format === "tsv" ? "\t" : "," });
    if (!sawHeader) throw new Error(`${name}: empty file (expected a ${format.toUpperCase()} header with ${REQUIRED.join(", ")})`);
  }
  const tasks = taskNames.names;
  if (options.task === undefined && tasks.length > 1) {
    throw new Error(`${name}: rows of ${tasks.length} tasks (${[...tasks].sort().join(", ")}); choose one with --task`);
  }
  if (rows === 0) throw new Error(`${name}: no rows${options.task !== undefined ? ` for task "${options.task}" (tasks in the file: ${tasks.join(", ") || "none"})` : ""}`);
  const warnings: string[] = [];
  const skipped = options.task !== undefined ? taskRows.reduce((a, n, t) => a + (t === wantTask ? 0 : n ?? 0), 0) : 0;
  if (skipped) warnings.push(`skipped ${skipped} rows whose task column is not "${options.task}"`);
  const models = modelNames.names.slice();
  const items = itemNames.names.slice();
  return { models, items, cells: store.finish(models.length, items.length), rows, samples: maxSample + 1, warnings };
}

function internText(interner: Interner, text: string): number {
  const b = Buffer.from(text, "utf8");
  return interner.intern(b, 0, b.length);
}
