/**
 * Multivariate normal orthant probabilities  P(Z_m < upper_m for all m),  Z ~ N(0, R), R a correlation
 * matrix, by the Genz–Bretz randomized quasi-Monte Carlo method: the algorithm of Fortran MVTDST
 * (mvtnorm's `mvt.f`, called by R `mvtnorm::pmvnorm(algorithm = GenzBretz())`).
 *
 * References
 *  - A. Genz (1992), "Numerical computation of multivariate normal probabilities", J. Comput. Graph.
 *    Stat. 1, 141–149: the separation-of-variables transformation used below.
 *  - A. Genz & F. Bretz (2009), "Computation of Multivariate Normal and t Probabilities", Springer
 *    LNS 195, §4.1.3 (variable reordering), §4.2.2 (randomized lattice rules, baker's transform,
 *    error = 3.5 standard errors over random shifts), as in mvt.f's MVKBRV.
 *
 * Method. Let C be the Cholesky factor of R after reordering, b = upper (permuted). With
 *   e_1 = Phi(b_1 / c_11),   y_i = Phi^-1(w_i e_i),   e_{i+1} = Phi((b_{i+1} - sum_{k<=i} c_{i+1,k} y_k) / c_{i+1,i+1}),
 * the probability is the integral over the unit cube [0,1]^{M-1} of f(w) = e_1 e_2 ... e_M.
 * The integral is estimated with a rank-1 Korobov lattice of prime size n (generator searched per n,
 * see korobovGenerator; or a Richtmyer lattice q_j = frac(sqrt(prime_j)) on request), randomly shifted
 * (8 shifts per stage, as MVKBRV's MINSMP), periodized with the baker's transform
 * w = |2 frac(k q + shift) - 1| and evaluated antithetically at w and 1-w. Stages grow n (at least 1.5x,
 * as MVKBRV, more when the error is far from the target: nextStageSize) and are combined by
 * inverse-variance weighting exactly as MVKBRV does; error = 3.5 x the standard error of the combined
 * estimate (the number mvtnorm reports as "error").
 *
 * Reordering (Genz & Bretz 2009 §4.1.3; mvtnorm's MVSORT): at step i pick, among the remaining
 * variables, the one with the smallest conditional probability Phi(b'_j), b'_j its standardized
 * conditional limit given the expected values of the variables already placed; it is then placed
 * i-th and its expected value given truncation, -phi(b')/Phi(b'), conditions the next step.
 * Putting the most constrained variables first moves most of the variance into the outer, low-index
 * lattice coordinates, which is where lattice rules are most accurate.
 *
 * Control variate (option controlVariate, default "single-factor" for M >= 3). Fit one-factor loadings lambda
 * to R (minres) and let R1 = lambda lambda^T + diag(1 - lambda^2). Its orthant probability P1 is an exact 1-D
 * integral (stats/single-factor-beta.ts). The sequential-conditioning integrand f_R1 of R1 — in R's variable
 * order, on the same unit cube — integrates to exactly P1 for ANY loadings, so
 *   P(R) = P1 + integral (f_R - f_R1) dw,
 * and the randomized lattice estimate of the right-hand integral is unbiased (each random shift is), with its
 * error from the spread over shifts as above. Evaluated at the same points, f_R and f_R1 move together, so the
 * difference has far less variance when R is close to one-factor (the paper's error-indicator matrices are):
 * on the committed 67-dim problem the first stage (496 points) already reaches 1e-5, where the plain method
 * needs 13–20k points. f_R1 costs O(M) per point (closed-form Cholesky of R1, prepareFactor), so a point costs
 * ~1.3x a plain one. When R is exactly one-factor the difference vanishes and the answer is P1 itself.
 */
import { singleFactorMinres } from "./factor.js";
import { normalQuantileInto } from "./normal.js";

export { normalQuantileInto };
import { rngStream, type Seed } from "./rng.js";
import { singleFactorAllWrong } from "./single-factor-beta.js";

export interface OrthantOptions {
  /** Target absolute error (3.5 standard errors). Default 1e-5. */
  absEps?: number;
  /** Budget of integrand evaluations (antithetic pairs count 2). Default 4e6. */
  maxPoints?: number;
  /** Seed of the random shifts; same seed -> same result. Default 0. */
  seed?: Seed;
  /**
   * Lattice rule: "korobov" (default; prime n, generator searched by weighted P_2, like mvt.f's Korobov
   * rules) or "richtmyer" (generator frac(sqrt(prime_j)), Genz's QSIMVN; 2–8x more points here).
   */
  lattice?: "korobov" | "richtmyer";
  /**
   * "single-factor": integrate f_R - f_R1 and add the exact P1 of a one-factor matrix R1 (see the module
   * comment); "none": plain Genz–Bretz. Default "single-factor" for M >= 3.
   */
  controlVariate?: "single-factor" | "none";
  /**
   * Loadings of R1, indexed like `upper` (|lambda_m| < 1); default: minres fit of R (stats/factor.ts). Any
   * loadings give an unbiased estimate; good ones give a small error.
   */
  loadings?: ArrayLike<number>;
}

export interface OrthantResult {
  value: number;
  /** 3.5 x the estimated standard error (0 when the answer is exact, e.g. M <= 1 or independence). */
  error: number;
  /** Integrand evaluations used. */
  points: number;
  /** error <= absEps. */
  converged: boolean;
}

/**
 * Standard normal CDF, Hart (1968) algorithm 5666 as given by G. West (2005), "Better approximations
 * to cumulative normal functions", Wilmott; absolute error below 1e-14. Used in the hot loop because
 * it needs one exp and no erfc call.
 */
export function fastNormalCdf(x: number): number {
  const z = Math.abs(x);
  let c: number;
  if (z > 37) {
    c = 0;
  } else {
    const ex = Math.exp(-0.5 * z * z);
    if (z < 7.07106781186547) {
      let num = 3.52624965998911e-2 * z + 0.700383064443688;
      num = num * z + 6.37396220353165;
      num = num * z + 33.912866078383;
      num = num * z + 112.079291497871;
      num = num * z + 221.213596169931;
      num = num * z + 220.206867912376;
      let den = 8.83883476483184e-2 * z + 1.75566716318264;
      den = den * z + 16.064177579207;
      den = den * z + 86.7807322029461;
      den = den * z + 296.564248779674;
      den = den * z + 637.333633378831;
      den = den * z + 793.826512519948;
      den = den * z + 440.413735824752;
      c = (ex * num) / den;
    } else {
      let d = z + 0.65;
      d = z + 4 / d;
      d = z + 3 / d;
      d = z + 2 / d;
      d = z + 1 / d;
      c = ex / d / 2.506628274631;
    }
  }
  return x > 0 ? 1 - c : c;
}

const INV_SQRT_2PI = 0.3989422804014327;

/*
 * Table-driven Phi for the hot loop: Phi and phi tabulated at x_k = -TABLE_LO + k/64 (West-Hart values), and
 * Phi(x_k + d) = Phi(x_k) + phi(x_k) (d - x d^2/2 + (x^2-1) d^3/6 - (x^3-3x) d^4/24 + (x^4-6x^2+3) d^5/120)
 * (Taylor series; the derivatives of phi are Hermite polynomials times phi), |d| <= 1/128, so the
 * truncation error is below phi(x) d^6 |He_5(x)| / 720 < 1e-15. Two loads and ~12 flops instead of an exp.
 */
const TABLE_STEP = 64;
const TABLE_LO = 9;
const TABLE_N = 2 * TABLE_LO * TABLE_STEP + 1;
const PHI_TABLE = new Float64Array(TABLE_N);
const PDF_TABLE = new Float64Array(TABLE_N);
for (let k = 0; k < TABLE_N; k++) {
  const x = -TABLE_LO + k / TABLE_STEP;
  PHI_TABLE[k] = fastNormalCdf(x);
  PDF_TABLE[k] = INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

/** Phi(x) by table + Taylor series on [-9, 9]; exact formula outside (rare). Absolute error < 1e-14. */
export function tableNormalCdf(x: number): number {
  if (x <= -TABLE_LO || x >= TABLE_LO) return fastNormalCdf(x);
  const k = Math.round((x + TABLE_LO) * TABLE_STEP);
  const x0 = k / TABLE_STEP - TABLE_LO;
  const d = x - x0, x2 = x0 * x0;
  const series = d * (1 + d * (-0.5 * x0 + d * ((x2 - 1) / 6 + d * ((-x2 * x0 + 3 * x0) / 24 + d * ((x2 * x2 - 6 * x2 + 3) / 120)))));
  return PHI_TABLE[k] + PDF_TABLE[k] * series;
}

/** First n primes (n small: at most the dimension). */
function firstPrimes(n: number): number[] {
  const out: number[] = [];
  for (let c = 2; out.length < n; c++) {
    let isPrime = true;
    for (const p of out) {
      if (p * p > c) break;
      if (c % p === 0) { isPrime = false; break; }
    }
    if (isPrime) out.push(c);
  }
  return out;
}

/** The reordered, scaled problem: e_i = Phi(b[i] - sum_{k<i} L[i,k] y_k), L packed row-wise (strict lower). */
interface Prepared {
  dim: number;
  b: Float64Array;
  L: Float64Array;
  rowStart: Int32Array;
  /** perm[i] = index (in the problem passed to prepare) of the variable placed i-th. */
  perm: Int32Array;
}

/**
 * Cholesky with Genz–Bretz variable reordering; rows of the factor are divided by their diagonal so
 * the integrand needs no divisions. Throws on a (numerically) singular matrix: repair it first
 * (nearest correlation matrix) — a singular R has a lower-dimensional support the lattice cannot see.
 */
function prepare(upper: Float64Array, R: Float64Array): Prepared {
  const M = upper.length;
  const S = Float64Array.from(R);
  const b = Float64Array.from(upper);
  const C = new Float64Array(M * M); // full lower-triangular factor, row-major
  const y = new Float64Array(M);
  const perm = Int32Array.from({ length: M }, (_, i) => i);
  const swap = (i: number, j: number): void => {
    if (i === j) return;
    let t = b[i]; b[i] = b[j]; b[j] = t;
    const p = perm[i]; perm[i] = perm[j]; perm[j] = p;
    for (let k = 0; k < M; k++) { t = S[i * M + k]; S[i * M + k] = S[j * M + k]; S[j * M + k] = t; }
    for (let k = 0; k < M; k++) { t = S[k * M + i]; S[k * M + i] = S[k * M + j]; S[k * M + j] = t; }
    for (let k = 0; k < i; k++) { t = C[i * M + k]; C[i * M + k] = C[j * M + k]; C[j * M + k] = t; }
  };
  for (let i = 0; i < M; i++) {
    let best = -1, bestProb = Infinity;
    for (let j = i; j < M; j++) {
      let ss = 0, mu = 0;
      for (let k = 0; k < i; k++) { const c = C[j * M + k]; ss += c * c; mu += c * y[k]; }
      const v = S[j * M + j] - ss;
      if (v <= 1e-12) continue;
      const pr = fastNormalCdf((b[j] - mu) / Math.sqrt(v));
      if (pr < bestProb) { bestProb = pr; best = j; }
    }
    if (best < 0) throw new RangeError("mvnOrthantProbability: correlation matrix is numerically singular (repair it to a positive-definite matrix first)");
    swap(i, best);
    let ss = 0, mu = 0;
    for (let k = 0; k < i; k++) { const c = C[i * M + k]; ss += c * c; mu += c * y[k]; }
    const d = Math.sqrt(S[i * M + i] - ss);
    C[i * M + i] = d;
    for (let l = i + 1; l < M; l++) {
      let s = S[l * M + i];
      for (let k = 0; k < i; k++) s -= C[l * M + k] * C[i * M + k];
      C[l * M + i] = s / d;
    }
    const bp = (b[i] - mu) / d;
    const P = fastNormalCdf(bp);
    // E[Z | Z < b'] = -phi(b')/Phi(b'); for tiny P use the Mills-ratio limit -b'.
    y[i] = P > 1e-300 ? (-INV_SQRT_2PI * Math.exp(-0.5 * bp * bp)) / P : bp;
  }
  const rowStart = new Int32Array(M + 1);
  for (let i = 0; i < M; i++) rowStart[i + 1] = rowStart[i] + i;
  const L = new Float64Array(rowStart[M]);
  const bs = new Float64Array(M);
  for (let i = 0; i < M; i++) {
    const d = C[i * M + i];
    bs[i] = b[i] / d;
    for (let k = 0; k < i; k++) L[rowStart[i] + k] = C[i * M + k] / d;
  }
  return { dim: M, b: bs, L, rowStart, perm };
}

/**
 * f(w) + f(1 - w) for an antithetic pair, evaluated together: the two chains share every load of L and
 * are independent, so the CPU overlaps them (measured ~1.3x faster than two separate evaluations).
 */
function integrandPair(P: Prepared, e0: number, w: Float64Array, y: Float64Array, ya: Float64Array): number {
  const { dim, b, L } = P;
  let e = e0, f = e0, ea = e0, fa = e0, off = 0;
  for (let i = 1; i < dim; i++) {
    const wi = w[i - 1];
    let u = wi * e, ua = (1 - wi) * ea;
    if (u < 1e-300) u = 1e-300;
    if (ua < 1e-300) ua = 1e-300;
    normalQuantileInto(u, y, i - 1);
    normalQuantileInto(ua, ya, i - 1);
    let s0 = 0, s1 = 0, t0 = 0, t1 = 0, k = 0;
    for (; k + 1 < i; k += 2) {
      const l0 = L[off + k], l1 = L[off + k + 1];
      s0 += l0 * y[k];
      t0 += l0 * ya[k];
      s1 += l1 * y[k + 1];
      t1 += l1 * ya[k + 1];
    }
    if (k < i) { const l0 = L[off + k]; s0 += l0 * y[k]; t0 += l0 * ya[k]; }
    off += i;
    e = tableNormalCdf(b[i] - (s0 + s1));
    ea = tableNormalCdf(b[i] - (t0 + t1));
    f *= e;
    fa *= ea;
  }
  return f + fa;
}

/**
 * The control variate's problem: the one-factor matrix R1 = lambda lambda^T + diag(1 - lambda^2) in the SAME
 * variable order as R. Its Cholesky factor has the closed form L1[i,k] = lambda_i v_k (k < i) with
 * d_1 = 1, L1[k,k] = sqrt(1 - lambda_k^2 + lambda_k^2 d_k), v_k = lambda_k d_k / L1[k,k], d_{k+1} = d_k - v_k^2
 * (d_k = Var(F | the first k-1 variables); check: sum_{j<k} lambda_i lambda_k v_j^2 + lambda_i v_k L1[k,k]
 * = lambda_i lambda_k (1 - d_k + d_k)). So e1_i = Phi(a_i - c_i S_i) with S_i = sum_{k<i} v_k y1_k a running
 * scalar: the control-variate integrand costs O(M) per point, not O(M^2).
 */
interface PreparedFactor {
  a: Float64Array; // b_i / L1[i,i]
  c: Float64Array; // lambda_i / L1[i,i]
  v: Float64Array;
}

function prepareFactor(upperOrdered: Float64Array, lambdaOrdered: Float64Array): PreparedFactor {
  const M = upperOrdered.length;
  const a = new Float64Array(M), c = new Float64Array(M), v = new Float64Array(M);
  let d = 1;
  for (let k = 0; k < M; k++) {
    const l = lambdaOrdered[k];
    const diag = Math.sqrt(1 - l * l + l * l * d);
    a[k] = upperOrdered[k] / diag;
    c[k] = l / diag;
    v[k] = (l * d) / diag;
    d -= v[k] * v[k];
    if (d < 0) d = 0;
  }
  return { a, c, v };
}

/**
 * [f_R(w) + f_R(1-w)] - [f_R1(w) + f_R1(1-w)] for an antithetic pair: both integrands at the same lattice
 * point, so their smooth, highly correlated parts cancel and only the small difference is sampled.
 */
function integrandPairDifference(P: Prepared, F: PreparedFactor, e0: number, g0: number, w: Float64Array, y: Float64Array, ya: Float64Array, z: Float64Array): number {
  const { dim, b, L } = P;
  const { a, c, v } = F;
  let e = e0, f = e0, ea = e0, fa = e0, off = 0;
  let g = g0, h = g0, ga = g0, ha = g0, S = 0, Sa = 0;
  for (let i = 1; i < dim; i++) {
    const wi = w[i - 1], wa = 1 - wi;
    let u = wi * e, ua = wa * ea, u1 = wi * g, u1a = wa * ga;
    if (u < 1e-300) u = 1e-300;
    if (ua < 1e-300) ua = 1e-300;
    if (u1 < 1e-300) u1 = 1e-300;
    if (u1a < 1e-300) u1a = 1e-300;
    normalQuantileInto(u, y, i - 1);
    normalQuantileInto(ua, ya, i - 1);
    normalQuantileInto(u1, z, 0);
    normalQuantileInto(u1a, z, 1);
    const vk = v[i - 1];
    S += vk * z[0];
    Sa += vk * z[1];
    let s0 = 0, s1 = 0, t0 = 0, t1 = 0, k = 0;
    for (; k + 1 < i; k += 2) {
      const l0 = L[off + k], l1 = L[off + k + 1];
      s0 += l0 * y[k];
      t0 += l0 * ya[k];
      s1 += l1 * y[k + 1];
      t1 += l1 * ya[k + 1];
    }
    if (k < i) { const l0 = L[off + k]; s0 += l0 * y[k]; t0 += l0 * ya[k]; }
    off += i;
    e = tableNormalCdf(b[i] - (s0 + s1));
    ea = tableNormalCdf(b[i] - (t0 + t1));
    f *= e;
    fa *= ea;
    const ci = c[i], ai = a[i];
    g = tableNormalCdf(ai - ci * S);
    ga = tableNormalCdf(ai - ci * Sa);
    h *= g;
    ha *= ga;
  }
  return f + fa - (h + ha);
}

function isPrime(n: number): boolean {
  if (n < 2) return false;
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return true;
}

const KOROBOV_CACHE = new Map<string, Float64Array>();
const KOROBOV_SEARCH_DIMS = 8;
const KOROBOV_CANDIDATES = 120;

/**
 * Korobov rank-1 lattice generator z = (1, a, a^2, ...) mod n for prime n, returned as fractions z_j / n.
 * a is chosen among deterministic candidates to minimise the weighted P_2 criterion of the periodic
 * (baker-transformed) integrand space (Sloan & Joe 1994, "Lattice Methods for Multiple Integration";
 * Korobov 1959):  P_2 = -1 + (1/n) sum_k prod_j (1 + gamma_j 2 pi^2 B_2({k z_j / n})),  B_2(x) = x^2 - x + 1/6,
 * with product weights gamma_j = 1/j^2 — after the Genz–Bretz reordering the leading coordinates carry
 * most of the variance, the role mvt.f's tabulated Korobov generators play. Cached per (n, D).
 */
function korobovGenerator(n: number, D: number): Float64Array {
  const key = `${n}:${D}`;
  const hit = KOROBOV_CACHE.get(key);
  if (hit) return hit;
  // Criterion over the leading coordinates only: with weights 1/j^2 the rest changes P_2 by < 1%.
  const Dc = Math.min(D, KOROBOV_SEARCH_DIMS);
  const b2 = new Float64Array(n); // 2 pi^2 B_2(r / n) for every residue r
  for (let r = 0; r < n; r++) { const x = r / n; b2[r] = 2 * Math.PI * Math.PI * (x * x - x + 1 / 6); }
  const gamma = Float64Array.from({ length: Dc }, (_, j) => 1 / ((j + 1) * (j + 1)));
  const z = new Int32Array(Dc), res = new Int32Array(Dc);
  const candidates = Math.min(n - 3, KOROBOV_CANDIDATES);
  let bestA = 1, bestP = Infinity;
  for (let c = 0; c < candidates; c++) {
    // deterministic spread of candidates over [2, n-2] (golden-ratio sequence)
    const a = 2 + Math.floor(((c * 0.6180339887498949) % 1) * (n - 3));
    z[0] = 1;
    for (let j = 1; j < Dc; j++) z[j] = (z[j - 1] * a) % n;
    res.fill(0);
    let sum = 0;
    for (let k = 0; k < n; k++) {
      let prod = 1;
      for (let j = 0; j < Dc; j++) {
        prod *= 1 + gamma[j] * b2[res[j]];
        let r = res[j] + z[j];
        if (r >= n) r -= n;
        res[j] = r;
      }
      sum += prod;
    }
    const P = sum / n - 1;
    if (P < bestP) { bestP = P; bestA = a; }
  }
  const q = new Float64Array(D);
  let zj = 1;
  for (let j = 0; j < D; j++) { q[j] = zj / n; zj = (zj * bestA) % n; }
  KOROBOV_CACHE.set(key, q);
  return q;
}

/**
 * Lattice size of the next stage. MVKBRV grows n by ~1.5x per stage; when the error is still far above
 * the target that wastes work on intermediate stages (each costs as much as all earlier ones together),
 * so jump to the size the observed error predicts under an n^-growthPower law (0.75: between the MC rate
 * 0.5 and the lattice rate ~1; it gave the fewest points on the reference problems), never less than 1.5x and
 * at most 10x per stage.
 */
function nextStageSize(n: number, error: number, absEps: number, growthPower: number): number {
  const predicted = n * Math.pow(error / absEps, 1 / growthPower) * 1.1;
  return Math.ceil(Math.min(10 * n, Math.max(1.5 * n, predicted)));
}

/** Shifts per stage and error multiplier, as MVKBRV (MINSMP = 8, ABSERR = 7/2 * SE). */
const SHIFTS = 8;
const ERROR_FACTOR = 3.5;

/**
 * P(Z_m < upper_m for all m), Z ~ N(0, R); R is M x M row-major (unit diagonal expected).
 * Components with upper = +Infinity are marginalised out; any -Infinity gives exactly 0.
 */
export function mvnOrthantProbability(upper: Float64Array, R: Float64Array, options: OrthantOptions = {}): OrthantResult {
  const absEps = options.absEps ?? 1e-5;
  const maxPoints = options.maxPoints ?? 4_000_000;
  const lattice = options.lattice ?? "korobov";
  const M0 = upper.length;
  if (R.length !== M0 * M0) throw new RangeError(`mvnOrthantProbability: R has ${R.length} entries, expected ${M0 * M0}`);
  const keep: number[] = [];
  for (let m = 0; m < M0; m++) {
    if (Number.isNaN(upper[m])) throw new RangeError("mvnOrthantProbability: NaN threshold");
    if (upper[m] === -Infinity) return { value: 0, error: 0, points: 0, converged: true };
    if (upper[m] !== Infinity) keep.push(m);
  }
  const M = keep.length;
  if (M === 0) return { value: 1, error: 0, points: 0, converged: true };
  const u = new Float64Array(M), S = new Float64Array(M * M);
  for (let i = 0; i < M; i++) {
    u[i] = upper[keep[i]];
    for (let j = 0; j < M; j++) S[i * M + j] = R[keep[i] * M0 + keep[j]];
  }
  const P = prepare(u, S);
  const e0 = fastNormalCdf(P.b[0]);
  if (M === 1) return { value: e0, error: 0, points: 0, converged: true };
  // Independence (all off-diagonal factor entries zero): the product is exact, no sampling needed.
  if (P.L.every((v) => v === 0)) {
    let v = e0;
    for (let i = 1; i < M; i++) v *= fastNormalCdf(P.b[i]);
    return { value: v, error: 0, points: 0, converged: true };
  }

  let factor: PreparedFactor | null = null, p1 = 0, g0 = 0;
  if ((options.controlVariate ?? "single-factor") === "single-factor" && M >= 3) {
    const lambda = new Float64Array(M);
    if (options.loadings) {
      if (options.loadings.length !== M0) throw new RangeError(`mvnOrthantProbability: ${options.loadings.length} loadings, expected ${M0}`);
      for (let i = 0; i < M; i++) lambda[i] = options.loadings[keep[i]]!;
    } else {
      lambda.set(singleFactorMinres(S, M).loadings);
    }
    for (let i = 0; i < M; i++) if (!(Math.abs(lambda[i]) < 1)) throw new RangeError(`mvnOrthantProbability: |loading ${i}| must be < 1`);
    factor = prepareFactor(Float64Array.from(P.perm, (m) => u[m]), Float64Array.from(P.perm, (m) => lambda[m]));
    // Quadrature to 1e-4 absEps (or 1e-11 relative) is all the accuracy the sum needs; 16 initial panels
    // instead of 32 make it ~3x cheaper (it is ~25% of a 2e-4 run otherwise).
    p1 = singleFactorAllWrong(u, lambda, { absTol: 1e-4 * absEps, panels: 16 });
    g0 = fastNormalCdf(factor.a[0]);
  }

  const D = M - 1;
  const richtmyer = new Float64Array(D);
  const primes = firstPrimes(D);
  for (let j = 0; j < D; j++) { const s = Math.sqrt(primes[j]); richtmyer[j] = s - Math.floor(s); }
  const rng = rngStream(options.seed ?? 0, 0);
  const x = new Float64Array(D), w = new Float64Array(D), y = new Float64Array(M), ya = new Float64Array(M), z = new Float64Array(2);

  let n = 31; // lattice points per shift in the first stage (MVKBRV's smallest prime)
  let points = 0, estimate = 0, precision = 0, error = Infinity;
  while (points + 2 * SHIFTS * n <= maxPoints || points === 0) {
    let mean = 0, varsq = 0;
    const q = lattice === "korobov" ? korobovGenerator(n, D) : richtmyer;
    for (let s = 1; s <= SHIFTS; s++) {
      for (let j = 0; j < D; j++) x[j] = rng.nextFloat();
      let sum = 0;
      for (let k = 0; k < n; k++) {
        for (let j = 0; j < D; j++) {
          let t = x[j] + q[j];
          if (t >= 1) t -= 1;
          x[j] = t;
          w[j] = Math.abs(2 * t - 1); // baker's transform; integrandPair also uses 1 - w (antithetic)
        }
        sum += factor ? integrandPairDifference(P, factor, e0, g0, w, y, ya, z) : integrandPair(P, e0, w, y, ya);
      }
      const value = sum / (2 * n);
      // Welford-style running mean and variance-of-the-mean, as MVKBRV's DIFINT/VARSQR recursion.
      const dif = (value - mean) / s;
      mean += dif;
      varsq = ((s - 2) * varsq) / s + dif * dif;
    }
    points += 2 * SHIFTS * n;
    const varprd = precision * varsq;
    estimate += (mean - estimate) / (1 + varprd);
    if (varsq > 0) precision = (1 + varprd) / varsq;
    error = ERROR_FACTOR * Math.sqrt(varsq / (1 + varprd));
    if (error <= absEps) break;
    n = nextStageSize(n, error, absEps, 0.75);
    while (!isPrime(n)) n++;
    // Spend what is left of the budget rather than stopping short of it.
    const room = Math.floor((maxPoints - points) / (2 * SHIFTS));
    if (n > room) {
      n = room;
      while (n >= 31 && !isPrime(n)) n--;
      if (n < 31) break;
    }
  }
  // P1's quadrature tolerance is part of the error: it is all there is when R = R1 exactly.
  if (factor) error += Math.max(1e-11 * p1, 1e-4 * absEps);
  return { value: Math.min(1, Math.max(0, p1 + estimate)), error, points, converged: error <= absEps };
}
