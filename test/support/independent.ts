// Independent re-implementations of the headline numerics, for the tests that check the stages against them:
// plain loops over 0/1 error matrices, no bitsets and none of stats/tetrachoric, stats/factor,
// stats/single-factor-beta, stats/clopper-pearson or stats/orthant. Only the normal and bivariate normal CDFs come
// from stats/ (each tested on its own against R), and the callers may use stats/nearest-correlation (checked
// against R's Matrix::nearPD in the stats tests) for the repair.
import { bivariateNormalCdf } from "../../stats/bivariate-normal.js";
import { normalCdf, normalQuantile } from "../../stats/normal.js";

/** err[m][i] = 1 when model m is wrong on item i. */
export type ErrorMatrix = number[][];

/** Items every model gets wrong, by a product over models per item. */
export function plainAllWrong(err: ErrorMatrix): number {
  const N = err[0].length;
  let allWrong = 0;
  for (let i = 0; i < N; i++) {
    let all = 1;
    for (let m = 0; m < err.length; m++) all *= err[m][i];
    allWrong += all;
  }
  return allWrong;
}

/** Highest per-model accuracy (1 - mean error). */
export function plainBestAccuracy(err: ErrorMatrix): number {
  let best = -Infinity;
  for (const row of err) {
    let wrong = 0;
    for (const e of row) wrong += e;
    best = Math.max(best, 1 - wrong / row.length);
  }
  return best;
}

/** log C(n, k) for k = 0..n by the running product C(n, k) = C(n, k-1) (n-k+1)/k, in logs. */
function logChooseRow(n: number): Float64Array {
  const out = new Float64Array(n + 1);
  for (let k = 1; k <= n; k++) out[k] = out[k - 1] + Math.log((n - k + 1) / k);
  return out;
}

/** P(lo <= X <= hi) for X ~ Binomial(n, p), as an exact sum of its terms (each term in logs, then summed). */
export function binomialRangeProbability(lo: number, hi: number, n: number, p: number, logChoose = logChooseRow(n)): number {
  if (p <= 0) return lo <= 0 ? 1 : 0;
  if (p >= 1) return hi >= n ? 1 : 0;
  const lp = Math.log(p), lq = Math.log1p(-p);
  let s = 0;
  for (let k = Math.max(0, lo); k <= Math.min(n, hi); k++) s += Math.exp(logChoose[k] + k * lp + (n - k) * lq);
  return s;
}

/**
 * Clopper–Pearson interval by bisection on the binomial tails: the lower bound is the p at which
 * P(X >= x) = a/2, the upper bound the p at which P(X <= x) = a/2 (both tails are monotone in p).
 * `side` "upper" gives the one-sided upper bound with all of a in one tail.
 */
export function clopperPearsonByBisection(x: number, n: number, level: number, side: "two-sided" | "upper" = "two-sided"): { lower: number; upper: number } {
  const tail = side === "two-sided" ? (1 - level) / 2 : 1 - level;
  const lc = logChooseRow(n);
  const solve = (f: (p: number) => number): number => {
    // f increasing in p; f(p) = 0 at the bound.
    let lo = 0, hi = 1;
    for (let it = 0; it < 200 && hi - lo > 1e-17; it++) {
      const mid = (lo + hi) / 2;
      if (f(mid) < 0) lo = mid;
      else hi = mid;
    }
    return (lo + hi) / 2;
  };
  const lower = side === "upper" || x === 0 ? 0 : solve((p) => binomialRangeProbability(x, n, n, p, lc) - tail);
  const upper = x === n ? 1 : solve((p) => tail - binomialRangeProbability(0, x, n, p, lc));
  return { lower, upper };
}

/** r with Phi2(ta, tb; r) = p by bisection (Phi2 is increasing in r). */
export function tetrachoricByBisection(ta: number, tb: number, p: number): number {
  let lo = -0.9999, hi = 0.9999;
  for (let it = 0; it < 80; it++) {
    const mid = (lo + hi) / 2;
    if (bivariateNormalCdf(ta, tb, mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * psych::tetrachoric's treatment of a 2x2 table with an empty cell: the empty cell becomes 0.5, the
 * thresholds stay at the raw margins, and r maximises the multinomial likelihood. Here the likelihood
 * is maximised by golden-section search over p11 (it is concave in p11) — a different route to the same r.
 */
export function fittedBothWrong(n: { n11: number; n10: number; n01: number; n00: number }, A: number, B: number, correction = 0.5): number {
  const c = Object.fromEntries(Object.entries(n).map(([k, v]) => [k, v === 0 ? correction : v])) as typeof n;
  const term = (w: number, x: number) => (w === 0 ? 0 : w * Math.log(x));
  const ll = (p: number) => term(c.n11, p) + term(c.n10, A - p) + term(c.n01, B - p) + term(c.n00, 1 - A - B + p);
  let lo = Math.max(0, A + B - 1) + 1e-15, hi = Math.min(A, B) - 1e-15;
  const g = (Math.sqrt(5) - 1) / 2;
  for (let it = 0; it < 200; it++) {
    const x1 = hi - g * (hi - lo), x2 = lo + g * (hi - lo);
    if (ll(x1) < ll(x2)) lo = x1;
    else hi = x2;
  }
  return (lo + hi) / 2;
}

/**
 * Thresholds tau_m = Phi^-1(error rate) and the tetrachoric matrix of the error indicators (psych's empty-cell rule,
 * an empty cell counted as `correction`; 0: a maximum on the likelihood's boundary is a correlation of -1 or +1).
 */
export function plainTetrachorics(err: ErrorMatrix, correction = 0.5): { tau: number[]; R: number[][] } {
  const M = err.length, N = err[0].length;
  const errCount = err.map((e) => e.reduce((a, b) => a + b, 0));
  const tau = errCount.map((c) => normalQuantile(c / N));
  const R: number[][] = Array.from({ length: M }, () => new Array(M).fill(1));
  for (let a = 0; a < M; a++) for (let b = a + 1; b < M; b++) {
    let n11 = 0;
    for (let i = 0; i < N; i++) n11 += err[a][i] * err[b][i];
    const ea = errCount[a], eb = errCount[b];
    const cells = { n11, n10: ea - n11, n01: eb - n11, n00: N - ea - eb + n11 };
    const p11 = Object.values(cells).some((v) => v === 0) ? fittedBothWrong(cells, normalCdf(tau[a]), normalCdf(tau[b]), correction) : n11 / N;
    // A boundary maximum (possible only without a correction) is a correlation of -1 or +1.
    const A = normalCdf(tau[a]), B = normalCdf(tau[b]);
    R[a][b] = R[b][a] = p11 - Math.max(0, A + B - 1) < 1e-12 ? -1 : Math.min(A, B) - p11 < 1e-12 ? 1 : tetrachoricByBisection(tau[a], tau[b], p11);
  }
  return { tau, R };
}

/** Single-factor minres loadings by alternating least squares on the off-diagonal (Heywood cap at 0.995 communality). */
export function minresByAls(R: number[][]): number[] {
  const M = R.length;
  const lam = new Array(M).fill(0.7);
  for (let sweep = 0; sweep < 5000; sweep++) {
    let move = 0;
    for (let m = 0; m < M; m++) {
      let num = 0, den = 0;
      for (let k = 0; k < M; k++) if (k !== m) { num += R[m][k] * lam[k]; den += lam[k] * lam[k]; }
      const next = Math.max(-Math.sqrt(0.995), Math.min(Math.sqrt(0.995), num / den));
      move = Math.max(move, Math.abs(next - lam[m]));
      lam[m] = next;
    }
    if (move < 1e-13) break;
  }
  return lam;
}

/** P(all Z_m <= tau_m) under one factor, by the trapezoid rule on a fine grid (negligible beyond |z| = 9). */
export function singleFactorBetaTrapezoid(tau: number[], lam: number[]): number {
  let beta = 0;
  const h = 0.001;
  for (let z = -9; z <= 9 + 1e-12; z += h) {
    let prod = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
    for (let m = 0; m < tau.length; m++) prod *= normalCdf((tau[m] - lam[m] * z) / Math.sqrt(1 - lam[m] * lam[m]));
    beta += prod * h;
  }
  return beta;
}

/** Lower Cholesky factor of a positive definite matrix. */
export function cholesky(R: number[][]): number[][] {
  const n = R.length;
  const L = Array.from({ length: n }, () => new Array(n).fill(0));
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) {
    let s = R[i][j];
    for (let k = 0; k < j; k++) s -= L[i][k] * L[j][k];
    if (i === j) {
      if (!(s > 0)) throw new Error(`cholesky: not positive definite at ${i} (${s})`);
      L[i][i] = Math.sqrt(s);
    } else L[i][j] = s / L[j][j];
  }
  return L;
}

/**
 * Crude Monte Carlo estimate of P(all Z_m <= tau_m), Z ~ N(0, R): `draws` vectors L·e (e standard normal by
 * Box–Muller on a seeded mulberry32 stream), a draw stops at its first coordinate above threshold.
 * Returns the estimate and its binomial standard error.
 */
export function orthantMonteCarlo(tau: number[], R: number[][], draws: number, seed: number): { value: number; se: number } {
  const L = cholesky(R);
  const n = tau.length;
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  let spare = NaN;
  const normal = () => {
    if (!Number.isNaN(spare)) { const s = spare; spare = NaN; return s; }
    const r = Math.sqrt(-2 * Math.log(uniform())), th = 2 * Math.PI * uniform();
    spare = r * Math.sin(th);
    return r * Math.cos(th);
  };
  const e = new Float64Array(n);
  let hits = 0;
  for (let d = 0; d < draws; d++) {
    let all = true;
    for (let m = 0; m < n; m++) {
      e[m] = normal();
      let z = 0;
      const row = L[m];
      for (let k = 0; k <= m; k++) z += row[k] * e[k];
      if (z > tau[m]) { all = false; break; }
    }
    if (all) hits++;
  }
  const p = hits / draws;
  return { value: p, se: Math.sqrt((p * (1 - p)) / draws) };
}
