// Published errata and labels, parsed from their files' text and indexed for lookup by item id or by a hash of the
// item's question (so no benchmark text ever has to be stored in an output). Pure: the stage reads the files.
import { columnIndex, parseCsv } from "../ingest/csv.js";
import { questionSha256 } from "../core/question-hash.js";
import type { ErratumMatch } from "./types.js";

/** One published statement about one item, with how it can be matched to our items. */
export interface Erratum extends Omit<ErratumMatch, "matchedBy"> {
  itemId?: string;
  questionSha256?: string;
  /** GPQA Record ID, matched by stem hash (stemSha256) or by the study's published join table. */
  recordId?: string;
  recordMatchedBy?: "stem-sha256" | "published-join";
}

function parseJson(text: string, fileName: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${fileName}: not valid JSON (${(e as Error).message})`);
  }
}

function arrayOf(doc: unknown, fileName: string, fields: string[]): Record<string, unknown>[] {
  if (!Array.isArray(doc)) throw new Error(`${fileName}: expected a JSON array`);
  return doc.map((x, i) => {
    if (x === null || typeof x !== "object") throw new Error(`${fileName}: entry ${i}: expected an object`);
    for (const f of fields) if (!(f in x)) throw new Error(`${fileName}: entry ${i}: missing key "${f}"`);
    return x as Record<string, unknown>;
  });
}

/** gsm8k-errata/errata.csv: one row per (item, source); `our_item_id` is ZeroEval's GSM8K id. */
export function parseGsm8kErrata(text: string, fileName: string): Erratum[] {
  const t = parseCsv(text, fileName);
  const col = (name: string) => columnIndex(t, name, fileName);
  const [id, ref, corrected, status, note] = [col("our_item_id"), col("source_item_ref"), col("corrected_answer"), col("status"), col("source_note")];
  return t.records.map((r) => {
    const s = r.fields[status]!;
    if (s !== "wrong" && s !== "removed" && s !== "ambiguous") throw new Error(`${fileName}: line ${r.line}: status "${s}", expected wrong, removed or ambiguous`);
    const source = `gsm8k-errata: ${(r.fields[note]!.split(":")[0] ?? "").trim() || "unnamed source"}`;
    return { source, ref: r.fields[ref]!, status: s, correctedAnswer: r.fields[corrected] || null, itemId: r.fields[id]! };
  });
}

/** The question of a prompt that starts with an instruction paragraph ("Solve the problem. ...\n\n<question>"). */
function questionOfPrompt(prompt: string): string {
  const cut = prompt.indexOf("\n\n");
  return cut >= 0 && /^(Solve|Answer)\b/.test(prompt) ? prompt.slice(cut + 2) : prompt;
}

/**
 * co-failure-ceiling-audit: audit/adjudication_result.json (class per qid, the two raters' answers) joined with
 * audit/adjudication_items.json (the full prompt, hashed here and never kept).
 */
export function parseCfcAdjudications(resultText: string, itemsText: string, names: { result: string; items: string }): Erratum[] {
  const items = arrayOf(parseJson(itemsText, names.items), names.items, ["id", "question"]);
  const hashOf = new Map(items.map((it) => [String(it.id), questionSha256(questionOfPrompt(String(it.question)))]));
  return arrayOf(parseJson(resultText, names.result), names.result, ["qid", "class", "A", "B"]).map((r, i) => {
    const qid = String(r.qid);
    const cls = String(r.class);
    if (cls !== "reference error" && cls !== "ambiguous item" && cls !== "genuine co-failure") {
      throw new Error(`${names.result}: entry ${i} (${qid}): class "${cls}", expected reference error, ambiguous item or genuine co-failure`);
    }
    const hash = hashOf.get(qid);
    if (!hash) throw new Error(`${names.result}: entry ${i}: qid ${qid} has no prompt in ${names.items}`);
    // The raters' shared answer is the correction when they agree on one (the rule that made it a reference error).
    const corrected = cls === "reference error" && String(r.A) === String(r.B) ? String(r.A) : null;
    return { source: "co-failure-ceiling-audit: adjudication", ref: qid, status: cls, correctedAnswer: corrected, questionSha256: hash };
  });
}

/**
 * co-failure-ceiling-audit: gpqa_open_v2/items_v2.json labels (KEEP / REWRITE / EXCLUDE with a reason), matched to
 * GPQA Record IDs by the sha256 of the normalized stem against our question file, else through the study's published
 * join table (derived/gpqaopen_to_gpqa_record_id.csv). Stems are hashed in memory and dropped.
 */
export function parseGpqaOpenLabels(
  itemsV2Text: string, joinCsvText: string, recordStems: Map<string, string>,
  names: { items: string; join: string },
): { errata: Erratum[]; byHash: number; byJoin: number; unmatched: string[] } {
  const byStem = new Map<string, string>();
  for (const [record, stemHash] of recordStems) byStem.set(stemHash, record);
  const join = parseCsv(joinCsvText, names.join);
  const [q, rec] = [columnIndex(join, "qid", names.join), columnIndex(join, "gpqa_record_id", names.join)];
  const joined = new Map(join.records.map((r) => [r.fields[q]!, r.fields[rec]!]));
  let byHash = 0, byJoin = 0;
  const unmatched: string[] = [];
  const errata: Erratum[] = [];
  arrayOf(parseJson(itemsV2Text, names.items), names.items, ["qid", "label", "exclude_reason", "stem_v1"]).forEach((it, i) => {
    const qid = String(it.qid);
    const label = String(it.label);
    const reason = it.exclude_reason === null ? null : String(it.exclude_reason);
    let status: Erratum["status"];
    if (label === "KEEP" || label === "REWRITE") status = "keep";
    else if (label === "EXCLUDE" && reason === "option-dependent") status = "option-dependent";
    else if (label === "EXCLUDE" && reason === "non-unique or doubtful gold") status = "doubtful gold";
    else throw new Error(`${names.items}: entry ${i} (${qid}): label "${label}" / exclude_reason "${reason}" not understood`);
    let recordId = byStem.get(questionSha256(String(it.stem_v1)));
    let how: Erratum["recordMatchedBy"] = "stem-sha256";
    if (recordId) byHash++;
    else if ((recordId = joined.get(qid))) { byJoin++; how = "published-join"; }
    if (!recordId) { unmatched.push(qid); return; }
    errata.push({ source: "co-failure-ceiling-audit: GPQA free-response v2 screen", ref: qid, status, correctedAnswer: null, recordId, recordMatchedBy: how });
  });
  return { errata, byHash, byJoin, unmatched };
}

/** GPQA_Questions.csv (Question, Record ID) -> record id -> sha256 of the normalized stem. */
export function gpqaStemHashes(csvText: string, fileName: string): Map<string, string> {
  const t = parseCsv(csvText, fileName);
  const [qc, rc] = [columnIndex(t, "Question", fileName), columnIndex(t, "Record ID", fileName)];
  return new Map(t.records.map((r) => [r.fields[rc]!, questionSha256(r.fields[qc]!)]));
}

/** Errata for one item: by item id (the pool's id ends with the source's), question hash, or GPQA record id. */
export function errataFor(errata: Erratum[], item: string, questionHash: string | undefined): ErratumMatch[] {
  const out: ErratumMatch[] = [];
  const idMatches = (id: string) => item === id || item.endsWith(`-${id}`);
  for (const e of errata) {
    const { itemId, questionSha256: qh, recordId, recordMatchedBy, ...m } = e;
    if (itemId !== undefined && idMatches(itemId)) out.push({ ...m, matchedBy: "item-id" });
    else if (qh !== undefined && questionHash !== undefined && qh === questionHash) out.push({ ...m, matchedBy: "question-sha256" });
    else if (recordId !== undefined && idMatches(recordId)) out.push({ ...m, matchedBy: recordMatchedBy === "published-join" ? "published-join" : "stem-sha256" });
  }
  return out;
}
