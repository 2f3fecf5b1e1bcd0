// Tetrachoric correlation of two binary error indicators, and the matrix of them for a model pool.
// Mirrors psych::tetrachoric (psych 2.2.9, default correct = 0.5, global = TRUE): thresholds come from
// each variable's own marginal over all items, zero cells of the 2x2 table are replaced by `correction`,
// and rho maximises the multinomial likelihood of the (corrected) table with the thresholds held fixed:
//   rho = argmax_r sum_ij n_ij log P_ij(r),  P_11 = Phi2(tau_a, tau_b; r), P_10 = Phi(tau_a) - P_11,
//   P_01 = Phi(tau_b) - P_11,  P_00 = 1 - Phi(tau_a) - Phi(tau_b) + P_11
// (psych:::tetrac + psych:::tetraF). Without corrected cells the maximiser matches the both-wrong rate
// exactly: Phi2(tau_a, tau_b; r) = n11 / N. psych finds rho with optimize() (tolerance ~1.2e-4 in r);
// here the likelihood is solved exactly: the log-likelihood is concave in p = P_11, so its unique
// stationary point p* is found first (a 1-D monotone equation, no special functions), then
// Phi2(tau_a, tau_b; r) = p* is solved for r by safeguarded Newton (dPhi2/dr = phi2, Plackett 1954).
import { bivariateNormalCdf, bivariateNormalPdf } from "./bivariateNormal.js";
import { normalCdf, normalQuantile } from "./normal.js";
import { pairBothWrongCounts, modelErrorCounts, type WeightOptions } from "./cofailure.js";
import { itemTotal, type ErrorBits } from "./verdictBits.js";

/**
 * A 2x2 table of two error indicators a and b: n11 both wrong, n10 a wrong / b right,
 * n01 a right / b wrong, n00 both right. Counts may be weighted (non-integer after correction).
 */
export interface TwoByTwo {
  n00: number;
  n01: number;
  n10: number;
  n11: number;
}

/** The same table given as both-wrong count, each model's error count and the number of items. */
export interface BothWrongCounts {
  bothWrong: number;
  aWrong: number;
  bWrong: number;
  n: number;
}

export interface TetrachoricOptions {
  /** Value replacing empty cells (psych's `correct`); 0 disables. Default 0.5. */
  correction?: number;
  /**
   * Thresholds (tau_a, tau_b) = Phi^-1(error rates). Default: from the uncorrected table's margins,
   * which is psych's global = TRUE on complete data. Pass global thresholds when the table is a subset.
   */
  thresholds?: [number, number];
  /** Starting value for Newton (e.g. the previous bootstrap replicate's r). */
  warmStart?: number;
  /** Absolute tolerance in r. Default 1e-12. */
  tolerance?: number;
}

export interface TetrachoricResult {
  r: number;
  tauA: number;
  tauB: number;
  /** Fitted both-wrong probability Phi2(tau_a, tau_b; r). */
  p11: number;
  /** True when an empty cell was replaced by the correction. */
  corrected: boolean;
  /** Newton/bisection steps taken in r. */
  iterations: number;
}

export function toTwoByTwo(c: BothWrongCounts): TwoByTwo {
  const n11 = c.bothWrong;
  const n10 = c.aWrong - c.bothWrong;
  const n01 = c.bWrong - c.bothWrong;
  const n00 = c.n - c.aWrong - c.bWrong + c.bothWrong;
  if (n10 < 0 || n01 < 0 || n00 < 0 || n11 < 0) throw new RangeError("inconsistent both-wrong counts");
  return { n00, n01, n10, n11 };
}

/**
 * Stationary point of L(p) = n11 log p + n10 log(A - p) + n01 log(B - p) + n00 log(1 - A - B + p) on
 * (max(0, A + B - 1), min(A, B)); L is concave, its derivative strictly decreasing, so bisection on the
 * sign of L' is safe, polished by Newton. Returns a boundary when the likelihood is maximised there.
 */
function likelihoodP11(t: TwoByTwo, A: number, B: number): number {
  let lo = Math.max(0, A + B - 1);
  let hi = Math.min(A, B);
  if (!(hi > lo)) return lo;
  const score = (p: number) => {
    let s = 0;
    if (t.n11 > 0) s += t.n11 / p;
    if (t.n10 > 0) s -= t.n10 / (A - p);
    if (t.n01 > 0) s -= t.n01 / (B - p);
    if (t.n00 > 0) s += t.n00 / (1 - A - B + p);
    return s;
  };
  const curvature = (p: number) =>
    -(t.n11 > 0 ? t.n11 / (p * p) : 0) -
    (t.n10 > 0 ? t.n10 / ((A - p) * (A - p)) : 0) -
    (t.n01 > 0 ? t.n01 / ((B - p) * (B - p)) : 0) -
    (t.n00 > 0 ? t.n00 / ((1 - A - B + p) * (1 - A - B + p)) : 0);
  // A boundary maximum needs the cell whose term diverges there to be empty (possible only with
  // correction 0): then L' <= 0 at lo (or >= 0 at hi) puts the maximum on the boundary.
  if ((lo === 0 ? t.n11 === 0 : t.n00 === 0) && score(lo) <= 0) return lo;
  if ((A <= B ? t.n10 === 0 : t.n01 === 0) && score(hi) >= 0) return hi;
  // Start from the observed both-wrong share when it lies inside the feasible interval.
  const total = t.n00 + t.n01 + t.n10 + t.n11;
  let p = t.n11 / total;
  if (!(p > lo && p < hi)) p = (lo + hi) / 2;
  for (let it = 0; it < 200; it++) {
    const s = score(p);
    if (s === 0) return p;
    if (s > 0) lo = p;
    else hi = p;
    const c = curvature(p);
    let next = p - s / c;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - p) <= 1e-17 + 1e-15 * p || hi - lo <= 1e-300) return next;
    p = next;
  }
  return p;
}

/**
 * Solve Phi2(h, k; r) = p for r in [-1, 1] by Newton's method safeguarded with a bisection bracket
 * (Phi2 is strictly increasing in r with derivative phi2(h, k; r)).
 */
export function solveBivariateCorrelation(
  h: number,
  k: number,
  p: number,
  options: { warmStart?: number; tolerance?: number } = {},
): { r: number; iterations: number } {
  const tol = options.tolerance ?? 1e-12;
  let lo = -1;
  let hi = 1;
  const pLo = Math.max(0, normalCdf(h) + normalCdf(k) - 1);
  const pHi = Math.min(normalCdf(h), normalCdf(k));
  if (p <= pLo) return { r: -1, iterations: 0 };
  if (p >= pHi) return { r: 1, iterations: 0 };
  let r = options.warmStart ?? 0;
  if (!(r > -1 && r < 1)) r = 0;
  for (let it = 1; it <= 200; it++) {
    const f = bivariateNormalCdf(h, k, r) - p;
    if (f === 0) return { r, iterations: it };
    if (f < 0) lo = r;
    else hi = r;
    const d = bivariateNormalPdf(h, k, r);
    let next = r - f / d;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - r) <= tol || hi - lo <= tol) return { r: next, iterations: it };
    r = next;
  }
  return { r, iterations: 200 };
}

/** Tetrachoric correlation of one pair, psych::tetrachoric semantics (see the file header). */
export function tetrachoric(table: TwoByTwo | BothWrongCounts, options: TetrachoricOptions = {}): TetrachoricResult {
  const raw = "bothWrong" in table ? toTwoByTwo(table) : table;
  const correction = options.correction ?? 0.5;
  const n = raw.n00 + raw.n01 + raw.n10 + raw.n11;
  const tauA = options.thresholds ? options.thresholds[0] : normalQuantile((raw.n11 + raw.n10) / n);
  const tauB = options.thresholds ? options.thresholds[1] : normalQuantile((raw.n11 + raw.n01) / n);
  if (!Number.isFinite(tauA) || !Number.isFinite(tauB)) {
    return { r: NaN, tauA, tauB, p11: NaN, corrected: false, iterations: 0 };
  }
  let t = raw;
  let corrected = false;
  if (n > 1 && correction > 0 && Math.min(raw.n00, raw.n01, raw.n10, raw.n11) === 0) {
    const fix = (v: number) => (v === 0 ? correction : v);
    t = { n00: fix(raw.n00), n01: fix(raw.n01), n10: fix(raw.n10), n11: fix(raw.n11) };
    corrected = true;
  }
  const A = normalCdf(tauA);
  const B = normalCdf(tauB);
  const p = likelihoodP11(t, A, B);
  // Default start: the cos-pi approximation r ~ cos(pi / (1 + sqrt(odds ratio))) (Pearson 1900;
  // Bonett & Price 2005), usually within a few hundredths of the root, saving Newton steps.
  let start = options.warmStart;
  if (start === undefined) {
    const odds = (t.n00 * t.n11) / (t.n01 * t.n10);
    start = Number.isFinite(odds) && odds > 0 ? Math.cos(Math.PI / (1 + Math.sqrt(odds))) : 0;
  }
  const solved = solveBivariateCorrelation(tauA, tauB, p, { warmStart: start, tolerance: options.tolerance });
  return { r: solved.r, tauA, tauB, p11: p, corrected, iterations: solved.iterations };
}

export interface TetrachoricMatrixOptions extends WeightOptions {
  correction?: number;
  /** Previous matrix (M*M) whose entries start Newton, e.g. the point estimate for bootstrap replicates. */
  warmStart?: ArrayLike<number>;
  tolerance?: number;
}

export interface TetrachoricMatrix {
  /** Symmetric M x M row-major matrix, diagonal 1; NaN rows/columns for models without error variance. */
  matrix: Float64Array;
  /** tau_m = Phi^-1(error rate of m) (weighted). */
  thresholds: Float64Array;
  /** Number of pairs whose table had an empty cell replaced by the correction. */
  correctedPairs: number;
  /** Total Newton steps over all pairs. */
  iterations: number;
}

/**
 * All pairwise tetrachorics of the error indicators of a pool — psych::tetrachoric(x, smooth = FALSE)
 * on the verdict matrix. Global thresholds from each model's (weighted) error rate; 2x2 tables from the
 * bitset both-wrong counts, so the whole matrix costs M^2/2 root solves plus N M^2/64 popcounts.
 * Models that are always or never wrong have infinite thresholds and get NaN correlations (psych drops them).
 */
export function tetrachoricMatrix(bits: ErrorBits, options: TetrachoricMatrixOptions = {}): TetrachoricMatrix {
  const M = bits.models;
  const n = itemTotal(bits, options.weights);
  const errors = modelErrorCounts(bits, options);
  const both = pairBothWrongCounts(bits, options);
  const thresholds = new Float64Array(M);
  for (let m = 0; m < M; m++) thresholds[m] = normalQuantile(errors[m]! / n);
  const matrix = new Float64Array(M * M);
  let correctedPairs = 0;
  let iterations = 0;
  for (let a = 0; a < M; a++) {
    matrix[a * M + a] = Number.isFinite(thresholds[a]!) ? 1 : NaN;
    for (let b = a + 1; b < M; b++) {
      const n11 = both[a * M + b]!;
      const table = { n11, n10: errors[a]! - n11, n01: errors[b]! - n11, n00: n - errors[a]! - errors[b]! + n11 };
      const res = tetrachoric(table, {
        correction: options.correction,
        thresholds: [thresholds[a]!, thresholds[b]!],
        warmStart: options.warmStart ? options.warmStart[a * M + b] : undefined,
        tolerance: options.tolerance,
      });
      matrix[a * M + b] = res.r;
      matrix[b * M + a] = res.r;
      if (res.corrected) correctedPairs++;
      iterations += res.iterations;
    }
  }
  return { matrix, thresholds, correctedPairs, iterations };
}
