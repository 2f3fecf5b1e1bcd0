// Majority vote over every 3-model ensemble of a pool, the regression of its gain on the triplet's error
// correlation and headroom, and a leave-one-model-out (model-clustered) jackknife for every statistic over
// triplets. Pure numerics: answers are opaque strings, verdicts 0/1, rows in pool (accuracy) order.
//
// The jackknife is local to this module: `stats/jackknife.ts` (issue 11, item 3) did not exist when this was
// written. `jackknifeSe` is the textbook delete-one jackknife (Efron & Tibshirani 1993, ch. 11, eq. 11.5) with
// the model as the deleted unit: a triplet statistic recomputed on the triplets of the pool without model m.

/** One 3-model ensemble: member indices (ascending = best first) and its statistics on the pool's items. */
export interface Triplet {
  members: [number, number, number];
  /** Accuracy of the majority vote (see `tripletVoteAccuracy`). */
  vote: number;
  /** Accuracy of the best member (in-sample). */
  best: number;
  /** vote - best. */
  gain: number;
  /** Mean pairwise phi of the three members' error indicators (NaN if a member has no error variance). */
  rho: number;
  /** (1 - all-three-wrong rate) - best: what an oracle over the triplet could add. */
  headroom: number;
}

/**
 * Majority vote of three members on one item: an answer given by at least two members wins; otherwise (three
 * different answers, or fewer than two answers) the most accurate member that answered decides. Answers are
 * compared as verdict classes: every right answer denotes the gold value, so two right answers agree even when
 * their strings differ ("1/2" and "0.5"); wrong answers agree when their normalised strings are equal. No answer
 * at all counts as wrong. Returns the vote's 0/1 verdict.
 */
export function voteOfThree(answers: readonly (string | null)[], correct: readonly number[]): 0 | 1 {
  const key = (j: number) => (answers[j] === null ? null : correct[j] ? "\u0000right" : answers[j]);
  const k0 = key(0), k1 = key(1), k2 = key(2);
  let winner: string | null = null;
  if (k0 !== null && (k0 === k1 || k0 === k2)) winner = k0;
  else if (k1 !== null && k1 === k2) winner = k1;
  if (winner !== null) return winner === "\u0000right" ? 1 : 0;
  for (let j = 0; j < 3; j++) if (answers[j] !== null) return correct[j] ? 1 : 0;
  return 0;
}

function phi(a: Uint8Array, b: Uint8Array): number {
  const n = a.length;
  let ea = 0, eb = 0, both = 0;
  for (let i = 0; i < n; i++) { ea += a[i]!; eb += b[i]!; both += a[i]! & b[i]!; }
  const pa = ea / n, pb = eb / n, p11 = both / n;
  const den = Math.sqrt(pa * (1 - pa) * pb * (1 - pb));
  return den > 0 ? (p11 - pa * pb) / den : NaN;
}

/**
 * Every 3-subset of the M models (M choose 3 triplets, in lexicographic order of member indices). Member order
 * inside a triplet is pool order, so the first member is the most accurate one (ties by pool order).
 */
export function allTriplets(answers: (string | null)[][], correct: (0 | 1)[][]): Triplet[] {
  const M = correct.length;
  if (M < 3) throw new RangeError(`allTriplets: need at least 3 models, got ${M}`);
  const N = correct[0]!.length;
  const errors = correct.map((row) => Uint8Array.from(row, (v) => 1 - v));
  const acc = correct.map((row) => row.reduce<number>((s, v) => s + v, 0) / N);
  const P: number[][] = Array.from({ length: M }, () => new Array<number>(M).fill(NaN));
  for (let a = 0; a < M; a++) for (let b = a + 1; b < M; b++) P[a]![b] = P[b]![a] = phi(errors[a]!, errors[b]!);
  const out: Triplet[] = [];
  const ans: (string | null)[] = [null, null, null];
  const cor = [0, 0, 0];
  for (let a = 0; a < M; a++) for (let b = a + 1; b < M; b++) for (let c = b + 1; c < M; c++) {
    let right = 0, covered = 0;
    for (let i = 0; i < N; i++) {
      ans[0] = answers[a]![i]!; ans[1] = answers[b]![i]!; ans[2] = answers[c]![i]!;
      cor[0] = correct[a]![i]!; cor[1] = correct[b]![i]!; cor[2] = correct[c]![i]!;
      right += voteOfThree(ans, cor);
      covered += cor[0] | cor[1] | cor[2];
    }
    const best = Math.max(acc[a]!, acc[b]!, acc[c]!);
    const vote = right / N;
    out.push({ members: [a, b, c], vote, best, gain: vote - best, rho: (P[a]![b]! + P[a]![c]! + P[b]![c]!) / 3, headroom: covered / N - best });
  }
  return out;
}

/**
 * Ordinary least squares of y on [1, x_1, ..., x_p] by the normal equations (Gaussian elimination with partial
 * pivoting), with the classical i.i.d. standard errors sqrt(s^2 (X'X)^-1_jj), s^2 = RSS / (n - p - 1).
 */
export function ols(y: readonly number[], xs: readonly (readonly number[])[]): { coef: number[]; se: number[]; r2: number } {
  const n = y.length, p = xs.length + 1;
  if (n <= p) throw new RangeError(`ols: need more than ${p} observations, got ${n}`);
  const row = (i: number) => [1, ...xs.map((x) => x[i]!)];
  const A = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const b = new Array<number>(p).fill(0);
  for (let i = 0; i < n; i++) {
    const r = row(i);
    for (let j = 0; j < p; j++) { b[j]! += r[j]! * y[i]!; for (let k = 0; k < p; k++) A[j]![k]! += r[j]! * r[k]!; }
  }
  const inv = invert(A);
  const coef = inv.map((r) => r.reduce((s, v, k) => s + v * b[k]!, 0));
  let rss = 0, ym = 0;
  for (let i = 0; i < n; i++) ym += y[i]! / n;
  let tss = 0;
  for (let i = 0; i < n; i++) {
    const r = row(i);
    const fit = r.reduce((s, v, k) => s + v * coef[k]!, 0);
    rss += (y[i]! - fit) ** 2;
    tss += (y[i]! - ym) ** 2;
  }
  const s2 = rss / (n - p);
  return { coef, se: inv.map((r, j) => Math.sqrt(s2 * r[j]!)), r2: tss > 0 ? 1 - rss / tss : NaN };
}

function invert(A: number[][]): number[][] {
  const p = A.length;
  const M = A.map((r, i) => [...r, ...Array.from({ length: p }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < p; c++) {
    let piv = c;
    for (let r = c + 1; r < p; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[piv]![c]!)) piv = r;
    if (Math.abs(M[piv]![c]!) < 1e-300) throw new RangeError("ols: singular design (a regressor is constant or collinear)");
    [M[c], M[piv]] = [M[piv]!, M[c]!];
    const d = M[c]![c]!;
    for (let k = 0; k < 2 * p; k++) M[c]![k]! /= d;
    for (let r = 0; r < p; r++) {
      if (r === c) continue;
      const f = M[r]![c]!;
      if (f !== 0) for (let k = 0; k < 2 * p; k++) M[r]![k]! -= f * M[c]![k]!;
    }
  }
  return M.map((r) => r.slice(p));
}

/**
 * Delete-one jackknife standard error from the n leave-one-out values theta_(i):
 * sqrt((n - 1) / n * sum_i (theta_(i) - mean)^2) (Efron & Tibshirani 1993, eq. 11.5). For the sample mean it is
 * exactly s / sqrt(n).
 */
export function jackknifeSe(leaveOneOut: readonly number[]): number {
  const n = leaveOneOut.length;
  if (n < 2) throw new RangeError(`jackknifeSe: need at least 2 leave-one-out values, got ${n}`);
  const m = leaveOneOut.reduce((s, v) => s + v, 0) / n;
  return Math.sqrt(((n - 1) / n) * leaveOneOut.reduce((s, v) => s + (v - m) ** 2, 0));
}

/**
 * Leave-one-model-out jackknife of a statistic over triplets: for each model m, the statistic of the triplets
 * not containing m (the triplets of the pool without m). Returns the full-sample value(s), the jackknife SEs and
 * normal intervals value +- z * SE (z = 1.959964 for 95%).
 */
export function modelJackknife(
  triplets: readonly Triplet[],
  nModels: number,
  statistic: (ts: readonly Triplet[]) => number[],
  z = 1.959963984540054,
): { value: number[]; se: number[]; lower: number[]; upper: number[]; leaveOneOut: number[][] } {
  const value = statistic(triplets);
  const leaveOneOut: number[][] = [];
  for (let m = 0; m < nModels; m++) leaveOneOut.push(statistic(triplets.filter((t) => !t.members.includes(m))));
  const se = value.map((_, j) => jackknifeSe(leaveOneOut.map((v) => v[j]!)));
  return { value, se, lower: value.map((v, j) => v - z * se[j]!), upper: value.map((v, j) => v + z * se[j]!), leaveOneOut };
}
