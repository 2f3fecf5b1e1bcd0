// Fast reader of the generic long format (stages/adapters/generic.ts: CSV or JSONL, one row per
// (item, model, sample) with a 0/1 `correct`) for `cofail certify`, reduced straight to one verdict per
// (model, item) under a sample policy. Same rules as the generic adapter + the pool stage (sample policies of
// stages/lib/sample-policy.ts), but streaming and without building CanonicalRow objects: a 100-model x
// 100 000-item file is ten million rows, and per-row objects and schema checks would dominate the run time.
import { createReadStream } from "node:fs";
import { createGunzip } from "node:zlib";
import { StringDecoder } from "node:string_decoder";

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
}

const REQUIRED = ["item_id", "model", "sample", "correct"] as const;

/** Growable per-model cell arrays; what is kept per cell depends on the sample policy. */
function cellStore(policy: CertifySamplePolicy) {
  let capacity = 1024;
  const first: Int32Array[] = []; // "first": lowest sample index seen + 1 (0 = none)
  const verdict: Uint8Array[] = []; // "first": verdict of that sample
  const passes: Uint16Array[] = []; // "majority"/"any"
  const draws: Uint16Array[] = [];
  const seen: Uint32Array[] = []; // duplicate guard: bit s = sample s seen (s < 32)
  const seenHigh = new Set<string>(); // duplicate guard for samples >= 32 (rare)
  const grow = <T extends Int32Array | Uint8Array | Uint16Array | Uint32Array>(a: T, n: number): T => {
    const b = new (a.constructor as new (n: number) => T)(n);
    b.set(a);
    return b;
  };
  const addModel = () => {
    seen.push(new Uint32Array(capacity));
    if (policy === "first") { first.push(new Int32Array(capacity)); verdict.push(new Uint8Array(capacity)); }
    else { passes.push(new Uint16Array(capacity)); draws.push(new Uint16Array(capacity)); }
  };
  const ensure = (items: number) => {
    if (items <= capacity) return;
    while (capacity < items) capacity *= 2;
    for (let m = 0; m < seen.length; m++) {
      seen[m] = grow(seen[m]!, capacity);
      if (policy === "first") { first[m] = grow(first[m]!, capacity); verdict[m] = grow(verdict[m]!, capacity); }
      else { passes[m] = grow(passes[m]!, capacity); draws[m] = grow(draws[m]!, capacity); }
    }
  };
  /** Records one row; returns false for a duplicate (item, model, sample). */
  const add = (m: number, i: number, sample: number, v: 0 | 1): boolean => {
    if (sample < 32) {
      const bit = 1 << sample;
      if (seen[m]![i]! & bit) return false;
      seen[m]![i]! |= bit;
    } else {
      const k = `${m}:${i}:${sample}`;
      if (seenHigh.has(k)) return false;
      seenHigh.add(k);
      seen[m]![i]! |= 0x80000000; // some row exists even if no low sample does
    }
    if (policy === "first") {
      const f = first[m]!;
      if (f[i] === 0 || sample + 1 < f[i]!) { f[i] = sample + 1; verdict[m]![i] = v; }
    } else {
      if (draws[m]![i] === 0xffff) throw new Error(`more than 65535 samples for one (model, item)`);
      draws[m]![i]!++;
      passes[m]![i]! += v;
    }
    return true;
  };
  const finish = (models: number, items: number): Uint8Array[] => {
    const out: Uint8Array[] = [];
    for (let m = 0; m < models; m++) {
      const row = new Uint8Array(items).fill(MISSING);
      for (let i = 0; i < items; i++) {
        if (seen[m]![i] === 0) continue;
        if (policy === "first") row[i] = verdict[m]![i]!;
        // Ties count as right: the pool stage's rule (2 * passes >= draws), LiveCodeBench's convention.
        else if (policy === "majority") row[i] = 2 * passes[m]![i]! >= draws[m]![i]! ? 1 : 0;
        else row[i] = passes[m]![i]! > 0 ? 1 : 0;
      }
      out.push(row);
    }
    return out;
  };
  return { addModel, ensure, add, finish };
}

/** Splits one CSV record (RFC 4180: quoted fields, doubled quotes). */
function splitCsv(line: string): string[] {
  if (!line.includes('"')) return line.split(",");
  const out: string[] = [];
  let field = "";
  let quoted = false;
  for (let k = 0; k < line.length; k++) {
    const c = line[k]!;
    if (quoted) {
      if (c === '"') {
        if (line[k + 1] === '"') { field += '"'; k++; } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") { out.push(field); field = ""; }
    else field += c;
  }
  out.push(field);
  return out;
}

function quoteCount(s: string): number {
  let n = 0;
  for (let k = s.indexOf('"'); k >= 0; k = s.indexOf('"', k + 1)) n++;
  return n;
}

/** Streams a file's logical records: CSV records may span lines inside quotes; JSONL is one per line. */
async function* records(path: string, csv: boolean): AsyncGenerator<{ text: string; line: number }> {
  const stream = path.endsWith(".gz") ? createReadStream(path).pipe(createGunzip()) : createReadStream(path, { highWaterMark: 1 << 20 });
  const decoder = new StringDecoder("utf8");
  let carry = "";
  let line = 0;
  let pending: { text: string; line: number } | undefined;
  const take = (raw: string): { text: string; line: number } | undefined => {
    line++;
    const text = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (!csv) return { text, line };
    if (pending) {
      pending.text += "\n" + text;
      if (quoteCount(pending.text) % 2 === 0) { const r = pending; pending = undefined; return r; }
      return undefined;
    }
    if (text.includes('"') && quoteCount(text) % 2 === 1) { pending = { text, line }; return undefined; }
    return { text, line };
  };
  for await (const chunk of stream) {
    const s = carry + decoder.write(chunk as Buffer);
    let start = 0;
    for (let nl = s.indexOf("\n"); nl >= 0; nl = s.indexOf("\n", start)) {
      const r = take(s.slice(start, nl));
      start = nl + 1;
      if (r) yield r;
    }
    carry = s.slice(start);
  }
  carry += decoder.end();
  if (carry !== "") { const r = take(carry); if (r) yield r; }
  if (pending) throw new Error(`line ${pending.line}: unterminated quoted field`);
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

/** Reads a generic-format results file (CSV, JSONL, optionally .gz) into one verdict per (model, item). */
export async function readGenericVerdicts(path: string, options: ReadOptions): Promise<VerdictTable> {
  const name = path.split("/").pop()!;
  const csv = !/\.jsonl$/i.test(path.replace(/\.gz$/i, ""));
  const store = cellStore(options.samplePolicy);
  const modelIndex = new Map<string, number>();
  const itemIndex = new Map<string, number>();
  const models: string[] = [];
  const items: string[] = [];
  const tasks = new Map<string, number>();
  let header: string[] | undefined;
  let col = { item: -1, model: -1, sample: -1, correct: -1, task: -1 };
  let rows = 0;
  let maxSample = -1;
  for await (const rec of records(path, csv)) {
    const where = () => `${name}: line ${rec.line}`;
    let item: string | undefined, model: string | undefined, task: string | undefined;
    let rawSample: unknown, rawCorrect: unknown;
    if (csv) {
      if (rec.text === "") continue;
      const fields = splitCsv(rec.text);
      if (!header) {
        header = fields.map((f, k) => (k === 0 ? f.replace(/^\uFEFF/, "") : f).trim());
        for (const c of REQUIRED) if (!header.includes(c)) throw new Error(`${name}: header has no column "${c}" (required: ${REQUIRED.join(", ")}; found: ${header.join(", ")})`);
        col = { item: header.indexOf("item_id"), model: header.indexOf("model"), sample: header.indexOf("sample"), correct: header.indexOf("correct"), task: header.indexOf("task") };
        continue;
      }
      item = fields[col.item]; model = fields[col.model]; rawSample = fields[col.sample]; rawCorrect = fields[col.correct];
      task = col.task >= 0 ? fields[col.task] : undefined;
      if (item === "") item = undefined;
      if (model === "") model = undefined;
      if (task === "") task = undefined;
    } else {
      if (rec.text.trim() === "") continue;
      let value: unknown;
      try { value = JSON.parse(rec.text); } catch (e) { throw new Error(`${where()}: invalid JSON: ${(e as Error).message}`); }
      if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error(`${where()}: expected a JSON object with ${REQUIRED.join(", ")}`);
      const o = value as Record<string, unknown>;
      for (const c of REQUIRED) if (!(c in o)) throw new Error(`${where()}: column "${c}": missing (expected ${REQUIRED.join(", ")})`);
      item = asText(o.item_id); model = asText(o.model); task = asText(o.task); rawSample = o.sample; rawCorrect = o.correct;
    }
    if (task !== undefined) {
      tasks.set(task, (tasks.get(task) ?? 0) + 1);
      if (options.task !== undefined && task !== options.task) continue;
    }
    if (item === undefined) throw new Error(`${where()}: column "item_id": empty (expected an item id)`);
    if (model === undefined) throw new Error(`${where()}: column "model": empty (expected a model name)`);
    const sample = parseSample(rawSample);
    if (sample === undefined) throw new Error(`${where()}: column "sample": ${JSON.stringify(rawSample)} is not a non-negative integer`);
    const v = parseVerdict(rawCorrect);
    if (v === undefined) throw new Error(`${where()}: column "correct": ${JSON.stringify(rawCorrect)} is not one of 0, 1, true, false`);
    let m = modelIndex.get(model);
    if (m === undefined) { m = models.length; modelIndex.set(model, m); models.push(model); store.addModel(); }
    let i = itemIndex.get(item);
    if (i === undefined) { i = items.length; itemIndex.set(item, i); items.push(item); store.ensure(items.length); }
    if (!store.add(m, i, sample, v)) throw new Error(`${where()}: duplicate row for item "${item}", model "${model}", sample ${sample}`);
    if (sample > maxSample) maxSample = sample;
    rows++;
  }
  if (csv && !header) throw new Error(`${name}: empty file (expected a CSV header with ${REQUIRED.join(", ")})`);
  if (options.task === undefined && tasks.size > 1) {
    throw new Error(`${name}: rows of ${tasks.size} tasks (${[...tasks.keys()].sort().join(", ")}); choose one with --task`);
  }
  if (rows === 0) throw new Error(`${name}: no rows${options.task !== undefined ? ` for task "${options.task}"` : ""}`);
  const warnings: string[] = [];
  const skipped = options.task !== undefined ? [...tasks].filter(([t]) => t !== options.task).reduce((a, [, n]) => a + n, 0) : 0;
  if (skipped) warnings.push(`skipped ${skipped} rows whose task column is not "${options.task}"`);
  return { models, items, cells: store.finish(models.length, items.length), rows, samples: maxSample + 1, warnings };
}
