// What the audit needs from a second, stronger grader: its own answer extraction, its normalization (to group
// answers for the consensus check) and its equivalence test. The math one wraps ingest/graders/math-audit.ts.
export interface StrongerGrader {
  name: string;
  /** The final answer of a stored response, or null when it has no final-answer marker. */
  extract(response: string): string | null;
  /** Canonical form used to group equal answers. */
  normalize(answer: string): string;
  equivalent(answer: string, gold: string): { equivalent: boolean; rule: string };
}
