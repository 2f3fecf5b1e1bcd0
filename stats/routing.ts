// Member-output policies on a pool: a cross-validated feature-cell router and the routing-signal strength curve
// (plurality vote lives in plurality-vote.ts, shared with `cofailure`). Inputs are models x items 0/1 matrices (1 = right).
import type { RngStream } from "./rng.js";

/** Fold index (0..K-1) of each of n items: a seeded shuffle dealt round-robin, so fold sizes differ by <= 1. */
export function kFoldAssignment(options: { n: number; folds: number; rng: RngStream }): number[] {
  const { n, folds, rng } = options;
  if (!(Number.isInteger(folds) && folds >= 2 && folds <= n)) throw new RangeError(`kFoldAssignment: need 2 <= folds <= n, got folds=${folds}, n=${n}`);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  const fold = new Array<number>(n);
  order.forEach((item, pos) => (fold[item] = pos % folds));
  return fold;
}

/** Index of the model with the most right answers on `items` (ties: lower index = higher pool rank). */
export function bestModelOn(correct: (0 | 1)[][], items: number[]): number {
  let best = 0, bestScore = -1;
  for (let m = 0; m < correct.length; m++) {
    let s = 0;
    for (const i of items) s += correct[m][i];
    if (s > bestScore) {
      bestScore = s;
      best = m;
    }
  }
  return best;
}

/**
 * Cross-validated accuracy of a feature-cell router: on the training folds, each cell (the tuple of an item's
 * feature values) is routed to the model right most often on that cell's training items; cells with fewer than
 * `minCellSize` training items, or unseen, go to the best model on all training items. With no features it is
 * the honest (out-of-fold) best-single baseline. Returns the mean accuracy over all held-out items.
 */
export function cellRouterCvAccuracy(options: {
  correct: (0 | 1)[][];
  /** Per item, the feature values (same length for every item; empty = no features). */
  cells: string[][];
  fold: number[];
  folds: number;
  minCellSize: number;
}): number {
  const { correct, cells, fold, folds, minCellSize } = options;
  const N = fold.length;
  const cellKey = cells.map((c) => JSON.stringify(c));
  let right = 0;
  for (let f = 0; f < folds; f++) {
    const train: number[] = [];
    const byCell = new Map<string, number[]>();
    for (let i = 0; i < N; i++) {
      if (fold[i] === f) continue;
      train.push(i);
      const list = byCell.get(cellKey[i]) ?? [];
      list.push(i);
      byCell.set(cellKey[i], list);
    }
    const fallback = bestModelOn(correct, train);
    const routed = new Map<string, number>();
    for (const [key, items] of byCell) routed.set(key, items.length >= minCellSize ? bestModelOn(correct, items) : fallback);
    for (let i = 0; i < N; i++) {
      if (fold[i] !== f) continue;
      right += correct[routed.get(cellKey[i]) ?? fallback][i];
    }
  }
  return right / N;
}

/**
 * Routing-signal strength: a router that sees the oracle with probability q (then picks a right model whenever
 * one exists) and otherwise falls back to a fixed policy of accuracy `fallback` (the best single model, or a
 * uniformly random member: the mean model accuracy) has expected accuracy q * oracle + (1 - q) * fallback,
 * oracle = 1 - beta. Linear, so acc(0) = fallback and acc(1) = oracle.
 */
export function signalRouterAccuracy(options: { q: number; fallback: number; oracle: number }): number {
  const { q, fallback, oracle } = options;
  return q * oracle + (1 - q) * fallback;
}

/**
 * Smallest q at which the signal router reaches `target` accuracy: (target - fallback) / (oracle - fallback);
 * 0 when the target is not above the fallback; NaN when the target exceeds the oracle (no member-output policy
 * gets there) or there is no headroom.
 */
export function signalStrengthFor(options: { target: number; fallback: number; oracle: number }): number {
  const { target, fallback, oracle } = options;
  // Accuracies are means of the same 0/1 data summed in different orders: ignore float noise at the ends.
  const eps = 1e-12;
  if (target <= fallback + eps) return 0;
  if (Math.abs(target - oracle) <= eps && oracle > fallback) return 1;
  if (target > oracle || oracle <= fallback) return NaN;
  return (target - fallback) / (oracle - fallback);
}
