/**
 * Multivariate normal orthant probabilities  P(Z_m < upper_m for all m),  Z ~ N(0, R), R a correlation matrix:
 * the Genz–Bretz separation of variables (the method of mvtnorm's Fortran MVTDST, R `mvtnorm::pmvnorm`) with
 * Botev's minimax exponential tilting (R `TruncatedNormal`), integrated by randomly shifted rank-1 lattice rules
 * in a WebAssembly kernel.
 *
 * References
 *  - A. Genz (1992), "Numerical computation of multivariate normal probabilities", J. Comput. Graph. Stat. 1,
 *    141–149: the separation-of-variables transformation.
 *  - A. Genz & F. Bretz (2009), "Computation of Multivariate Normal and t Probabilities", Springer LNS 195,
 *    §4.1.3 (variable reordering), §4.2.2 (randomized lattice rules, baker's transform, error = 3.5 standard
 *    errors over random shifts), as in mvt.f's MVKBRV.
 *  - Z. I. Botev (2017), "The normal law under linear restrictions: simulation and estimation via minimax
 *    tilting", JRSS B 79, 125–148: the tilting parameter mu and its saddle-point equations.
 *  - D. Nuyens & R. Cools (2006), fast component-by-component lattice rules (scripts/lattice-cbc.ts).
 *
 * Method. Reorder (Genz & Bretz §4.1.3, mvtnorm's MVSORT: at step i place the remaining variable with the smallest
 * conditional probability given the expected values of those already placed) and factor R = C C'; with
 * b_i = upper_i / c_ii and L_ik = c_ik / c_ii (k < i) the event is z_i < b_i - sum_{k<i} L_ik z_k for independent
 * standard normals z. Sampling z_i from N(mu_i, 1) truncated to that half-line (inverse CDF of the lattice coordinate
 * w_i) and weighting by the likelihood ratio gives the integrand on [0,1]^(M-1)
 *   f(w) = prod_i Phi(t_i) exp(sum_i mu_i^2/2 - mu_i z_i),   t_i = b_i - mu_i - sum_{k<i} L_ik z_k,
 *   z_i = mu_i + Phi^-1(w_i Phi(t_i)),
 * whose integral is the probability for ANY mu (mu = 0 is plain Genz–Bretz). Botev's minimax choice makes the
 * log-weight flat at its saddle point (minimaxTilt), which keeps the relative error small when the probability is
 * small — what the underpricing ratio beta / beta_full needs — and lowered the variance 1.2–4x on the paper's pools.
 *
 * Integration: the rank-1 lattice rules of stats/lattice-rules.ts (fast CBC, primes on a 1.25x ladder), each
 * randomly shifted, periodised by the baker's transform w = |2 frac(k z/n + shift) - 1| and evaluated antithetically
 * at w and 1 - w. The error is 3.5 standard errors of the mean over shifts (MVKBRV's convention, the number mvtnorm
 * reports). Shifts are added in batches at one lattice size — a waste-free sequential estimate, unlike MVKBRV's
 * restarts at ever larger rules, which on the real pools cost 2–3x the points — after a pilot at a small rule
 * chooses that size (planStage). When that plan is far beyond the pilot, probes of 8 shifts at ~8x, ~64x … the
 * pilot's size measure the rate at which this integrand's spread falls, and the size is chosen by it (planByRate):
 * on the real pools the lattice beats the Monte Carlo rate a little, more so at larger n, and sizing by n^-1/2 alone
 * overshot the error 2–4x in points (gpqa-mc at 1e-5: 3.2M points instead of 10.5M). Estimates at different sizes
 * (pilot, probes, main) are combined by inverse-variance weighting, as MVKBRV.
 *
 * Control variate (option controlVariate). Fit one-factor loadings lambda to R (minres) and let
 * R1 = lambda lambda' + diag(1 - lambda^2). Its orthant probability P1 is an exact 1-D integral
 * (stats/single-factor-beta.ts) and its integrand f_R1 — same variable order, same tilt, same lattice points —
 * integrates to exactly P1, so P(R) = P1 + integral (f_R - f_R1) dw is unbiased too. Where R is near one-factor the
 * difference has orders of magnitude less variance (the 67-dim simulated problem); on the real pools (RMS factor
 * residual 0.05–0.09) it does not help, so "auto" (the default) decides from the pilot's own variances whether its
 * ~1.6x cost per point pays.
 */
import { bivariateNormalCdf } from "./bivariate-normal.js";
import { singleFactorMinres } from "./factor.js";
import { LATTICE_RULES } from "./lattice-rules.js";
import { normalCdf, normalPdf, normalQuantileInto } from "./normal.js";
import { fastNormalCdf, tableNormalCdf } from "./normal-table.js";
import { rngStream, type Seed } from "./rng.js";
import { singleFactorAllWrong } from "./single-factor-beta.js";
import { orthantWorkspace } from "./wasm/orthant-kernel.js";

export { fastNormalCdf, normalQuantileInto, tableNormalCdf };

export interface OrthantOptions {
  /** Target absolute error (3.5 standard errors). Default 1e-5. */
  absEps?: number;
  /** Target relative error: stop when error <= max(absEps, relEps * value). Default 0 (absolute only). */
  relEps?: number;
  /** Budget of integrand evaluations (antithetic pairs count 2). Default 4e6. */
  maxPoints?: number;
  /** Seed of the random shifts; same seed -> same result. Default 0. */
  seed?: Seed;
  /**
   * Lattice rule: "cbc" (default; the tabulated fast-CBC rules) or "richtmyer" (generator frac(sqrt(prime_j)),
   * Genz's QSIMVN; a Kronecker sequence rather than a closed lattice).
   */
  lattice?: "cbc" | "richtmyer";
  /** Botev's minimax exponential tilting (default true); false: mu = 0, plain Genz–Bretz. */
  tilt?: boolean;
  /**
   * "auto" (default): the pilot stage evaluates both integrands and keeps the single-factor control variate only
   * when it lowers the variance per unit of work; "single-factor": always (M >= 3); "none": never.
   */
  controlVariate?: "auto" | "single-factor" | "none";
  /**
   * Loadings of R1, indexed like `upper` (|lambda_m| < 1); default: minres fit of R (stats/factor.ts). Any
   * loadings give an unbiased estimate; good ones give a small error.
   */
  loadings?: ArrayLike<number>;
  /** "wasm" (default): the WebAssembly kernel; "js": the scalar reference of the same integrand (tests). */
  kernel?: "wasm" | "js";
}

export interface OrthantResult {
  value: number;
  /** 3.5 x the estimated standard error (0 when the answer is exact, e.g. M <= 1 or independence). */
  error: number;
  /** Integrand evaluations used. */
  points: number;
  /** error <= max(absEps, relEps * value). */
  converged: boolean;
}

const INV_SQRT_2PI = 0.3989422804014327;
const SINGULAR = "mvnOrthantProbability: correlation matrix is numerically singular (repair it to a positive-definite matrix first)";

/** The reordered, scaled problem: the event is z_i < b[i] - sum_{k<i} L[i,k] z_k, L packed by rows (strict lower). */
export interface PreparedOrthant {
  dim: number;
  b: Float64Array;
  L: Float64Array;
  /** perm[i] = index (in the problem passed to prepare) of the variable placed i-th. */
  perm: Int32Array;
}

/**
 * Cholesky with Genz–Bretz variable reordering; rows of the factor are divided by their diagonal so
 * the integrand needs no divisions. Throws on a (numerically) singular matrix: repair it first
 * (nearest correlation matrix) — a singular R has a lower-dimensional support the lattice cannot see.
 */
export function prepareOrthant(upper: Float64Array, R: Float64Array): PreparedOrthant {
  const M = upper.length;
  const S = Float64Array.from(R);
  const b = Float64Array.from(upper);
  const C = new Float64Array(M * M); // full lower-triangular factor, row-major
  const y = new Float64Array(M);
  const perm = Int32Array.from({ length: M }, (_, i) => i);
  const swap = (i: number, j: number): void => {
    if (i === j) return;
    let t = b[i]!; b[i] = b[j]!; b[j] = t;
    const p = perm[i]!; perm[i] = perm[j]!; perm[j] = p;
    for (let k = 0; k < M; k++) { t = S[i * M + k]!; S[i * M + k] = S[j * M + k]!; S[j * M + k] = t; }
    for (let k = 0; k < M; k++) { t = S[k * M + i]!; S[k * M + i] = S[k * M + j]!; S[k * M + j] = t; }
    for (let k = 0; k < i; k++) { t = C[i * M + k]!; C[i * M + k] = C[j * M + k]!; C[j * M + k] = t; }
  };
  for (let i = 0; i < M; i++) {
    let best = -1, bestProb = Infinity;
    for (let j = i; j < M; j++) {
      let ss = 0, mu = 0;
      for (let k = 0; k < i; k++) { const c = C[j * M + k]!; ss += c * c; mu += c * y[k]!; }
      const v = S[j * M + j]! - ss;
      if (v <= 1e-12) continue;
      const pr = fastNormalCdf((b[j]! - mu) / Math.sqrt(v));
      if (pr < bestProb) { bestProb = pr; best = j; }
    }
    if (best < 0) throw new RangeError(SINGULAR);
    swap(i, best);
    let ss = 0, mu = 0;
    for (let k = 0; k < i; k++) { const c = C[i * M + k]!; ss += c * c; mu += c * y[k]!; }
    const d = Math.sqrt(S[i * M + i]! - ss);
    C[i * M + i] = d;
    for (let l = i + 1; l < M; l++) {
      let s = S[l * M + i]!;
      for (let k = 0; k < i; k++) s -= C[l * M + k]! * C[i * M + k]!;
      C[l * M + i] = s / d;
    }
    const bp = (b[i]! - mu) / d;
    const P = fastNormalCdf(bp);
    // E[Z | Z < b'] = -phi(b')/Phi(b'); for tiny P use the Mills-ratio limit -b'.
    y[i] = P > 1e-300 ? (-INV_SQRT_2PI * Math.exp(-0.5 * bp * bp)) / P : bp;
  }
  const L = new Float64Array((M * (M - 1)) / 2);
  const bs = new Float64Array(M);
  for (let i = 0, off = 0; i < M; i++) {
    const d = C[i * M + i]!;
    bs[i] = b[i]! / d;
    for (let k = 0; k < i; k++) L[off++] = C[i * M + k]! / d;
  }
  return { dim: M, b: bs, L, perm };
}

/** phi(x) / Phi(x), the inverse Mills ratio; the asymptotic series below -37 where Phi underflows (A&S 26.2.12). */
function inverseMills(x: number): number {
  if (x >= -37) return normalPdf(x) / normalCdf(x);
  const z = 1 / (x * x);
  return -x / (1 - z * (1 - z * (3 - z * (15 - z * (105 - z * 945)))));
}

/**
 * Botev's (2017) minimax tilting for the orthant: the saddle point (x*, mu*) of
 *   psi(x, mu) = sum_i [ log Phi(b_i - mu_i - sum_{k<i} L_ik x_k) + mu_i^2/2 - mu_i x_i ]   (mu_{d-1} = x_{d-1} = 0),
 * i.e. grad psi = 0 (TruncatedNormal's gradpsi / jacpsi with lower limits -Inf): with r_i the inverse Mills ratio at
 * t_i = b_i - mu_i - sum L_ik x_k and dP_i = -r_i (r_i + t_i),
 *   d/dx_j  = -mu_j - sum_{k>j} r_k L_kj,      d/dmu_j = mu_j - x_j - r_j,
 * solved by Newton's method on the 2(d-1) equations (analytic Jacobian; each step by the Schur complement of its
 * diagonal mu-block and a partial-pivoting LU of the (d-1)-square rest; step halving on ||grad||^2) from (0, 0). Returns mu (length d, last entry 0), or null when Newton does not converge — any mu
 * gives an unbiased estimate, so the caller then simply integrates untilted.
 */
export function minimaxTilt(P: PreparedOrthant): Float64Array | null {
  const d = P.dim, n = d - 1, N = 2 * n;
  if (n < 1) return null;
  const { b, L } = P;
  const rowStart = (i: number) => (i * (i - 1)) / 2;
  const x = new Float64Array(d), mu = new Float64Array(d), xt = new Float64Array(d), mt = new Float64Array(d);
  const t = new Float64Array(d), r = new Float64Array(d), dP = new Float64Array(d);
  const g = new Float64Array(N), gt = new Float64Array(N), step = new Float64Array(N);
  // The Jacobian [[A, C], [C', D]] in blocks: A = d grad_x / dx (n x n, symmetric), C[j][i] = d grad_x_j / d mu_i
  // (upper triangular: -1 on the diagonal, dP_i L_ij above), D = d grad_mu / d mu = diag(1 + dP_i), in (0, 1).
  const A = new Float64Array(n * n), C = new Float64Array(n * n), CD = new Float64Array(n * n), Dd = new Float64Array(n);
  const S = new Float64Array(n * n), rhs = new Float64Array(n);
  const evaluate = (xs: Float64Array, ms: Float64Array, out: Float64Array): number => {
    for (let k = 0; k < d; k++) {
      let c = 0;
      const o = rowStart(k);
      for (let j = 0; j < k; j++) c += L[o + j]! * xs[j]!;
      t[k] = b[k]! - ms[k]! - c;
      r[k] = inverseMills(t[k]!);
      dP[k] = -r[k]! * (r[k]! + t[k]!);
    }
    let ss = 0;
    for (let j = 0; j < n; j++) {
      let s = -ms[j]!;
      for (let k = j + 1; k < d; k++) s -= r[k]! * L[rowStart(k) + j]!;
      out[j] = s;
      out[n + j] = ms[j]! - xs[j]! - r[j]!;
      ss += out[j]! * out[j]! + out[n + j]! * out[n + j]!;
    }
    return ss;
  };
  let norm = evaluate(x, mu, g);
  for (let iter = 0; iter < 100 && !(norm <= 1e-22); iter++) {
    if (!Number.isFinite(norm)) return null;
    A.fill(0);
    // x-x block: sum_{k > max(i,j)} L_ki dP_k L_kj
    for (let k = 1; k < d; k++) {
      const o = rowStart(k), dk = dP[k]!;
      for (let i = 0; i < k && i < n; i++) {
        const li = L[o + i]! * dk;
        if (li === 0) continue;
        for (let j = 0; j < k && j < n; j++) A[i * n + j] = A[i * n + j]! + li * L[o + j]!;
      }
    }
    for (let i = 0; i < n; i++) {
      const o = rowStart(i);
      for (let j = 0; j < i; j++) C[j * n + i] = dP[i]! * L[o + j]!;
      C[i * n + i] = -1;
      Dd[i] = 1 + dP[i]!;
    }
    // Newton step J [dx; dmu] = -g by the Schur complement of the diagonal D (J's LU at (2n)^3 cost, ~8x more):
    // (A - C D^-1 C') dx = -g_x + C D^-1 g_mu, then dmu = D^-1 (-g_mu - C' dx).
    for (let j = 0; j < n; j++) for (let i = j; i < n; i++) CD[j * n + i] = C[j * n + i]! / Dd[i]!; // C D^-1
    for (let j = 0; j < n; j++) {
      let v = -g[j]!;
      for (let i = j; i < n; i++) v += CD[j * n + i]! * g[n + i]!;
      rhs[j] = v;
      for (let l = 0; l <= j; l++) {
        let s = A[j * n + l]!;
        for (let i = j; i < n; i++) s -= CD[j * n + i]! * C[l * n + i]!;
        S[j * n + l] = s;
        S[l * n + j] = s;
      }
    }
    if (!luSolve(S, rhs, n)) return null;
    for (let i = 0; i < n; i++) {
      step[i] = rhs[i]!;
      let v = -g[n + i]!;
      for (let j = 0; j <= i; j++) v -= C[j * n + i]! * rhs[j]!;
      step[n + i] = v / Dd[i]!;
    }
    let accepted = false;
    for (let h = 1, tries = 0; tries < 40; tries++, h /= 2) {
      for (let i = 0; i < n; i++) { xt[i] = x[i]! + h * step[i]!; mt[i] = mu[i]! + h * step[n + i]!; }
      const nt = evaluate(xt, mt, gt);
      if (nt < norm * (1 - 1e-4 * h)) {
        x.set(xt); mu.set(mt); g.set(gt); norm = nt;
        accepted = true;
        break;
      }
    }
    if (!accepted) break;
  }
  if (!(norm <= 1e-16)) return null;
  for (let i = 0; i < d; i++) if (!Number.isFinite(mu[i]!)) return null;
  mu[d - 1] = 0;
  return mu;
}

/** Solves A x = rhs in place (rhs <- x) by LU with partial pivoting; false when A is singular. A is destroyed. */
function luSolve(A: Float64Array, rhs: Float64Array, N: number): boolean {
  for (let c = 0; c < N; c++) {
    let p = c, big = Math.abs(A[c * N + c]!);
    for (let r = c + 1; r < N; r++) { const v = Math.abs(A[r * N + c]!); if (v > big) { big = v; p = r; } }
    if (!(big > 0)) return false;
    if (p !== c) {
      for (let k = c; k < N; k++) { const tmp = A[c * N + k]!; A[c * N + k] = A[p * N + k]!; A[p * N + k] = tmp; }
      const tmp = rhs[c]!; rhs[c] = rhs[p]!; rhs[p] = tmp;
    }
    const piv = A[c * N + c]!;
    for (let r = c + 1; r < N; r++) {
      const f = A[r * N + c]! / piv;
      if (f === 0) continue;
      for (let k = c + 1; k < N; k++) A[r * N + k] = A[r * N + k]! - f * A[c * N + k]!;
      rhs[r] = rhs[r]! - f * rhs[c]!;
    }
  }
  for (let c = N - 1; c >= 0; c--) {
    let s = rhs[c]!;
    for (let k = c + 1; k < N; k++) s -= A[c * N + k]! * rhs[k]!;
    rhs[c] = s / A[c * N + c]!;
  }
  return true;
}

/**
 * The control variate's problem: the one-factor matrix R1 = lambda lambda^T + diag(1 - lambda^2) in the SAME
 * variable order as R. Its Cholesky factor has the closed form L1[i,k] = lambda_i v_k (k < i) with
 * d_1 = 1, L1[k,k] = sqrt(1 - lambda_k^2 + lambda_k^2 d_k), v_k = lambda_k d_k / L1[k,k], d_{k+1} = d_k - v_k^2
 * (d_k = Var(F | the first k-1 variables); check: sum_{j<k} lambda_i lambda_k v_j^2 + lambda_i v_k L1[k,k]
 * = lambda_i lambda_k (1 - d_k + d_k)). So its condition is y_i < a_i - c_i S_i with S_i = sum_{k<i} v_k y_k a
 * running scalar: the control-variate integrand costs O(M) per point, not O(M^2).
 */
export interface PreparedFactor {
  a: Float64Array; // b_i / L1[i,i]
  c: Float64Array; // lambda_i / L1[i,i]
  v: Float64Array;
}

export function prepareFactor(upperOrdered: Float64Array, lambdaOrdered: Float64Array): PreparedFactor {
  const M = upperOrdered.length;
  const a = new Float64Array(M), c = new Float64Array(M), v = new Float64Array(M);
  let d = 1;
  for (let k = 0; k < M; k++) {
    const l = lambdaOrdered[k]!;
    const diag = Math.sqrt(1 - l * l + l * l * d);
    a[k] = upperOrdered[k]! / diag;
    c[k] = l / diag;
    v[k] = (l * d) / diag;
    d -= v[k]! * v[k]!;
    if (d < 0) d = 0;
  }
  return { a, c, v };
}

/** The largest double below 1 (a coordinate t = 0 gives w = 1 exactly; Phi^-1 must stay finite). */
const BELOW_ONE = 0.9999999999999999;

/**
 * The scalar reference of the kernel's latticeSum (stats/wasm/orthant-kernel.as.ts), same integrand, same order of
 * operations (up to Phi^-1's logarithm): out[0] = sum over n points of f(w) + f(1 - w), out[1] the same for the
 * control variate's integrand (when F is given); the shift x is advanced in place.
 */
export function orthantLatticeSumReference(P: PreparedOrthant, mu: Float64Array, F: PreparedFactor | null, q: Float64Array, x: Float64Array, n: number, out: Float64Array): void {
  const d = P.dim;
  const z = new Float64Array(d), za = new Float64Array(d), y = new Float64Array(2);
  let sum = 0, sumG = 0;
  for (let k = 0; k < n; k++) {
    let f = 1, fa = 1, e = 0, ea = 0, g = 1, ga = 1, h = 0, ha = 0, S = 0, Sa = 0, off = 0;
    for (let i = 0; i < d; i++) {
      let s0 = 0, s1 = 0, t0 = 0, t1 = 0, j = 0;
      for (; j + 1 < i; j += 2) {
        const l0 = P.L[off + j]!, l1 = P.L[off + j + 1]!;
        s0 += l0 * z[j]!; t0 += l0 * za[j]!;
        s1 += l1 * z[j + 1]!; t1 += l1 * za[j + 1]!;
      }
      if (j < i) { const l0 = P.L[off + j]!; s0 += l0 * z[j]!; t0 += l0 * za[j]!; }
      off += i;
      const m = mu[i]!, bm = P.b[i]! - m;
      const p = tableNormalCdf(bm - (s0 + s1)), pa = tableNormalCdf(bm - (t0 + t1));
      f *= p; fa *= pa;
      let gp = 1, gpa = 1;
      if (F) {
        const am = F.a[i]! - m, ci = F.c[i]!;
        gp = tableNormalCdf(am - ci * S); gpa = tableNormalCdf(am - ci * Sa);
        g *= gp; ga *= gpa;
      }
      if (i < d - 1) {
        let t = x[i]! + q[i]!;
        if (t >= 1) t -= 1;
        x[i] = t;
        const w = Math.abs(2 * t - 1), wa = 1 - w;
        normalQuantileInto(Math.min(Math.max(w * p, 1e-300), BELOW_ONE), z, i);
        normalQuantileInto(Math.min(Math.max(wa * pa, 1e-300), BELOW_ONE), za, i);
        z[i] = z[i]! + m; za[i] = za[i]! + m;
        if (m !== 0) { e += m * (0.5 * m - z[i]!); ea += m * (0.5 * m - za[i]!); }
        if (F) {
          normalQuantileInto(Math.min(Math.max(w * gp, 1e-300), BELOW_ONE), y, 0);
          normalQuantileInto(Math.min(Math.max(wa * gpa, 1e-300), BELOW_ONE), y, 1);
          const y0 = y[0]! + m, y1 = y[1]! + m, vi = F.v[i]!;
          S += vi * y0; Sa += vi * y1;
          if (m !== 0) { h += m * (0.5 * m - y0); ha += m * (0.5 * m - y1); }
        }
      }
    }
    sum += f * Math.exp(e) + fa * Math.exp(ea);
    if (F) sumG += g * Math.exp(h) + ga * Math.exp(ha);
  }
  out[0] = sum;
  out[1] = sumG;
}

/** Lattice sizes available (the table's ladder) and the generator of size n for dimension D, as fractions z_j / n. */
const LADDER = LATTICE_RULES.map(([n]) => n);
const RULE_CACHE = new Map<string, Float64Array>();

function latticeGenerator(rung: number, D: number, kind: "cbc" | "richtmyer"): Float64Array {
  const key = `${kind}:${rung}:${D}`;
  const hit = RULE_CACHE.get(key);
  if (hit) return hit;
  const [n, z] = LATTICE_RULES[rung]!;
  const q = new Float64Array(Math.max(D, 1));
  // Beyond the table's dimensions (and for the "richtmyer" option): frac(sqrt(p_j)), a Kronecker sequence.
  const primes = firstPrimes(D);
  for (let j = 0; j < D; j++) {
    if (kind === "cbc" && j < z.length) q[j] = z[j]! / n;
    else { const s = Math.sqrt(primes[j]!); q[j] = s - Math.floor(s); }
  }
  RULE_CACHE.set(key, q);
  return q;
}

function firstPrimes(n: number): number[] {
  const out: number[] = [];
  for (let c = 2; out.length < n; c++) {
    let prime = true;
    for (const p of out) {
      if (p * p > c) break;
      if (c % p === 0) { prime = false; break; }
    }
    if (prime) out.push(c);
  }
  return out;
}

/** Shifts of the pilot and of every later batch; MVKBRV's MINSMP. */
const SHIFTS = 8;
const ERROR_FACTOR = 3.5;
/** The pilot's lattice (~250 points; ~4000 evaluations with 8 antithetic shifts). */
const PILOT_RUNG = LADDER.findIndex((n) => n >= 240);
/** Shifts the main stage is sized for: then batches of SHIFTS stop it within ~25% of the points it needs. */
const PLANNED_SHIFTS = 16;
/**
 * "auto" keeps the control variate when the pilot's variance of f - f_R1 is below var(f) / CV_GAIN: a clear win
 * only (a point costs ~1.6x; the ratio of two 8-shift variances is F(7,7)-distributed, above 8 with probability
 * 0.7% when the control variate does nothing, as on the real pools; on near-one-factor problems it is 1e2–1e6).
 */
const CV_GAIN = 8;

/** Running sums of one stage (one lattice size): shift means of the estimator. */
class Stage {
  shifts = 0;
  private mean = 0;
  private m2 = 0;
  constructor(readonly rung: number) {}
  add(value: number): void {
    this.shifts++;
    const delta = value - this.mean;
    this.mean += delta / this.shifts;
    this.m2 += delta * (value - this.mean);
  }
  get estimate(): number { return this.mean; }
  /** Variance of the stage mean (per-shift variance / shifts). */
  get variance(): number { return this.shifts > 1 ? this.m2 / (this.shifts - 1) / this.shifts : Infinity; }
  /** Per-shift standard deviation. */
  get spread(): number { return this.shifts > 1 ? Math.sqrt(this.m2 / (this.shifts - 1)) : Infinity; }
}

/** Inverse-variance combination of the stages (MVKBRV); a stage with zero variance is exact. */
function combine(stages: Stage[]): { value: number; variance: number } {
  let wsum = 0, vsum = 0;
  for (const s of stages) {
    const v = s.variance;
    if (v === 0) return { value: s.estimate, variance: 0 };
    if (!Number.isFinite(v)) continue;
    wsum += 1 / v;
    vsum += s.estimate / v;
  }
  return wsum > 0 ? { value: vsum / wsum, variance: 1 / wsum } : { value: stages.at(-1)?.estimate ?? 0, variance: Infinity };
}

/**
 * The lattice size for the main stage: with per-shift spread s0 at the pilot's n0 and the conservative Monte Carlo
 * rate s(n) = s0 sqrt(n0 / n), the size at which PLANNED_SHIFTS shifts reach the tolerance (smallest ladder rung at or
 * above it). A better lattice rate only means the batches stop sooner.
 */
function planStage(pilot: Stage, tolerance: number, budget: number): number {
  const n0 = LADDER[pilot.rung]!;
  const need = n0 * Math.pow((ERROR_FACTOR * pilot.spread) / (Math.sqrt(PLANNED_SHIFTS) * tolerance), 2);
  const rung = LADDER.findIndex((n) => n >= need);
  return withinBudget(rung < 0 ? LADDER.length - 1 : rung, pilot.rung, budget);
}

/**
 * `rung`, or the largest smaller one (not below `floor`) at which PLANNED_SHIFTS shifts fit the budget. The error is
 * only as honest as the spread it comes from: in few dimensions the lattice error falls much faster than the Monte
 * Carlo rate assumes, and a rule sized by that rate left room for 3 shifts: errors 2–4x too small, coverage 95% at
 * "3.5 SE".
 */
function withinBudget(rung: number, floor: number, budget: number): number {
  while (rung > floor && 2 * LADDER[rung]! * PLANNED_SHIFTS > budget) rung--;
  return Math.max(rung, floor);
}

/**
 * The main stage's size from two measured spreads: s0 at n0 (pilot or previous probe) and s1 at n1 = ~8 n0. Their
 * slope gives the rate this integrand's lattice error falls at, s(n) = s1 (n1 / n)^alpha, clamped between the Monte
 * Carlo rate (alpha = 1/2, the most conservative) and 1. The slope of two 8-shift spreads (each ~27% relative) is
 * noisy; a rule sized too small costs a few more shifts of the batch loop, which also keep the error honest. Sized by the Monte Carlo rate alone, the main rule overshot the tolerance 2–4x in points on the real
 * pools, whose lattice error falls a little faster than n^-1/2 over the 1000x from pilot to main rule (gpqa-mc:
 * 10.5M points for an error 2x smaller than asked). A rate that is too optimistic only means more batches.
 */
function planByRate(before: Stage, probe: Stage, tolerance: number, budget: number): number {
  const n0 = LADDER[before.rung]!, n1 = LADDER[probe.rung]!;
  const measured = Math.log(before.spread / probe.spread) / Math.log(n1 / n0);
  const alpha = Math.min(1, Math.max(0.5, Number.isFinite(measured) ? measured : 0.5));
  const need = n1 * Math.pow((ERROR_FACTOR * probe.spread) / (Math.sqrt(PLANNED_SHIFTS) * tolerance), 1 / alpha);
  // The nearest rung (in log n), not the next one up: the ladder's steps are ~25%, and a rule a little short of the
  // need costs two more shifts of the batch loop, one a little long costs 16 shifts of the longer rule.
  let rung = 0;
  for (let r = 1; r < LADDER.length; r++) if (Math.abs(Math.log(LADDER[r]! / need)) < Math.abs(Math.log(LADDER[rung]! / need))) rung = r;
  return withinBudget(rung, probe.rung, budget);
}

/** The probe's rule: ~8x the pilot's, where the rate between the two is measured. */
const PROBE_FACTOR = 8;
/** A probe pays only when the Monte Carlo plan is far beyond it: its 8 shifts cost ~1/8 of one main shift then. */
const PROBE_WORTH = 64;

/**
 * P(Z_m < upper_m for all m), Z ~ N(0, R); R is M x M row-major (unit diagonal expected).
 * Components with upper = +Infinity are marginalised out; any -Infinity gives exactly 0.
 */
export function mvnOrthantProbability(upper: Float64Array, R: Float64Array, options: OrthantOptions = {}): OrthantResult {
  const absEps = options.absEps ?? 1e-5;
  const relEps = options.relEps ?? 0;
  const maxPoints = options.maxPoints ?? 4_000_000;
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
    u[i] = upper[keep[i]!]!;
    for (let j = 0; j < M; j++) S[i * M + j] = R[keep[i]! * M0 + keep[j]!]!;
  }
  // Two dimensions: Genz's BVND (stats/bivariate-normal.ts, ~1e-15 absolute), as MVTDST's special case.
  if (M === 2) {
    if (!(1 - S[1]! * S[1]! > 1e-12)) throw new RangeError(SINGULAR);
    return { value: bivariateNormalCdf(u[0]!, u[1]!, S[1]!), error: 1e-15, points: 0, converged: true };
  }
  const P = prepareOrthant(u, S);
  const e0 = fastNormalCdf(P.b[0]!);
  if (M === 1) return { value: e0, error: 0, points: 0, converged: true };
  // Independence (all off-diagonal factor entries zero): the product is exact, no sampling needed.
  if (P.L.every((v) => v === 0)) {
    let v = e0;
    for (let i = 1; i < M; i++) v *= fastNormalCdf(P.b[i]!);
    return { value: v, error: 0, points: 0, converged: true };
  }
  const mu = (options.tilt ?? true) ? minimaxTilt(P) ?? new Float64Array(M) : new Float64Array(M);

  const cvMode = M >= 3 ? options.controlVariate ?? "auto" : "none";
  let factor: PreparedFactor | null = null, lambda: Float64Array | null = null;
  if (cvMode !== "none") {
    lambda = new Float64Array(M);
    if (options.loadings) {
      if (options.loadings.length !== M0) throw new RangeError(`mvnOrthantProbability: ${options.loadings.length} loadings, expected ${M0}`);
      for (let i = 0; i < M; i++) lambda[i] = options.loadings[keep[i]!]!;
    } else {
      lambda.set(singleFactorMinres(S, M).loadings);
    }
    for (let i = 0; i < M; i++) if (!(Math.abs(lambda[i]!) < 1)) throw new RangeError(`mvnOrthantProbability: |loading ${i}| must be < 1`);
    factor = prepareFactor(Float64Array.from(P.perm, (m) => u[m]!), Float64Array.from(P.perm, (m) => lambda![m]!));
  }

  const D = M - 1;
  const kind = options.lattice ?? "cbc";
  const js = options.kernel === "js";
  const ws = js ? null : orthantWorkspace(M);
  const jsX = new Float64Array(D), jsOut = new Float64Array(2);
  if (ws) {
    ws.b.set(P.b); ws.mu.set(mu); ws.L.set(P.L);
    if (factor) { ws.a.set(factor.a); ws.c.set(factor.c); ws.v.set(factor.v); }
  }
  const rng = rngStream(options.seed ?? 0, 0);
  /** One shift of the rule: [mean of f, mean of f_R1] over its 2n evaluations. */
  const shift = (rung: number, withCv: boolean): [number, number] => {
    const n = LADDER[rung]!;
    const q = latticeGenerator(rung, D, kind);
    if (ws) {
      ws.q.set(q.subarray(0, D));
      for (let j = 0; j < D; j++) ws.x[j] = rng.nextFloat();
      ws.sum(n, withCv);
      return [ws.out[0]! / (2 * n), ws.out[1]! / (2 * n)];
    }
    for (let j = 0; j < D; j++) jsX[j] = rng.nextFloat();
    orthantLatticeSumReference(P, mu, withCv ? factor : null, q, jsX, n, jsOut);
    return [jsOut[0]! / (2 * n), jsOut[1]! / (2 * n)];
  };

  // Pilot: 8 shifts of a small rule; with "auto" it measures both integrands and keeps the cheaper per accuracy.
  let useCv = cvMode === "single-factor";
  let points = 0;
  let pilotRung = Math.max(0, PILOT_RUNG);
  while (pilotRung > 0 && 2 * SHIFTS * LADDER[pilotRung]! > maxPoints) pilotRung--;
  const pilotF: number[] = [], pilotG: number[] = [];
  for (let s = 0; s < SHIFTS; s++) {
    const [f, g] = shift(pilotRung, factor !== null);
    pilotF.push(f); pilotG.push(g);
  }
  points += 2 * SHIFTS * LADDER[pilotRung]!;
  if (cvMode === "auto" && factor) {
    const varOf = (xs: number[]) => { const m = xs.reduce((a, b) => a + b, 0) / xs.length; return xs.reduce((a, b) => a + (b - m) ** 2, 0); };
    useCv = varOf(pilotF.map((f, i) => f - pilotG[i]!)) * CV_GAIN < varOf(pilotF);
  }
  // P1's quadrature to 1e-4 absEps (or 1e-11 relative) is all the accuracy the sum needs.
  const p1 = useCv ? singleFactorAllWrong(u, lambda!, { absTol: 1e-4 * absEps, panels: 16 }) : 0;
  const pilot = new Stage(pilotRung);
  for (let s = 0; s < SHIFTS; s++) pilot.add(useCv ? pilotF[s]! - pilotG[s]! : pilotF[s]!);
  const stages = [pilot];
  const target = (value: number) => Math.max(absEps, relEps * Math.abs(value));
  let result = combine(stages);
  let error = ERROR_FACTOR * Math.sqrt(result.variance);
  /**
   * `count` more shifts of a stage's rule, each adding its mean (of f - f_R1 with the control variate) to the stage;
   * then the combined estimate and its error again.
   */
  const addShifts = (stage: Stage, count: number) => {
    for (let s = 0; s < count; s++) {
      const [f, g] = shift(stage.rung, useCv);
      stage.add(useCv ? f - g : f);
    }
    points += 2 * count * LADDER[stage.rung]!;
    result = combine(stages);
    error = ERROR_FACTOR * Math.sqrt(result.variance);
  };
  // Done at the pilot (few dimensions, loose tolerance): 8 more shifts of the small rule (~4000 evaluations) before
  // the error is reported, since 7 degrees of freedom under-cover at 3.5 SE (97% measured in 3–5 dimensions).
  if (error <= target(p1 + result.value) && 4 * SHIFTS * LADDER[pilotRung]! <= maxPoints) addShifts(pilot, SHIFTS);
  if (error > target(p1 + result.value)) {
    let rung = planStage(pilot, target(p1 + result.value), maxPoints - points);
    // Measure the rate before committing to a large rule: probes of 8 shifts at ~8x, ~64x … the pilot's size, while
    // the plan is still far beyond the last one (the rate a lattice shows steepens with n). Their shifts count in
    // the estimate; together they cost ~1/7 of one more probe, i.e. a small part of the main stage they size.
    let last = pilot;
    for (;;) {
      const probeRung = LADDER.findIndex((n) => n >= PROBE_FACTOR * LADDER[last.rung]!);
      if (!(probeRung > last.rung && LADDER[rung]! >= PROBE_WORTH * LADDER[last.rung]! && 2 * SHIFTS * LADDER[probeRung]! * 4 <= maxPoints - points)) break;
      const probe = new Stage(probeRung);
      stages.push(probe);
      addShifts(probe, SHIFTS);
      rung = planByRate(last, probe, target(p1 + result.value), maxPoints - points);
      last = probe;
    }
    // The rate says the last probe's rule is enough: it becomes the main stage (and gets its 16 shifts there).
    const main = last !== pilot && rung === last.rung ? last : new Stage(rung);
    if (main !== last) stages.push(main);
    const perShift = 2 * LADDER[main.rung]!;
    for (;;) {
      // Batches of SHIFTS; after the first, as many as the current spread says are still needed (at most 2x).
      let batch = SHIFTS;
      if (main.shifts >= SHIFTS) {
        const tol = target(p1 + result.value);
        const needed = Math.ceil(main.shifts * Math.pow(error / tol, 2) * 1.05) - main.shifts;
        batch = Math.max(2, Math.min(main.shifts, needed), PLANNED_SHIFTS - main.shifts);
      }
      batch = Math.min(batch, Math.floor((maxPoints - points) / perShift));
      if (batch <= 0) break;
      addShifts(main, batch);
      // Stopping the moment a spread from 8–10 shifts dips below the tolerance picks the runs whose spread came out
      // small (coverage 96% at "3.5 SE" in 3 dimensions); from PLANNED_SHIFTS shifts on, that selection is harmless.
      if (error <= target(p1 + result.value) && main.shifts >= PLANNED_SHIFTS) break;
    }
  }
  if ((globalThis as { ORTHANT_DEBUG?: boolean }).ORTHANT_DEBUG) console.log(stages.map((s) => `n=${LADDER[s.rung]} x${s.shifts} sd=${s.spread.toExponential(2)}`).join("; "), useCv ? "cv" : "");
  // P1's quadrature tolerance is part of the error: it is all there is when R = R1 exactly.
  if (useCv) error += Math.max(1e-11 * p1, 1e-4 * absEps);
  const value = Math.min(1, Math.max(0, p1 + result.value));
  return { value, error, points, converged: error <= target(value) };
}
