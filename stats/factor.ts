// One-factor model of a correlation matrix by minimum residual (minres / unweighted least squares).
import { symmetricEigen } from "./eigen.js";

export interface SingleFactorOptions {
  /** Largest communality allowed: psych bounds uniquenesses below at 0.005, i.e. l^2 <= 0.995. */
  maxCommunality?: number;
  /** Stop when no loading moves by more than this in a sweep. Default 1e-12. */
  tolerance?: number;
  maxSweeps?: number;
  /**
   * Starting loadings (e.g. the point estimate's, for a bootstrap replicate) instead of the first principal
   * component: skips an eigendecomposition and most sweeps. The descent stops at the same tolerance; a start
   * in the same basin reaches the same minimiser (to ~tolerance).
   */
  start?: ArrayLike<number>;
}

export interface SingleFactorResult {
  /** Loadings l (sum >= 0). */
  loadings: Float64Array;
  /** Communalities l^2. */
  communalities: Float64Array;
  /** Minimised objective sum_{m<n} (r_mn - l_m l_n)^2. */
  residualSumSquares: number;
  sweeps: number;
  converged: boolean;
  /** True when some |l_m| sits at the sqrt(maxCommunality) bound (a Heywood case). */
  heywood: boolean;
}

/**
 * Minres single-factor loadings: minimise F(l) = sum_{m<n} (r_mn - l_m l_n)^2 over |l_m| <= sqrt(0.995).
 * This is the fixed point psych::fa(R, nfactors = 1, fm = "minres") reaches (psych optimises the same
 * off-diagonal residual over uniquenesses Psi in [0.005, 1] with L-BFGS-B, loadings = first eigenpair of
 * R with diagonal 1 - Psi; at a stationary point the two parameterisations coincide, because
 * dF/dl = 0 <=> (R - diag(R) + diag(l^2)) l = (l'l) l, i.e. l is an eigenvector of the reduced matrix;
 * Harman & Jones 1966). Solved here by exact cyclic coordinate descent — F is a quadratic in each l_m
 * with minimiser l_m = sum_{n != m} r_mn l_n / sum_{n != m} l_n^2, clipped to the bound — started from the
 * first principal component. Sign convention as psych: the sum of loadings is made non-negative.
 */
export function singleFactorMinres(r: ArrayLike<number>, n: number, options: SingleFactorOptions = {}): SingleFactorResult {
  const bound = Math.sqrt(options.maxCommunality ?? 0.995);
  const tol = options.tolerance ?? 1e-12;
  const maxSweeps = options.maxSweeps ?? 100000;
  if (r.length !== n * n) throw new RangeError(`matrix has ${r.length} entries, expected ${n * n}`);
  const l = new Float64Array(n);
  if (options.start) {
    if (options.start.length !== n) throw new RangeError(`start has ${options.start.length} entries, expected ${n}`);
    for (let m = 0; m < n; m++) l[m] = Math.max(-bound, Math.min(bound, options.start[m]!));
  } else {
    const { values, vectors } = symmetricEigen(r, n);
    const s0 = Math.sqrt(Math.max(values[0]!, 0));
    for (let m = 0; m < n; m++) l[m] = Math.max(-bound, Math.min(bound, vectors[m * n]! * s0));
  }
  let sumSq = 0;
  for (let m = 0; m < n; m++) sumSq += l[m]! * l[m]!;
  let sweeps = 0;
  let converged = false;
  while (sweeps < maxSweeps && !converged) {
    sweeps++;
    let maxMove = 0;
    for (let m = 0; m < n; m++) {
      const lm = l[m]!;
      const denom = sumSq - lm * lm;
      let num = 0;
      for (let k = 0; k < n; k++) if (k !== m) num += r[m * n + k]! * l[k]!;
      let next = denom > 0 ? num / denom : 0;
      if (next > bound) next = bound;
      else if (next < -bound) next = -bound;
      maxMove = Math.max(maxMove, Math.abs(next - lm));
      sumSq += next * next - lm * lm;
      l[m] = next;
    }
    // Re-sum to keep rounding drift out of the running sum of squares.
    sumSq = 0;
    for (let m = 0; m < n; m++) sumSq += l[m]! * l[m]!;
    converged = maxMove <= tol;
  }
  let total = 0;
  for (let m = 0; m < n; m++) total += l[m]!;
  if (total < 0) for (let m = 0; m < n; m++) l[m] = -l[m]!;
  let rss = 0;
  let heywood = false;
  for (let m = 0; m < n; m++) {
    if (Math.abs(l[m]!) >= bound) heywood = true;
    for (let k = m + 1; k < n; k++) rss += (r[m * n + k]! - l[m]! * l[k]!) ** 2;
  }
  return {
    loadings: l,
    communalities: Float64Array.from(l, (v) => v * v),
    residualSumSquares: rss,
    sweeps,
    converged,
    heywood,
  };
}
