// `cofail certify` without --adapter: the format of a results file told from its content, never from its name
// alone, with an error that says what was seen (and never echoes binary bytes: at most their hex and a name).
//   zip with header.json (or _journal/start.json)         -> inspect-ai (an Inspect .eval log)
//   parquet (PAR1) in a details column layout              -> lighteval (lighteval / Open LLM Leaderboard details)
//   JSON document: EvalLog {version, eval {task, model}}   -> inspect-ai (a .json log)
//                  {eval: {task_id: [{base_status, ...}]}} -> evalplus;   [{status, ...}] -> bigcodebench
//                  [{instance_id, stats: [...]}] / [{instance_id, predicted_text}] / {adapter_spec} -> helm
//                  {details: ...} or predictions {"0": {origin_prompt, prediction}} -> opencompass
//   JSON lines:    {doc_id, filtered_resps | resps | target} -> lm-eval-harness; {item_id, model, ...} -> generic
//   text table:    CSV or TSV (by its header line)         -> generic
import { closeSync, openSync, readFileSync, readSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { unzipSync } from "fflate";
import { isRecord } from "../ingest/read-lines.js";
import { textFormatOf, type TextTableFormat } from "../ingest/csv.js";
import { detailsLayout, isParquet, parquetFooter } from "../ingest/adapters/lighteval.js";

export interface DetectedFormat {
  adapter: string;
  /** What was seen, for messages ("an Inspect .eval log (zip with header.json)"). */
  seen: string;
  /** For the generic format: how the text is laid out. */
  textFormat?: TextTableFormat;
}

const READ = "CSV/TSV or JSONL (generic, lm-eval-harness), an Inspect AI .eval or .json log, HELM per_instance_stats.json / display_predictions.json, lighteval or Open LLM Leaderboard details .parquet, OpenCompass results .json, EvalPlus / BigCodeBench *_eval_results.json";

const MAGIC: [number[], string][] = [
  [[0x25, 0x50, 0x44, 0x46], "a PDF document"],
  [[0x89, 0x50, 0x4e, 0x47], "a PNG image"],
  [[0xff, 0xd8, 0xff], "a JPEG image"],
  [[0x7f, 0x45, 0x4c, 0x46], "an ELF executable"],
  [[0x53, 0x51, 0x4c, 0x69], "an SQLite database"],
  [[0x28, 0xb5, 0x2f, 0xfd], "zstd-compressed data"],
  [[0x42, 0x5a, 0x68], "bzip2-compressed data"],
  [[0xfd, 0x37, 0x7a, 0x58], "xz-compressed data"],
];

const hex = (b: Uint8Array, n = 8) => Array.from(b.subarray(0, n), (x) => x.toString(16).padStart(2, "0")).join(" ");

function head(path: string, bytes = 65536): Buffer {
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.alloc(bytes);
    return buf.subarray(0, readSync(fd, buf, 0, bytes, 0));
  } finally {
    closeSync(fd);
  }
}

function looksBinary(b: Uint8Array): boolean {
  if (b.includes(0)) return true;
  // Invalid UTF-8 in the head (ignoring a character cut at the end of the window) means not text.
  try { new TextDecoder("utf-8", { fatal: true }).decode(b.subarray(0, Math.max(0, b.length - 4))); return false; } catch { return true; }
}

const keysOf = (o: Record<string, unknown>) => Object.keys(o).slice(0, 8).join(", ") + (Object.keys(o).length > 8 ? ", …" : "");

/** The adapter for a parsed JSON document, or an error naming what it holds. */
export function jsonDocumentFormat(doc: unknown, name: string): DetectedFormat {
  if (Array.isArray(doc)) {
    const first = doc.find(isRecord);
    if (first && typeof first.instance_id === "string" && Array.isArray(first.stats)) return { adapter: "helm", seen: "a HELM per_instance_stats.json" };
    if (first && typeof first.instance_id === "string" && "predicted_text" in first) return { adapter: "helm", seen: "a HELM display_predictions.json" };
    throw new Error(`${name}: a JSON array${first ? ` of objects with keys ${keysOf(first)}` : ""}: not a format certify reads (${READ})`);
  }
  if (!isRecord(doc)) throw new Error(`${name}: a JSON ${typeof doc}: not a format certify reads (${READ})`);
  const ev = doc.eval;
  if (isRecord(ev) && typeof ev.task === "string" && typeof ev.model === "string") return { adapter: "inspect-ai", seen: "an Inspect AI .json log" };
  if (isRecord(ev)) {
    const entry = Object.values(ev)[0];
    const rec = Array.isArray(entry) ? entry.find(isRecord) : undefined;
    if (rec && "base_status" in rec) return { adapter: "evalplus", seen: "EvalPlus eval results" };
    if (rec && "status" in rec) return { adapter: "bigcodebench", seen: "BigCodeBench eval results" };
    if (isRecord(entry) && Array.isArray(entry.base)) return { adapter: "evalplus", seen: "EvalPlus eval results (before 0.2)" };
  }
  if (isRecord(doc.adapter_spec) && typeof doc.name === "string") return { adapter: "helm", seen: "a HELM run_spec.json" };
  if ("details" in doc) return { adapter: "opencompass", seen: "OpenCompass results with details" };
  const values = Object.values(doc);
  if (values.length > 0 && values.every((v) => isRecord(v) && "origin_prompt" in v && "prediction" in v)) return { adapter: "opencompass", seen: "an OpenCompass predictions file" };
  throw new Error(`${name}: a JSON object with keys ${keysOf(doc) || "(none)"}: not a format certify reads (${READ})`);
}

/** The adapter for a JSON-lines record (the first line of the file). */
function jsonLineFormat(rec: Record<string, unknown>, name: string): DetectedFormat {
  if ("doc_id" in rec && ("filtered_resps" in rec || "resps" in rec || "target" in rec)) return { adapter: "lm-eval-harness", seen: "lm-evaluation-harness samples (JSONL)" };
  if ("item_id" in rec || ("model" in rec && "correct" in rec)) return { adapter: "generic", seen: "the generic long format (JSONL)", textFormat: "jsonl" };
  throw new Error(`${name}: JSON lines whose first record has keys ${keysOf(rec) || "(none)"}: neither the generic format (item_id, model, sample, correct) nor lm-evaluation-harness samples (doc_id, filtered_resps, <metric>)`);
}

/** Tells the format of one results file from its content. */
export async function detectFormat(path: string, name: string): Promise<DetectedFormat> {
  let h = head(path);
  if (h.length === 0) throw new Error(`${name}: empty file (0 bytes)`);
  if (h[0] === 0x50 && h[1] === 0x4b && h[2] === 0x03 && h[3] === 0x04) {
    const entries: string[] = [];
    try { unzipSync(readFileSync(path), { filter: (f) => { entries.push(f.name); return false; } }); } catch (e) {
      throw new Error(`${name}: a zip archive that cannot be read (${(e as Error).message})`);
    }
    if (entries.includes("header.json") || entries.includes("_journal/start.json")) return { adapter: "inspect-ai", seen: "an Inspect AI .eval log (zip with header.json)" };
    throw new Error(`${name}: a zip archive (entries: ${entries.slice(0, 6).join(", ")}${entries.length > 6 ? ", …" : ""}) but not an Inspect AI .eval log (no header.json); certify reads ${READ}`);
  }
  if (isParquet(h)) {
    const { columns } = await parquetFooter(readFileSync(path), name);
    if (detailsLayout(columns)) return { adapter: "lighteval", seen: "lighteval / Open LLM Leaderboard details (parquet)" };
    throw new Error(`${name}: a parquet file with columns ${columns.slice(0, 10).join(", ")}${columns.length > 10 ? ", …" : ""}: not a details layout certify reads (lighteval: metrics + example/predictions; lighteval >= 0.10: metric + doc; harness: doc_id + filtered_resps)`);
  }
  let gzip = false;
  if (h[0] === 0x1f && h[1] === 0x8b) {
    gzip = true;
    try { h = gunzipSync(h, { finishFlush: 2 }); } catch (e) { throw new Error(`${name}: gzip data that cannot be decompressed (${(e as Error).message})`); }
  }
  if (looksBinary(h)) {
    const known = MAGIC.find(([m]) => m.every((x, i) => h[i] === x));
    throw new Error(`${name}: binary content${known ? `, ${known[1]}` : ""} (first bytes: ${hex(h)}); certify reads ${READ}`);
  }
  const text = h.toString("utf8").replace(/^\uFEFF/, "");
  const firstLine = text.split(/\r?\n/).find((l) => l.trim() !== "") ?? "";
  const start = text.trimStart()[0];
  if (start === "{" || start === "[") {
    let line: unknown;
    try { line = JSON.parse(firstLine); } catch { line = undefined; }
    if (isRecord(line) && ("doc_id" in line || "item_id" in line || ("model" in line && "correct" in line))) {
      const f = jsonLineFormat(line, name);
      if (gzip && f.adapter !== "generic") throw new Error(`${name}: gzip-compressed ${f.seen}: decompress it first (only the generic format is read compressed)`);
      return f;
    }
    if (gzip) throw new Error(`${name}: gzip-compressed JSON: decompress it first (only the generic format is read compressed)`);
    let doc: unknown;
    try { doc = JSON.parse(readFileSync(path, "utf8").replace(/^\uFEFF/, "")); } catch (e) {
      if (isRecord(line)) return jsonLineFormat(line, name);
      throw new Error(`${name}: starts like JSON but is neither a JSON document nor JSON lines (${(e as Error).message})`);
    }
    return jsonDocumentFormat(doc, name);
  }
  const textFormat = textFormatOf(text);
  return { adapter: "generic", seen: `the generic long format (${textFormat.toUpperCase()}${gzip ? ", gzip" : ""})`, textFormat };
}
