// LiveCodeBench/submissions per-sample results (`<model dir>/Scenario.codegeneration_<n>_<T>_eval_all.json`):
// one record per problem with graded_list = per-sample verdicts (true = passed all tests). Row per (problem,
// sample): item lcb-<question_id> (aligned with the leaderboard adapter), source_verdict = graded_list[k],
// meta {difficulty, platform, date}. Model = the directory name (e.g. "O1-Mini-2024-09-12 (N=1)"), resolved with
// the "livecodebench:" qualifier first. `pass@1` must equal the mean of graded_list (error otherwise). Generated
// code stays out of the rows unless option keepCode = true (then `response` = code_list[k]).
import type { CanonicalRow } from "../../core/canonical-table.js";
import { duplicateGuard, modelFields, parseBinary, resolveSourceModel } from "./common.js";
import { isRecord, readJson } from "../read-lines.js";
import type { Adapter, AdapterOptions } from "./types.js";

function isoDate(v: unknown): string | undefined {
  if (typeof v !== "string" && typeof v !== "number") return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString().slice(0, 10);
}

export const options: AdapterOptions = {
  keepCode: { type: "boolean", description: "keep each submission's code as the row's response (default false)" },
};

const livecodebenchSubmissions: Adapter = async (ctx) => {
  if (ctx.files.length === 0) throw new Error("livecodebench-submissions: no input files");
  const keepCode = ctx.options.keepCode === true;
  const check = duplicateGuard();
  const rows: CanonicalRow[] = [];
  for (const file of ctx.files) {
    const parts = file.name.split("/");
    if (parts.length < 2) throw new Error(`${file.name}: cannot tell the model (expected <model dir>/Scenario...json)`);
    const m = resolveSourceModel(ctx, "livecodebench", parts[parts.length - 2]);
    const doc = readJson(file);
    if (!Array.isArray(doc) || doc.length === 0) throw new Error(`${file.name}: expected a non-empty JSON list of problems`);
    doc.forEach((p, i) => {
      const where = `${file.name}: [${i}]`;
      if (!isRecord(p)) throw new Error(`${where}: expected an object`);
      const qid = p.question_id;
      if (typeof qid !== "string" || qid === "") throw new Error(`${where}: question_id: expected a string`);
      const graded = p.graded_list;
      if (!Array.isArray(graded) || graded.length === 0) throw new Error(`${where} (question ${qid}): graded_list: expected a non-empty list`);
      const verdicts = graded.map((g, k) => parseBinary(g, `${where} (question ${qid}): graded_list[${k}]`));
      const pass = p["pass@1"];
      const mean = verdicts.reduce<number>((a, b) => a + b, 0) / verdicts.length;
      if (typeof pass !== "number" || Math.abs(pass - mean) > 1e-9) {
        throw new Error(`${where} (question ${qid}): pass@1 ${JSON.stringify(pass)} is not the mean of graded_list (${mean})`);
      }
      const meta: NonNullable<CanonicalRow["meta"]> = {};
      if (typeof p.difficulty === "string") meta.difficulty = p.difficulty;
      if (typeof p.platform === "string") meta.platform = p.platform;
      const date = isoDate(p.contest_date);
      if (date) meta.date = date;
      const code = Array.isArray(p.code_list) ? p.code_list : [];
      verdicts.forEach((v, k) => {
        const row: CanonicalRow = { task: ctx.task, item_id: `lcb-${qid}`, sample: k, ...modelFields(m), source_verdict: v, meta };
        if (keepCode && typeof code[k] === "string") row.response = code[k];
        check(row, `${where} (question ${qid}), sample ${k}`);
        rows.push(row);
      });
    });
  }
  return rows;
};
export default livecodebenchSubmissions;
