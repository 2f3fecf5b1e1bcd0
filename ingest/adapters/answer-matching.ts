// answer-matching (Chandak et al. 2025): free-response GPQA-Diamond, 4 models x 198 questions, each short answer
// graded by two LLM judges and two humans. Rows carry every grader's verdict; `correct` is left to the judges grader.
//
// Inputs (recognised by file name): `gpqa_combined_samples_to_annotate.jsonl` (required: models' extracted
// answers + judge scores); human files `<annotator>_gpqa.jsonl` from `annotation/saves` (round 0),
// `updated_annotation0` (revision 1) and `updated_annotation1` (final); optional `benches/gpqa.jsonl` of
// gpqa-mc-simple-evals-ru for the subject (its ids are "<subdomain>/<Record ID>"; the answer-matching CSVs have no
// subdomain); optional `gpqa-diamond-freeform-filtered.csv` to flag the 126 questions the authors kept as suitable
// for free-form grading (meta.freeform_filtered). `*_gpqa2.jsonl` are derived views and are ignored.
//
// Verdicts: "judge:deepseek-v3" and "judge:qwen2.5-7b" from `score_<judge>` ([1] match / [0] no match);
// "human:<annotator>" from rating_match on the authors' 1-5 scale: >= 4 right, <= 2 wrong, 3 unsure -> null.
// Human revision (option humanRevision: "final" default, "revision1", "round0"): the newest available file up to
// the chosen revision; a cell missing there (question absent or rating null) falls back to the next older
// revision, counted in a warning. The final round re-graded 38 refreshed responses; how many graded responses differ
// from the judged `filtered_resps` is warned, since those human verdicts refer to the refreshed response.
//
// GPQA text policy: rows hold ids, a digest of the extracted short answer (`answer` = core/question-hash.ts textDigest:
// a free-form answer can be an option's or the reference's text) and verdicts only: no response, question, option,
// answer or reference text (the GPQA authors ask that examples not be published).
import type { InputFile } from "../../engine/types.js";
import type { CanonicalRow, Verdict } from "../../core/canonical-table.js";
import { columnIndex, parseCsv } from "../csv.js";
import { duplicateGuard, modelFields, parseBinary, resolveSourceModel, shortAnswer, stringOption } from "./common.js";
import { gpqaItemId, isGpqaBenchFile, readGpqaSubjects, type GpqaSubject } from "./gpqa.js";
import { textDigest } from "../../core/question-hash.js";
import { baseName, isRecord, readJsonl, readText } from "../read-lines.js";
import type { Adapter, AdapterContext, AdapterOptions } from "./types.js";

const judges: Record<string, string> = {
  "score_deepseek-chat-v3-0324": "judge:deepseek-v3",
  "score_qwen-2.5-7b-instruct": "judge:qwen2.5-7b",
};

const revisions = ["round0", "revision1", "final"] as const;
type Revision = (typeof revisions)[number];

function revisionOf(file: InputFile): Revision | undefined {
  if (/(^|\/)updated_annotation1\//.test(file.name)) return "final";
  if (/(^|\/)updated_annotation0\//.test(file.name)) return "revision1";
  if (/(^|\/)annotation\/saves\//.test(file.name)) return "round0";
  return undefined;
}

/** The authors' binarisation of a 1-5 match rating: 4-5 right, 1-2 wrong, 3 unsure. */
export function binariseRating(rating: number): Verdict {
  return rating >= 4 ? 1 : rating <= 2 ? 0 : null;
}

/** Judge score as stored: [1]/[0] (GPQA file) or "1"/"0" (MMLU-Pro file). */
function judgeVerdict(value: unknown, where: string): Verdict {
  const v = Array.isArray(value) ? (value.length === 1 ? value[0] : Symbol.for("bad")) : value;
  if (typeof v === "symbol") throw new Error(`${where}: expected a one-element list [0] or [1], got ${JSON.stringify(value)}`);
  return parseBinary(v, where);
}

interface HumanCell { rating: number | null; response: string }
type HumanFile = Map<string, Map<string, HumanCell>>; // question -> model -> cell

function readHumanFile(file: InputFile): HumanFile {
  const out: HumanFile = new Map();
  for (const { line, value } of readJsonl(file)) {
    const where = `${file.name}: line ${line}`;
    if (!isRecord(value)) throw new Error(`${where}: expected a JSON object`);
    const { question_id: qid, model, rating_match: ratings, response } = value;
    if (typeof qid !== "string") throw new Error(`${where}: question_id: expected a string`);
    if (!Array.isArray(model) || !model.every((m) => typeof m === "string")) throw new Error(`${where}: model: expected a list of model ids`);
    if (!Array.isArray(ratings) || ratings.length !== model.length) throw new Error(`${where}: rating_match: expected a list aligned with model (${model.length})`);
    if (!Array.isArray(response) || response.length !== model.length) throw new Error(`${where}: response: expected a list aligned with model (${model.length})`);
    if (out.has(qid)) throw new Error(`${where}: duplicate question ${qid}`);
    const cells = new Map<string, HumanCell>();
    model.forEach((m, k) => {
      const r = ratings[k];
      if (r !== null && !(Number.isInteger(r) && r >= 1 && r <= 5)) {
        throw new Error(`${where}: rating_match[${k}] ${JSON.stringify(r)} for ${m}: expected an integer 1-5 or null`);
      }
      if (cells.has(m)) throw new Error(`${where}: model ${m} listed twice`);
      cells.set(m, { rating: r as number | null, response: String(response[k] ?? "") });
    });
    out.set(qid, cells);
  }
  return out;
}

function readFilteredIds(file: InputFile): Set<string> {
  const table = parseCsv(readText(file), file.name);
  const col = columnIndex(table, "Record ID", file.name);
  return new Set(table.records.map((r) => r.fields[col]));
}

export function answerMatchingRows(ctx: AdapterContext): CanonicalRow[] {
  const chosen = (stringOption(ctx, "humanRevision") ?? "final") as Revision;
  if (!revisions.includes(chosen)) throw new Error(`answer-matching: option humanRevision must be one of ${revisions.join(", ")}`);

  let samples: InputFile | undefined;
  let subjects: Map<string, GpqaSubject> | undefined;
  let filtered: Set<string> | undefined;
  const humans = new Map<string, Partial<Record<Revision, HumanFile>>>(); // annotator -> revision -> file
  for (const f of ctx.files) {
    const base = baseName(f);
    if (base === "gpqa_combined_samples_to_annotate.jsonl") samples = f;
    else if (isGpqaBenchFile(f)) subjects = readGpqaSubjects(f);
    else if (base === "gpqa-diamond-freeform-filtered.csv") filtered = readFilteredIds(f);
    else if (/_gpqa2\.jsonl$/.test(base)) ctx.warn(`${f.name}: ignored (derived view of the first model only)`);
    else if (/_gpqa\.jsonl$/.test(base)) {
      const rev = revisionOf(f);
      if (rev === undefined) throw new Error(`${f.name}: cannot tell the annotation revision (expected annotation/saves/, updated_annotation0/ or updated_annotation1/ in the path)`);
      const annotator = base.replace(/_gpqa\.jsonl$/, "");
      const byRev = humans.get(annotator) ?? {};
      if (byRev[rev]) throw new Error(`${f.name}: second ${rev} file for annotator ${annotator}`);
      byRev[rev] = readHumanFile(f);
      humans.set(annotator, byRev);
    } else throw new Error(`${f.name}: not an input of the answer-matching adapter (expected gpqa_combined_samples_to_annotate.jsonl, <annotator>_gpqa.jsonl, benches/gpqa.jsonl or gpqa-diamond-freeform-filtered.csv)`);
  }
  if (!samples) throw new Error("answer-matching: missing input gpqa_combined_samples_to_annotate.jsonl");

  const usable = revisions.slice(0, revisions.indexOf(chosen) + 1).reverse(); // newest first
  const fallbacks = new Map<string, number>();
  const refreshed = new Map<string, number>();
  const missingHuman = new Map<string, number>();
  const check = duplicateGuard();
  const rows: CanonicalRow[] = [];
  let missingSubject = 0;

  for (const { line, value } of readJsonl(samples)) {
    const where = `${samples.name}: line ${line}`;
    if (!isRecord(value)) throw new Error(`${where}: expected a JSON object`);
    const { question_id: qid, model, filtered_resps: answer } = value;
    if (typeof qid !== "string" || !/^rec[A-Za-z0-9]+$/.test(qid)) throw new Error(`${where}: question_id ${JSON.stringify(qid)}: expected a GPQA Record ID (rec...)`);
    if (typeof model !== "string") throw new Error(`${where}: model: expected a string`);
    if (typeof answer !== "string") throw new Error(`${where}: filtered_resps: expected a string`);
    const verdicts: Record<string, Verdict> = {};
    for (const [field, name] of Object.entries(judges)) {
      if (!(field in value)) throw new Error(`${where}: missing ${field}`);
      verdicts[name] = judgeVerdict(value[field], `${where}: ${field}`);
    }
    for (const [annotator, byRev] of [...humans].sort(([a], [b]) => a.localeCompare(b))) {
      let cell: HumanCell | undefined;
      let usedRev: Revision | undefined;
      for (const rev of usable) {
        const c = byRev[rev]?.get(qid)?.get(model);
        if (c && c.rating !== null) { cell = c; usedRev = rev; break; }
      }
      const name = `human:${annotator}`;
      if (!cell) { missingHuman.set(name, (missingHuman.get(name) ?? 0) + 1); verdicts[name] = null; continue; }
      if (usedRev !== usable.find((r) => byRev[r])) fallbacks.set(name, (fallbacks.get(name) ?? 0) + 1);
      if (cell.response.trim() !== answer.trim()) refreshed.set(name, (refreshed.get(name) ?? 0) + 1);
      verdicts[name] = binariseRating(cell.rating!);
    }
    const m = resolveSourceModel(ctx, "answer-matching", model);
    const row: CanonicalRow = {
      task: ctx.task,
      item_id: gpqaItemId(qid),
      sample: 0,
      ...modelFields(m),
      answer: textDigest(shortAnswer(answer)),
      verdicts,
    };
    const meta: NonNullable<CanonicalRow["meta"]> = {};
    const subj = subjects?.get(qid);
    if (subj) { meta.subject = subj.subject; meta.subdomain = subj.subdomain; } else if (subjects) missingSubject++;
    if (filtered) meta.freeform_filtered = filtered.has(qid);
    if (Object.keys(meta).length) row.meta = meta;
    check(row, where);
    rows.push(row);
  }
  if (humans.size === 0) ctx.warn("answer-matching: no human annotation files given: rows carry the two LLM judges only");
  for (const [name, n] of fallbacks) ctx.warn(`answer-matching: ${name}: ${n} cells fell back to an older annotation revision than ${chosen}`);
  for (const [name, n] of missingHuman) ctx.warn(`answer-matching: ${name}: ${n} cells have no rating in any revision (verdict null)`);
  for (const [name, n] of refreshed) ctx.warn(`answer-matching: ${name}: ${n} of ${rows.length} human-graded responses differ from the judged filtered_resps (refreshed by the authors); those human verdicts refer to the refreshed response`);
  if (missingSubject > 0) ctx.warn(`answer-matching: ${missingSubject} rows have a question id absent from benches/gpqa.jsonl (no subject)`);
  return rows;
}

export const options: AdapterOptions = {
  humanRevision: { type: "string", values: revisions, description: "which human-revision file to read: final (default), revision1 or round0" },
};

const answerMatching: Adapter = async (ctx) => answerMatchingRows(ctx);
export default answerMatching;
