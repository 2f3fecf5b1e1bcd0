// The one CSV reader (RFC 4180: quoted fields may hold commas, doubled quotes and line breaks; CRLF or LF line
// ends; a UTF-8 byte-order mark is dropped; blank lines are no records). One byte-level scanner serves both uses:
// - `scanCsv(path, handlers)` streams files of millions of rows (`cofail certify` on 100 models x 100 000 items):
//   fields are read straight from the file's bytes and repeated values (model names, item ids) are interned by an
//   FNV-1a hash of their bytes checked against the stored bytes, so a row costs no string allocation at all;
// - `parseCsv(text, fileName)` returns the whole table as strings, for adapters (field counts checked).
// Records without a double quote take the fast path (split at commas); a record with one is parsed character by
// character with RFC 4180's rules, and malformed quoting is an error naming the file and the line.
import { createReadStream } from "node:fs";
import { createGunzip } from "node:zlib";
import { excerpt } from "../engine/types.js";

/** Values of one column seen so far: index <-> bytes <-> string. */
export interface Interner {
  names: string[];
  /** Index of bytes[a, b), adding it if new. */
  intern(buf: Buffer, a: number, b: number): number;
}

export function createInterner(): Interner {
  const names: string[] = [];
  const stored: Buffer[] = [];
  const byHash = new Map<number, number | number[]>();
  let last = -1;
  // successor[k]: the value that followed k last time. Item-major exports cycle through the models in a fixed
  // order, so the successor of the previous value predicts the next one.
  let successor = new Int32Array(64).fill(-1);
  const hitAfter = (k: number): number => {
    if (last >= 0) successor[last] = k;
    return (last = k);
  };
  // Short fields: comparing in JS beats a native Buffer.compare call per row. Backwards, because ids that
  // differ usually differ at the end ("model-041" / "model-042"), so a wrong guess fails at the first byte.
  const same = (k: number, buf: Buffer, a: number, b: number): boolean => {
    const s = stored[k]!;
    if (s.length !== b - a) return false;
    for (let j = s.length - 1; j >= 0; j--) if (s[j] !== buf[a + j]) return false;
    return true;
  };
  return {
    names,
    intern(buf, a, b) {
      // Exports are grouped by item or by model: the previous value is the likeliest.
      if (last >= 0) {
        if (same(last, buf, a, b)) return last;
        const guess = successor[last]!;
        if (guess >= 0 && same(guess, buf, a, b)) return (last = guess);
      }
      let h = 0x811c9dc5;
      for (let j = a; j < b; j++) h = Math.imul(h ^ buf[j]!, 0x01000193);
      h &= 0x3fffffff; // a small integer key keeps the Map lookup on its fast path
      const hit = byHash.get(h);
      if (hit !== undefined) {
        if (typeof hit === "number") {
          if (same(hit, buf, a, b)) return hitAfter(hit);
        } else {
          for (const k of hit) if (same(k, buf, a, b)) return hitAfter(k);
        }
      }
      const k = names.length;
      const copy = Buffer.from(buf.subarray(a, b));
      stored.push(copy);
      names.push(copy.toString("utf8"));
      if (hit === undefined) byHash.set(h, k);
      else byHash.set(h, typeof hit === "number" ? [hit, k] : [...hit, k]);
      if (k >= successor.length) {
        const grown = new Int32Array(successor.length * 2).fill(-1);
        grown.set(successor);
        successor = grown;
      }
      return hitAfter(k);
    },
  };
}

/** One row as the callback sees it; valid only during the callback. */
export interface CsvRow {
  line: number;
  /** Number of fields in this row. */
  fields: number;
  /** True when field k is empty or absent. */
  empty(k: number): boolean;
  text(k: number): string;
  /** Interned index of field k in `interner`. */
  intern(k: number, interner: Interner): number;
  /** Field k as a non-negative integer (surrounding spaces allowed), or -1. */
  int(k: number): number;
}

export interface ScanHandlers {
  /** The first non-blank record, each name trimmed. */
  header(columns: string[]): void;
  row(row: CsvRow): void;
}

export type Delimiter = "," | "\t";

export type TextTableFormat = "csv" | "tsv" | "jsonl";

/**
 * The generic format of a text file by its content, not its name: JSONL when the first non-blank line is a JSON
 * object, else TSV when the header line splits into more fields on tabs than on commas, else CSV.
 */
export function textFormatOf(head: string): TextTableFormat {
  const text = head.charCodeAt(0) === 0xfeff ? head.slice(1) : head;
  const first = text.split(/\r?\n/).find((l) => l.trim() !== "") ?? "";
  if (first.trimStart().startsWith("{")) return "jsonl";
  const tabs = first.split("\t").length, commas = first.split(",").length;
  return tabs > 1 && tabs > commas ? "tsv" : "csv";
}

const COMMA = 44, QUOTE = 34, NL = 10, CR = 13, SPACE = 32, TAB = 9;

/**
 * One record that contains a double quote, RFC 4180 strictly: a quote may open a field only at its start, a closed
 * quoted field must be followed by a comma or the end of the record, `""` inside quotes is one quote.
 */
function parseQuotedRecord(text: string, fileName: string, firstLine: number, delimiter: string): string[] {
  const fields: string[] = [];
  let field = "";
  let inQuotes = false;
  let quotedField = false;
  let line = firstLine;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i++; } else inQuotes = false;
      } else {
        if (c === "\n") line++;
        field += c;
      }
      continue;
    }
    if (c === '"') {
      if (field !== "") throw new Error(`${fileName}: line ${line}: quote inside an unquoted field (RFC 4180 expects the whole field quoted)`);
      inQuotes = true; quotedField = true; continue;
    }
    if (c === delimiter) { fields.push(field); field = ""; quotedField = false; continue; }
    if (c === "\r" && text[i + 1] === "\n") continue;
    if (quotedField) throw new Error(`${fileName}: line ${line}: text after a closing quote (expected ${delimiter === "\t" ? "a tab" : delimiter} or end of line)`);
    field += c;
  }
  fields.push(field);
  return fields;
}

/** The scanner over successive buffers of one file: call push(chunk) for each, then push(rest, true). */
function csvScanner(handlers: ScanHandlers, fileName: string, delimiter: Delimiter = ",") {
  const SEP = delimiter === "\t" ? TAB : COMMA;
  let starts = new Int32Array(64);
  let ends = new Int32Array(64);
  let cur: Buffer = Buffer.alloc(0);
  let nf = 0;
  let line = 0;
  let headerDone = false;
  let atStart = true;
  // Slow-path fields (quoted records), as bytes so interning works the same way.
  let slow: Buffer[] | undefined;
  const row: CsvRow = {
    line: 0,
    fields: 0,
    empty: (k) => (slow ? k >= slow.length || slow[k]!.length === 0 : k >= nf || ends[k]! <= starts[k]!),
    text: (k) => (slow ? (k < slow.length ? slow[k]!.toString("utf8") : "") : k < nf ? cur.toString("utf8", starts[k]!, ends[k]!) : ""),
    intern: (k, interner) => (slow ? interner.intern(slow[k]!, 0, slow[k]!.length) : interner.intern(cur, starts[k]!, ends[k]!)),
    int: (k) => {
      let buf: Buffer, a: number, b: number;
      if (slow) { if (k >= slow.length) return -1; buf = slow[k]!; a = 0; b = buf.length; } else { if (k >= nf) return -1; buf = cur; a = starts[k]!; b = ends[k]!; }
      while (a < b && (buf[a] === SPACE || buf[a] === TAB)) a++;
      while (b > a && (buf[b - 1] === SPACE || buf[b - 1] === TAB)) b--;
      if (a === b || b - a > 15) return -1;
      let v = 0;
      for (let j = a; j < b; j++) {
        const d = buf[j]! - 48;
        if (d < 0 || d > 9) return -1;
        v = v * 10 + d;
      }
      return v;
    },
  };
  const emit = (fields: string[] | undefined, recordLine: number) => {
    if (!headerDone) {
      const cols = fields ?? Array.from({ length: nf }, (_, k) => cur.toString("utf8", starts[k]!, ends[k]!));
      headerDone = true;
      handlers.header(cols.map((c) => c.trim()));
      return;
    }
    slow = fields?.map((f) => Buffer.from(f, "utf8"));
    row.line = recordLine;
    row.fields = slow ? slow.length : nf;
    handlers.row(row);
    slow = undefined;
  };
  /** Scans whole records of buf; returns how many bytes were consumed (the rest waits for more input). */
  const push = (buf: Buffer, final: boolean): number => {
    cur = buf;
    let pos = 0;
    if (atStart) {
      if (buf.length < 3 && !final) return 0;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) pos = 3;
      atStart = false;
    }
    const len = buf.length;
    let q = -2; // position of the next double quote at or after pos (searched once, not once per line)
    while (pos < len) {
      let nl = buf.indexOf(NL, pos);
      if (nl < 0) { if (!final) break; nl = len; }
      if (q !== -1 && q < pos) q = buf.indexOf(QUOTE, pos);
      if (q >= 0 && q < nl) {
        // Quoted record: find its end (a newline outside quotes), possibly several lines on.
        let inQ = false;
        let j = pos;
        for (; j < len; j++) {
          const c = buf[j]!;
          if (c === QUOTE) inQ = !inQ;
          else if (c === NL && !inQ) break;
        }
        if (j >= len && !final) break;
        if (inQ) throw new Error(`${fileName}: line ${line + 1}: unterminated quoted field (file truncated?)`);
        let end = j;
        if (end > pos && buf[end - 1] === CR) end--;
        const text = buf.toString("utf8", pos, end);
        const recordLine = line + 1;
        line += 1 + (text.match(/\n/g)?.length ?? 0);
        emit(parseQuotedRecord(text, fileName, recordLine, delimiter), recordLine);
        pos = j + 1;
        continue;
      }
      line++;
      let end = nl;
      if (end > pos && buf[end - 1] === CR) end--;
      if (end > pos) {
        nf = 0;
        let s = pos;
        for (let j = pos; j < end; j++) {
          if (buf[j] === SEP) {
            if (nf + 1 >= starts.length) { starts = grow(starts); ends = grow(ends); }
            starts[nf] = s; ends[nf] = j; nf++; s = j + 1;
          }
        }
        starts[nf] = s; ends[nf] = end; nf++;
        emit(undefined, line);
      }
      pos = nl + 1;
    }
    return pos;
  };
  return { push, sawHeader: () => headerDone };
}

/** Streams a CSV (or, with delimiter "\t", TSV) file (optionally .gz): header first, then every non-blank record. */
export async function scanCsv(path: string, handlers: ScanHandlers, options: { fileName?: string; delimiter?: Delimiter } = {}): Promise<void> {
  const stream = /\.gz$/i.test(path) ? createReadStream(path).pipe(createGunzip()) : createReadStream(path, { highWaterMark: 1 << 22 });
  const scanner = csvScanner(handlers, options.fileName ?? path, options.delimiter);
  let carry: Buffer | undefined;
  for await (const chunk of stream) {
    const buf = carry && carry.length ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    const used = scanner.push(buf, false);
    carry = used < buf.length ? Buffer.from(buf.subarray(used)) : undefined;
  }
  if (carry && carry.length) scanner.push(carry, true);
}

export interface CsvRecord {
  /** 1-based physical line where the record starts. */
  line: number;
  fields: string[];
}

export interface CsvTable {
  header: string[];
  records: CsvRecord[];
}

/** A whole CSV (or TSV) text as a header and string records; every record must have the header's number of fields. */
export function parseCsv(text: string, fileName: string, delimiter: Delimiter = ","): CsvTable {
  let header: string[] | undefined;
  const records: CsvRecord[] = [];
  const scanner = csvScanner({
    header: (cols) => { header = cols; },
    row: (r) => { records.push({ line: r.line, fields: Array.from({ length: r.fields }, (_, k) => r.text(k)) }); },
  }, fileName, delimiter);
  scanner.push(Buffer.from(text, "utf8"), true);
  if (!header) throw new Error(`${fileName}: empty file (expected a CSV header line)`);
  for (const r of records) {
    if (r.fields.length !== header.length) {
      throw new Error(`${fileName}: line ${r.line}: ${r.fields.length} fields, expected ${header.length} (header: ${shownHeader(header)})`);
    }
  }
  return { header, records };
}

/** Column index by name, or an error naming the file and the columns it does have. */
export function columnIndex(table: CsvTable, name: string, fileName: string): number {
  const i = table.header.indexOf(name);
  if (i < 0) throw new Error(`${fileName}: missing column "${name}" (columns: ${shownHeader(table.header)})`);
  return i;
}

/** A header as an error shows it: at most 12 names, each a short escaped excerpt (never a whole 5 MB line). */
export function shownHeader(header: string[]): string {
  const shown = header.slice(0, 12).map((c) => excerpt(c, 40)).join(", ");
  return header.length > 12 ? `${shown}, … (${header.length} columns)` : shown;
}

function grow(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}
