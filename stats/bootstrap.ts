/**
 * Nonparametric bootstrap over items (Efron 1979; Efron & Tibshirani 1993, "An Introduction to the
 * Bootstrap", ch. 6 and 13–14), seeded and reproducible.
 *
 * Resampling. Replicate r draws N item indices uniformly with replacement from its own RNG stream
 * `rngStream(seed, r)` and hands the statistic the COUNTS vector (counts[i] = times item i was
 * drawn; sum = N). So replicate r is a pure function of (seed, r, N): raising B from 2000 to 10000
 * reproduces the first 2000 replicates exactly, and any split of replicates over threads gives
 * bit-identical results (each value is computed by the same code on the same counts; the driver
 * only reassembles them in replicate order).
 *
 * Statistic contract: `(counts: Uint32Array, data: D) => number | number[]` — one or several
 * values per replicate (e.g. [beta, copulaBeta, ratio]); it must be deterministic and must not
 * keep state between calls. Values are returned replicate-major: values[r] = statistic of replicate r.
 *
 * Parallel runs: replicates are split into contiguous blocks (`splitReplicates`); each block is a pure function
 * of its `BootstrapBlock` description and the data, so a caller may compute blocks on any number of threads (the
 * engine's `ctx.parallel`) and concatenate them in block order — bit-identical to one sequential run. A statistic
 * module that is to run on threads exports a block function (see stats/copula-replicate.ts). stats/ itself starts
 * no threads.
 *
 * Intervals: percentile (Efron & Tibshirani §13.3) and BCa (Efron 1987, "Better bootstrap confidence
 * intervals", JASA 82, 171–185; the formulas of R `boot::boot.ci(type = "bca")`, with type-7 quantiles
 * instead of boot's normal-scale interpolation).
 */
import { rngStream, type Seed } from "./rng.js";
import { normalCdf, normalQuantile } from "./normal.js";
import { quantileSorted, sortedCopy } from "./quantile.js";

export type BootstrapStatistic<D> = (counts: Uint32Array, data: D) => number | readonly number[];

/** Counts of each of nItems items in bootstrap replicate `replicate` of `seed` (fills `out` if given). */
export function resampleCounts(seed: Seed, replicate: number, nItems: number, out?: Uint32Array): Uint32Array {
  const counts = out ?? new Uint32Array(nItems);
  counts.fill(0);
  const rng = rngStream(seed, replicate);
  for (let i = 0; i < nItems; i++) counts[rng.nextInt(nItems)]++;
  return counts;
}

export interface BootstrapOptions {
  seed: Seed;
  /** Number of replicates B. */
  replicates: number;
  /** Number of items N (resample size = N). */
  nItems: number;
  /** First replicate index (default 0): compute replicates [first, first + replicates). */
  firstReplicate?: number;
}

const asArray = (v: number | readonly number[]): number[] => (typeof v === "number" ? [v] : [...v]);

/** In-process bootstrap for small jobs: values[r] = statistic(counts of replicate first + r, data). */
export function bootstrapSequential<D>(statistic: BootstrapStatistic<D>, data: D, options: BootstrapOptions): number[][] {
  const first = options.firstReplicate ?? 0;
  const counts = new Uint32Array(options.nItems);
  const out: number[][] = [];
  for (let r = first; r < first + options.replicates; r++) {
    resampleCounts(options.seed, r, options.nItems, counts);
    out.push(asArray(statistic(counts, data)));
  }
  return out;
}

/** One contiguous block of replicates [first, first + count) of a bootstrap, with the statistic's data. */
export interface BootstrapBlock<D> {
  seed: Seed;
  nItems: number;
  first: number;
  count: number;
  data: D;
}

/** Replicates [first, first + B) in `parts` contiguous blocks of near-equal size (empty blocks dropped). */
export function splitReplicates(first: number, B: number, parts: number): { first: number; count: number }[] {
  const n = Math.max(1, Math.min(Math.floor(parts), B));
  const out: { first: number; count: number }[] = [];
  for (let t = 0; t < n; t++) {
    const lo = first + Math.floor((B * t) / n), hi = first + Math.floor((B * (t + 1)) / n);
    if (hi > lo) out.push({ first: lo, count: hi - lo });
  }
  return out;
}

/** The replicate values of one block: `bootstrapSequential` on the block's range. */
export function bootstrapBlock<D>(statistic: BootstrapStatistic<D>, block: BootstrapBlock<D>): number[][] {
  return bootstrapSequential(statistic, block.data, { seed: block.seed, nItems: block.nItems, firstReplicate: block.first, replicates: block.count });
}

/** Percentile interval: type-7 quantiles at (1-level)/2 and (1+level)/2 of the replicate values. */
export function percentileInterval(values: ArrayLike<number>, level = 0.9): [number, number] {
  const s = sortedCopy(values);
  return [quantileSorted(s, (1 - level) / 2), quantileSorted(s, (1 + level) / 2)];
}

/**
 * BCa interval (Efron 1987). theta = statistic on the original sample, jackknifeValues[i] = statistic
 * with item i left out.
 *   z0 = Phi^-1( #{theta*_r < theta} / B )                           (bias correction)
 *   a  = sum (m - theta_(i))^3 / (6 [sum (m - theta_(i))^2]^(3/2)),  m = mean of theta_(i)  (acceleration)
 *   alpha_j = Phi( z0 + (z0 + z_j) / (1 - a (z0 + z_j)) ),  z_j = Phi^-1((1 -+ level)/2)
 * and the interval is the type-7 quantiles at alpha_1, alpha_2. Throws when all replicates fall on one
 * side of theta (z0 infinite: the interval is not defined).
 */
export function bcaInterval(values: ArrayLike<number>, theta: number, jackknifeValues: ArrayLike<number>, level = 0.9): [number, number] {
  const s = sortedCopy(values);
  let below = 0;
  for (const v of s) if (v < theta) below++;
  if (below === 0 || below === s.length) throw new RangeError("bcaInterval: all replicates on one side of theta; bias correction undefined");
  const z0 = normalQuantile(below / s.length);
  const n = jackknifeValues.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += jackknifeValues[i] / n;
  let num = 0, den = 0;
  for (let i = 0; i < n; i++) { const d = m - jackknifeValues[i]; num += d * d * d; den += d * d; }
  const a = den > 0 ? num / (6 * den ** 1.5) : 0;
  const adj = (p: number) => { const z = normalQuantile(p); return normalCdf(z0 + (z0 + z) / (1 - a * (z0 + z))); };
  return [quantileSorted(s, adj((1 - level) / 2)), quantileSorted(s, adj((1 + level) / 2))];
}
