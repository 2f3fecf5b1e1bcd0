// The full-copula beta(k) curve: P(all of the first k variables fall below their thresholds) for many prefix
// lengths k of one Gaussian copula — the best-k sub-pools of a pool whose models are in accuracy order, each the
// fitted full-pool law marginalised to its first k models (stages/beta-k.ts, bench/beta-k.bench.ts).
import { mvnOrthantProbability, type OrthantOptions } from "./orthant.js";

export interface CurvePoint {
  k: number;
  value: number;
  error: number;
  points: number;
}

export interface CurveOptions extends Omit<OrthantOptions, "absEps" | "seed"> {
  /** Target absolute error: one for every k, or one per entry of `ks`. Default 1e-5. */
  absEps?: number | number[];
  /** Seed of prefix k's integral is seed + k (so each point of the curve is reproducible on its own). Default 0. */
  seed?: number;
}

/**
 * The orthant probabilities of the prefixes ks of (upper, R) (R is M x M row-major). Each prefix is its own
 * Genz–Bretz problem with its own variable ordering and tilt: the reordering is what keeps the variance low, and
 * a prefix's factor is not a block of the whole pool's reordered factor.
 */
export function fullCopulaCurve(upper: Float64Array, R: Float64Array, ks: number[], options: CurveOptions = {}): CurvePoint[] {
  const M = upper.length;
  const out: CurvePoint[] = [];
  for (const [i, k] of ks.entries()) {
    if (!(Number.isInteger(k) && k >= 1 && k <= M)) throw new RangeError(`fullCopulaCurve: k = ${k} is not in 1..${M}`);
    const sub = new Float64Array(k * k);
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) sub[a * k + b] = R[a * M + b]!;
    const absEps = Array.isArray(options.absEps) ? options.absEps[i]! : options.absEps ?? 1e-5;
    const r = mvnOrthantProbability(upper.subarray(0, k), sub, { ...options, absEps, seed: (options.seed ?? 0) + k });
    out.push({ k, value: r.value, error: r.error, points: r.points });
  }
  return out;
}
