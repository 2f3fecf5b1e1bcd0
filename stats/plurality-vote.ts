// Plurality vote over the pool's normalised short answers: a member-output policy, so capped by 1 - beta.

export interface PluralityVoteResult {
  accuracy: number;
  /** Items where two or more answers tied for the most votes (resolved by the rule below). */
  ties: number;
  /** Items where no model gave an answer (counted wrong). */
  abstained: number;
}

/**
 * Per item, each model with an answer votes for it; the answer with the most votes wins.
 * Tie rule: among tied answers, the one given by the most accurate model wins (rows are in accuracy
 * order, ties by name, so this is "the earliest row"): deterministic and what a practitioner would do.
 * The vote is right iff the most accurate model giving the winning answer is right on that item (the
 * verdict belongs to a response, and equal normal forms are graded alike except for grader quirks).
 * An item with no answers at all counts as wrong.
 * @param answers models x items (null = no answer), rows in accuracy order
 * @param correct models x items 0/1, same order
 */
export function pluralityVote(answers: (string | null)[][], correct: number[][]): PluralityVoteResult {
  const M = answers.length;
  const N = M === 0 ? 0 : answers[0].length;
  let right = 0, ties = 0, abstained = 0;
  for (let i = 0; i < N; i++) {
    const votes = new Map<string, { count: number; firstModel: number }>();
    for (let m = 0; m < M; m++) {
      const a = answers[m][i];
      if (a === null) continue;
      const v = votes.get(a);
      if (v) v.count++;
      else votes.set(a, { count: 1, firstModel: m });
    }
    if (votes.size === 0) { abstained++; continue; }
    let best: { count: number; firstModel: number } | undefined;
    let tied = false;
    for (const v of votes.values()) {
      if (!best || v.count > best.count) { best = v; tied = false; }
      else if (v.count === best.count) {
        tied = true;
        if (v.firstModel < best.firstModel) best = v;
      }
    }
    if (tied) ties++;
    right += correct[best!.firstModel][i];
  }
  return { accuracy: N === 0 ? NaN : right / N, ties, abstained };
}
