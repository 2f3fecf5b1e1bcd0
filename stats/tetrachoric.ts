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
import { bivariateNormalCdf, bivariateNormalCdfGivenMarginals, bivariateNormalCdfIncrement, bivariateNormalPdf } from "./bivariate-normal.js";
import { normalCdf, normalPdf, normalQuantile } from "./normal.js";
import { pairBothWrongCounts, modelErrorCounts, type WeightOptions } from "./cofailure.js";
import { itemTotal, type ErrorBits } from "./verdict-bits.js";

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
 * Cells are plain numbers and L', L'' top-level functions: this runs once per pair per bootstrap
 * replicate, and per-call closures (and tsx's name helpers on them) cost more than the arithmetic.
 */
function likelihoodScore(n00: number, n01: number, n10: number, n11: number, A: number, B: number, p: number): number {
  let s = 0;
  if (n11 > 0) s += n11 / p;
  if (n10 > 0) s -= n10 / (A - p);
  if (n01 > 0) s -= n01 / (B - p);
  if (n00 > 0) s += n00 / (1 - A - B + p);
  return s;
}

function likelihoodCurvature(n00: number, n01: number, n10: number, n11: number, A: number, B: number, p: number): number {
  return (
    -(n11 > 0 ? n11 / (p * p) : 0) -
    (n10 > 0 ? n10 / ((A - p) * (A - p)) : 0) -
    (n01 > 0 ? n01 / ((B - p) * (B - p)) : 0) -
    (n00 > 0 ? n00 / ((1 - A - B + p) * (1 - A - B + p)) : 0)
  );
}

function likelihoodP11(n00: number, n01: number, n10: number, n11: number, A: number, B: number): number {
  let lo = Math.max(0, A + B - 1);
  let hi = Math.min(A, B);
  if (!(hi > lo)) return lo;
  // A boundary maximum needs the cell whose term diverges there to be empty (possible only with
  // correction 0): then L' <= 0 at lo (or >= 0 at hi) puts the maximum on the boundary.
  if ((lo === 0 ? n11 === 0 : n00 === 0) && likelihoodScore(n00, n01, n10, n11, A, B, lo) <= 0) return lo;
  if ((A <= B ? n10 === 0 : n01 === 0) && likelihoodScore(n00, n01, n10, n11, A, B, hi) >= 0) return hi;
  // Start from the observed both-wrong share when it lies inside the feasible interval.
  const total = n00 + n01 + n10 + n11;
  let p = n11 / total;
  if (!(p > lo && p < hi)) p = (lo + hi) / 2;
  for (let it = 0; it < 200; it++) {
    const s = likelihoodScore(n00, n01, n10, n11, A, B, p);
    if (s === 0) return p;
    if (s > 0) lo = p;
    else hi = p;
    const c = likelihoodCurvature(n00, n01, n10, n11, A, B, p);
    let next = p - s / c;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - p) <= 1e-17 + 1e-15 * p || hi - lo <= 1e-300) return next;
    p = next;
  }
  return p;
}

/** Mutable result of one root solve, reused across the pairs of a matrix (no allocation per pair). */
interface RootSolve {
  r: number;
  iterations: number;
  /** The likelihood's both-wrong probability the root matches (set by tetrachoricInto). */
  p11: number;
}

/**
 * Halley's method on Phi2(h, k; r) = p with the bisection safeguard, given PA = Phi(h), PB = Phi(k)
 * (which the matrix computes once per model, not once per step). The second derivative is free:
 * d phi2 / dr = phi2 g with g = (r + hk) / s - r Q / s^2 (s = 1 - r^2, Q = h^2 - 2 r h k + k^2), so the
 * cubically convergent step costs no more than Newton's; the Phi2 evaluations are the whole cost.
 * Stopping: when the step is below tol, or when the error the step leaves, ~ (1 + g^2) |step|^3 for a
 * Halley step (~ (1 + |g|) step^2 for a Newton fallback), is 10x below tol — one evaluation fewer than
 * waiting for a step below tol, with the same accuracy.
 */
function solveCorrelationInto(
  out: RootSolve, h: number, k: number, p: number, PA: number, PB: number, warmStart: number | undefined, tol: number,
): void {
  let lo = -1;
  let hi = 1;
  const pLo = Math.max(0, PA + PB - 1);
  const pHi = Math.min(PA, PB);
  out.iterations = 0;
  if (p <= pLo) { out.r = -1; return; }
  if (p >= pHi) { out.r = 1; return; }
  let r = warmStart ?? 0;
  if (!(r > -1 && r < 1)) r = 0;
  // Phi2 at the current r: a full evaluation first; after a short step, the previous value plus the integral over
  // the step (bivariateNormalCdfIncrement), which costs 6 exponentials instead of the full rule's 12-20.
  let phi2 = bivariateNormalCdfGivenMarginals(h, k, r, PA, PB);
  for (let it = 1; it <= 200; it++) {
    out.iterations = it;
    const f = phi2 - p;
    if (f === 0) { out.r = r; return; }
    if (f < 0) lo = r;
    else hi = r;
    const d = bivariateNormalPdf(h, k, r);
    const newton = f / d;
    const s = 1 - r * r;
    const g = (r + h * k) / s - (r * (h * h - 2 * r * h * k + k * k)) / (s * s);
    const denom = 1 - (newton * g) / 2;
    const halley = denom > 0.5 && denom < 2;
    let next = halley ? r - newton / denom : r - newton;
    let bisected = false;
    if (!(next > lo && next < hi)) {
      next = (lo + hi) / 2;
      bisected = true;
    }
    const step = Math.abs(next - r);
    if (step <= tol || hi - lo <= tol) { out.r = next; return; }
    if (!bisected && 10 * (halley ? (1 + g * g) * step * step * step : (1 + Math.abs(g)) * step * step) <= tol) {
      out.r = next;
      return;
    }
    phi2 = Math.abs(r) < 0.925 && Math.abs(next) < 0.925 && step <= INCREMENT_MAX_STEP
      ? phi2 + bivariateNormalCdfIncrement(h, k, Math.asin(r), Math.asin(next))
      : bivariateNormalCdfGivenMarginals(h, k, next, PA, PB);
    r = next;
  }
  out.r = r;
}

/** Largest step in r whose Phi2 is updated by bivariateNormalCdfIncrement rather than evaluated afresh. */
const INCREMENT_MAX_STEP = 0.02;
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
  const out: RootSolve = { r: NaN, iterations: 0, p11: p };
  solveCorrelationInto(out, h, k, p, normalCdf(h), normalCdf(k), options.warmStart, options.tolerance ?? 1e-12);
  return { r: out.r, iterations: out.iterations };
}

/**
 * The tetrachoric of one raw table with fixed thresholds and their Phi values; writes r and the Newton
 * steps into `out`, returns whether a cell was corrected. Shared by tetrachoric() and the matrix loop.
 */
function tetrachoricInto(
  out: RootSolve, n00: number, n01: number, n10: number, n11: number,
  tauA: number, tauB: number, A: number, B: number, correction: number, warmStart: number | undefined, tol: number,
  ownMargins: boolean, warm: WarmExpansion | null = null, pairA = 0, pairB = 0,
): boolean {
  const n = n00 + n01 + n10 + n11;
  let corrected = false;
  if (n > 1 && correction > 0 && Math.min(n00, n01, n10, n11) === 0) {
    if (n00 === 0) n00 = correction;
    if (n01 === 0) n01 = correction;
    if (n10 === 0) n10 = correction;
    if (n11 === 0) n11 = correction;
    corrected = true;
  }
  // With the thresholds from this table's own margins (A = (n11 + n10) / n, B = (n11 + n01) / n) and no cell
  // corrected, L'(n11 / n) = n - n - n + n = 0: the stationary point is the observed share, no solve needed.
  const p = ownMargins && !corrected && n00 > 0 && n01 > 0 && n10 > 0 && n11 > 0
    ? n11 / n
    : likelihoodP11(n00, n01, n10, n11, A, B);
  // Default start: the cos-pi approximation r ~ cos(pi / (1 + sqrt(odds ratio))) (Pearson 1900;
  // Bonett & Price 2005), usually within a few hundredths of the root, saving Newton steps.
  let start = warmStart !== undefined && warm ? warmPrediction(warm, pairA, pairB, warmStart, tauA, tauB, p) : warmStart;
  if (start === undefined) {
    const odds = (n00 * n11) / (n01 * n10);
    start = Number.isFinite(odds) && odds > 0 ? Math.cos(Math.PI / (1 + Math.sqrt(odds))) : 0;
  }
  out.p11 = p;
  solveCorrelationInto(out, tauA, tauB, p, A, B, start, tol);
  return corrected;
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
  const out: RootSolve = { r: NaN, iterations: 0, p11: NaN };
  const A = normalCdf(tauA);
  const B = normalCdf(tauB);
  const corrected = tetrachoricInto(
    out, raw.n00, raw.n01, raw.n10, raw.n11, tauA, tauB, A, B, correction, options.warmStart, options.tolerance ?? 1e-12,
    options.thresholds === undefined,
  );
  return { r: out.r, tauA, tauB, p11: out.p11, corrected, iterations: out.iterations };
}

export interface TetrachoricMatrixOptions extends WeightOptions {
  correction?: number;
  /** Previous matrix (M*M) whose entries start Newton, e.g. the point estimate for bootstrap replicates. */
  warmStart?: ArrayLike<number>;
  /**
   * The thresholds (length M) at which `warmStart` was fitted (the point estimate's). With them each pair starts
   * from the first-order prediction of its root from the warm fit (warmPrediction) instead of the warm value, which
   * saves about one Phi2 evaluation per pair on bootstrap replicates. Only the start moves; the root and its
   * tolerance do not.
   */
  warmThresholds?: ArrayLike<number>;
  tolerance?: number;
}

/** Per pair (a < b, at a * M + b) of a warm fit: Phi2 there, its partial derivatives in h, k and r (= phi2). */
interface WarmExpansion {
  thresholds: ArrayLike<number>;
  p: Float64Array;
  dh: Float64Array;
  dk: Float64Array;
  dr: Float64Array;
}

// A bootstrap passes the same warm matrix to every replicate: its expansion is computed once per matrix object.
const warmExpansions = new WeakMap<object, WarmExpansion>();

function warmExpansion(warm: ArrayLike<number>, thresholds: ArrayLike<number>, M: number): WarmExpansion {
  const known = warmExpansions.get(warm);
  if (known && known.thresholds === thresholds) return known;
  const p = new Float64Array(M * M).fill(NaN), dh = new Float64Array(M * M), dk = new Float64Array(M * M), dr = new Float64Array(M * M);
  for (let a = 0; a < M; a++) {
    const h = thresholds[a]!;
    for (let b = a + 1; b < M; b++) {
      const k = thresholds[b]!, r = warm[a * M + b]!;
      if (!Number.isFinite(h) || !Number.isFinite(k) || !(Math.abs(r) < 1)) continue;
      const s = Math.sqrt(1 - r * r);
      const i = a * M + b;
      p[i] = bivariateNormalCdf(h, k, r);
      // d Phi2 / dh = phi(h) Phi((k - r h) / s), and symmetrically in k; d Phi2 / dr = phi2 (Plackett 1954).
      dh[i] = normalPdf(h) * normalCdf((k - r * h) / s);
      dk[i] = normalPdf(k) * normalCdf((h - r * k) / s);
      dr[i] = bivariateNormalPdf(h, k, r);
    }
  }
  const expansion = { thresholds, p, dh, dk, dr };
  warmExpansions.set(warm, expansion);
  return expansion;
}

/**
 * Start for the root r of pair (a, b)'s Phi2(h, k; r) = p from its warm fit Phi2(h0, k0; r0) = p0 at nearby
 * thresholds (h0, k0 = the expansion's thresholds of a and b): one Newton
 * step in r on the first-order expansion of Phi2 about (h0, k0, r0), so its error is second order in the change
 * of (h, k, p) (a bootstrap replicate's moves by ~0.05: the start is ~1e-3 from the root instead of ~0.05). The warm
 * value itself when the prediction leaves (-1, 1).
 */
function warmPrediction(e: WarmExpansion, a: number, b: number, r0: number, h: number, k: number, p: number): number {
  const i = a * e.thresholds.length + b;
  const h0 = e.thresholds[a]!, k0 = e.thresholds[b]!;
  const p0 = e.p[i]!;
  if (!Number.isFinite(p0) || !(e.dr[i]! > 0)) return r0;
  const r = r0 + (p - p0 - e.dh[i]! * (h - h0) - e.dk[i]! * (k - k0)) / e.dr[i]!;
  return r > -1 && r < 1 ? r : r0;
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
  const marginals = new Float64Array(M);
  for (let m = 0; m < M; m++) {
    thresholds[m] = normalQuantile(errors[m]! / n);
    marginals[m] = normalCdf(thresholds[m]!);
  }
  const correction = options.correction ?? 0.5;
  const tol = options.tolerance ?? 1e-12;
  const warm = options.warmStart;
  const warmTau = options.warmThresholds;
  if (warm && warm.length !== M * M) throw new RangeError(`warmStart has ${warm.length} entries, expected ${M * M}`);
  if (warmTau && warmTau.length !== M) throw new RangeError(`warmThresholds has ${warmTau.length} entries, expected ${M}`);
  const expansion = warm && warmTau ? warmExpansion(warm, warmTau, M) : null;
  const out: RootSolve = { r: NaN, iterations: 0, p11: NaN };
  const matrix = new Float64Array(M * M);
  let correctedPairs = 0;
  let iterations = 0;
  for (let a = 0; a < M; a++) {
    const tauA = thresholds[a]!;
    matrix[a * M + a] = Number.isFinite(tauA) ? 1 : NaN;
    for (let b = a + 1; b < M; b++) {
      const tauB = thresholds[b]!;
      let r = NaN;
      if (Number.isFinite(tauA) && Number.isFinite(tauB)) {
        const n11 = both[a * M + b]!;
        const corrected = tetrachoricInto(
          out, n - errors[a]! - errors[b]! + n11, errors[b]! - n11, errors[a]! - n11, n11,
          tauA, tauB, marginals[a]!, marginals[b]!, correction, warm ? warm[a * M + b] : undefined, tol, true,
          expansion, a, b,
        );
        r = out.r;
        if (corrected) correctedPairs++;
        iterations += out.iterations;
      }
      matrix[a * M + b] = r;
      matrix[b * M + a] = r;
    }
  }
  return { matrix, thresholds, correctedPairs, iterations };
}
