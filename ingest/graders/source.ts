// The `source` grader: keep the verdict the source published (or, for ZeroEval, its own rule as
// re-implemented at ingest) as our verdict. Rows without a source verdict are an error: silently
// treating them as wrong would bias every downstream rate.
import type { Grader } from "./types.js";

const grader: Grader = (rows) =>
  rows.map((row) => {
    if (row.source_verdict === undefined) {
      throw new Error(`source grader: row for item "${row.item_id}", model "${row.model}" has no source_verdict`);
    }
    const sourceAnswer = row.meta?.source_answer;
    return {
      ...row,
      correct: row.source_verdict,
      ...(row.answer === undefined && typeof sourceAnswer === "string" ? { answer: sourceAnswer } : {}),
    };
  });
export default grader;
