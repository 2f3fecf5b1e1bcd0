// Heterogeneous ensembles "at matched mean accuracy": k-model sets whose mean accuracy is within a tolerance of a
// target (the accuracy of the model whose self-ensemble they are compared with).
import type { RngStream } from "./rng.js";

/**
 * Distinct k-subsets of the candidate models with |mean accuracy - target| <= tolerance, drawn by rejection from
 * the uniform distribution over all k-subsets: the accepted sets are a uniform sample of the matched population,
 * so averages over them estimate the mean over ALL matched sets. Stops after `maxSets` accepted sets or
 * `maxDraws` draws; a target no k-subset can reach (e.g. the best model's accuracy) yields few or no sets, and
 * the caller reports that instead of loosening the rule. Sets are returned as sorted index lists.
 */
export function matchedModelSets(options: {
  accuracies: number[];
  target: number;
  k: number;
  tolerance: number;
  maxSets: number;
  maxDraws: number;
  rng: RngStream;
  /** Model indices never used (e.g. the self model itself). */
  exclude?: number[];
}): number[][] {
  const { accuracies, target, k, tolerance, maxSets, maxDraws, rng } = options;
  const excluded = new Set(options.exclude ?? []);
  const candidates = accuracies.map((_, m) => m).filter((m) => !excluded.has(m));
  if (k > candidates.length || k < 1) return [];
  const seen = new Set<string>();
  const sets: number[][] = [];
  const pool = candidates.slice();
  for (let draw = 0; draw < maxDraws && sets.length < maxSets; draw++) {
    // Partial Fisher-Yates: the first k entries of `pool` become a uniform k-subset.
    let sum = 0;
    for (let j = 0; j < k; j++) {
      const r = j + rng.nextInt(pool.length - j);
      const t = pool[j];
      pool[j] = pool[r];
      pool[r] = t;
      sum += accuracies[pool[j]];
    }
    if (Math.abs(sum / k - target) > tolerance) continue;
    const set = pool.slice(0, k).sort((a, b) => a - b);
    const key = set.join(",");
    if (seen.has(key)) continue;
    seen.add(key);
    sets.push(set);
  }
  return sets;
}
