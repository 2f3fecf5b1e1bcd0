// The stronger grader for math and GSM8K pools: ingest/graders/math-audit.ts (the MATH normalization, extended, with a
// computer-algebra fallback), seen through the audit's StrongerGrader interface.
import { extractFinalAnswer, mathAnswersEquivalent, normalizeMathAnswer } from "../ingest/graders/math-audit.js";
import type { StrongerGrader } from "./stronger-grader.js";

export const mathStrongerGrader: StrongerGrader = {
  name: "math-audit",
  extract: (response) => extractFinalAnswer(response).answer,
  normalize: normalizeMathAnswer,
  equivalent: (answer, gold) => mathAnswersEquivalent(answer, gold),
};
