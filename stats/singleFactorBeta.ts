// All-wrong probability under a one-factor Gaussian copula, and thresholds from error rates.
import { logNormalCdf, normalQuantile } from "./normal.js";

/** tau_m = Phi^-1(error rate of m), the latent thresholds of the Gaussian copula. */
export function thresholds(errorRates: ArrayLike<number>): Float64Array {
  return Float64Array.from({ length: errorRates.length }, (_, m) => normalQuantile(errorRates[m]!));
}

// QUADPACK qk15 (Piessens et al. 1983): 15-point Kronrod nodes (positive half) and weights,
// and the embedded 7-point Gauss weights (at odd-indexed Kronrod nodes).
const XGK = [
  0.991455371120812639206854697526329, 0.949107912342758524526189684047851, 0.864864423359769072789712788640926,
  0.741531185599394439863864773280788, 0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
  0.207784955007898467600689403773245, 0,
];
const WGK = [
  0.02293532201052922496373200805897, 0.063092092629978553290700663189204, 0.104790010322250183839876322541518,
  0.140653259715525918745189590510238, 0.16900472663926790282658342659855, 0.190350578064785409913256402421014,
  0.204432940075298892414161999234649, 0.209482141084727828012999174891714,
];
const WG = [
  0.129484966168869693270611432679082, 0.27970539148927666790146777142378, 0.381830050505118944950369775488975,
  0.417959183673469387755102040816327,
];

/** 15-point Gauss–Kronrod on [a, b]: integral estimate and |K15 - G7| error estimate. */
export function gaussKronrod15(f: (x: number) => number, a: number, b: number): { value: number; error: number } {
  const c = (a + b) / 2;
  const h = (b - a) / 2;
  const fc = f(c);
  let k = fc * WGK[7]!;
  let g = fc * WG[3]!;
  for (let j = 0; j < 7; j++) {
    const dx = h * XGK[j]!;
    const s = f(c - dx) + f(c + dx);
    k += WGK[j]! * s;
    if (j % 2 === 1) g += WG[(j - 1) / 2]! * s;
  }
  return { value: k * h, error: Math.abs((k - g) * h) };
}

export interface AdaptiveOptions {
  /** Relative tolerance on the total. Default 1e-11. */
  relTol?: number;
  /** Absolute tolerance. Default 0. */
  absTol?: number;
  /** Initial number of equal panels. Default 32. */
  panels?: number;
  maxPanels?: number;
}

/**
 * Globally adaptive Gauss–Kronrod (QUADPACK QAG strategy): bisect the panel with the largest error
 * estimate until the summed estimate is below max(absTol, relTol * |integral|).
 */
export function integrateAdaptive(
  f: (x: number) => number,
  a: number,
  b: number,
  options: AdaptiveOptions = {},
): { value: number; error: number; panels: number } {
  const relTol = options.relTol ?? 1e-11;
  const absTol = options.absTol ?? 0;
  const initial = options.panels ?? 32;
  const maxPanels = options.maxPanels ?? 5000;
  const lo: number[] = [];
  const hi: number[] = [];
  const val: number[] = [];
  const err: number[] = [];
  for (let i = 0; i < initial; i++) {
    const x0 = a + ((b - a) * i) / initial;
    const x1 = i === initial - 1 ? b : a + ((b - a) * (i + 1)) / initial;
    const q = gaussKronrod15(f, x0, x1);
    lo.push(x0);
    hi.push(x1);
    val.push(q.value);
    err.push(q.error);
  }
  for (;;) {
    let total = 0;
    let totalErr = 0;
    let worst = 0;
    for (let i = 0; i < val.length; i++) {
      total += val[i]!;
      totalErr += err[i]!;
      if (err[i]! > err[worst]!) worst = i;
    }
    if (totalErr <= Math.max(absTol, relTol * Math.abs(total)) || val.length >= maxPanels) {
      return { value: total, error: totalErr, panels: val.length };
    }
    const mid = (lo[worst]! + hi[worst]!) / 2;
    const left = gaussKronrod15(f, lo[worst]!, mid);
    const right = gaussKronrod15(f, mid, hi[worst]!);
    lo.push(mid);
    hi.push(hi[worst]!);
    val.push(right.value);
    err.push(right.error);
    hi[worst] = mid;
    val[worst] = left.value;
    err[worst] = left.error;
  }
}

const LOG_SQRT_2PI = 0.9189385332046728;
/** phi(z) = 0 beyond |z| = 38 in double precision (phi(38) ~ 1e-314), so the integral is truncated there. */
const Z_MAX = 38;

/**
 * beta_1f = integral phi(z) prod_m Phi((tau_m - lambda_m z) / sqrt(1 - lambda_m^2)) dz: the probability
 * that every latent Z_m = lambda_m F + sqrt(1 - lambda_m^2) e_m falls below its threshold tau_m when
 * F ~ N(0, 1) (conditional independence given the factor). The integrand is formed in log space
 * (log phi + sum log Phi) so a product of 67 small factors neither underflows nor loses digits, and
 * integrated by adaptive Gauss–Kronrod on [-38, 38] to relative error ~1e-11 (loadings near 1 make the
 * factors steep in z; adaptivity finds them). |lambda_m| must be < 1.
 */
export function singleFactorAllWrong(
  tau: ArrayLike<number>,
  lambda: ArrayLike<number>,
  options: AdaptiveOptions = {},
): number {
  const M = tau.length;
  if (lambda.length !== M) throw new RangeError("tau and lambda must have the same length");
  const t = new Float64Array(M);
  const l = new Float64Array(M);
  for (let m = 0; m < M; m++) {
    const lm = lambda[m]!;
    if (!(Math.abs(lm) < 1)) throw new RangeError(`|lambda[${m}]| = ${Math.abs(lm)} must be < 1`);
    const s = Math.sqrt(1 - lm * lm);
    t[m] = tau[m]! / s;
    l[m] = lm / s;
  }
  const f = (z: number) => {
    let logp = -0.5 * z * z - LOG_SQRT_2PI;
    for (let m = 0; m < M; m++) logp += logNormalCdf(t[m]! - l[m]! * z);
    return Math.exp(logp);
  };
  return integrateAdaptive(f, -Z_MAX, Z_MAX, { relTol: 1e-11, panels: 32, ...options }).value;
}
