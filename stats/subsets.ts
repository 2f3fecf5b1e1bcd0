// k-subsets of M models: every one when there are few enough, else a seeded uniform sample, so "the mean over
// k-model pools" is exact where it can be and an unbiased estimate where it cannot.
import type { RngStream } from "./rng.js";

/** C(n, k) as a double (exact below 2^53 for the sizes used here). */
export function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let c = 1;
  for (let j = 1; j <= Math.min(k, n - k); j++) c = (c * (n - Math.min(k, n - k) + j)) / j;
  return Math.round(c);
}

/** All k-subsets of 0..M-1 in lexicographic order. */
export function allSubsets(M: number, k: number): number[][] {
  const out: number[][] = [];
  const cur: number[] = [];
  const rec = (start: number) => {
    if (cur.length === k) { out.push(cur.slice()); return; }
    for (let m = start; m <= M - (k - cur.length); m++) { cur.push(m); rec(m + 1); cur.pop(); }
  };
  rec(0);
  return out;
}

/**
 * Every k-subset when C(M, k) <= maxSubsets (exact: `exhaustive` true), else `maxSubsets` uniform draws with
 * replacement between draws (each a uniform k-subset by partial Fisher-Yates).
 */
export function kSubsets(options: { M: number; k: number; maxSubsets: number; rng: RngStream }): { subsets: number[][]; exhaustive: boolean } {
  const { M, k, maxSubsets, rng } = options;
  if (binomial(M, k) <= maxSubsets) return { subsets: allSubsets(M, k), exhaustive: true };
  const pool = Array.from({ length: M }, (_, m) => m);
  const subsets: number[][] = [];
  for (let s = 0; s < maxSubsets; s++) {
    for (let j = 0; j < k; j++) {
      const r = j + rng.nextInt(M - j);
      const t = pool[j]; pool[j] = pool[r]; pool[r] = t;
    }
    subsets.push(pool.slice(0, k).sort((a, b) => a - b));
  }
  return { subsets, exhaustive: false };
}
