// Shared fixtures for the stats-core tests: the committed R reference values and a tiny seeded PRNG.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const refPath = fileURLToPath(new URL("../reference/stats-core.json", import.meta.url));

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Reference = any;
let cached: Reference | undefined;
/** test/reference/stats-core.json, written by test/reference/stats-core.R. */
export function reference(): Reference {
  cached ??= JSON.parse(readFileSync(refPath, "utf8"));
  return cached;
}

/** Mulberry32 (the benchmarks' generator): a small seeded uniform generator on [0, 1), enough for property tests. */
export { uniformStream as seededUniform } from "../../stats/mulberry32.js";
import { uniformStream as seededUniform } from "../../stats/mulberry32.js";

/** Standard normal draws by Box–Muller from a seeded uniform generator. */
export function seededNormal(seed: number): () => number {
  const u = seededUniform(seed);
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

/** Verdict rows (1 = correct) of a reference case, decoded from its "0101…" strings. */
export function caseRows(c: { correct: string[] }): Uint8Array[] {
  return c.correct.map((s) => Uint8Array.from(s, (ch) => (ch === "1" ? 1 : 0)));
}

/** Max absolute difference between a flat row-major matrix and a nested array. */
export function maxAbsDiff(flat: ArrayLike<number>, nested: number[][]): number {
  const n = nested.length;
  let d = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d = Math.max(d, Math.abs(flat[i * n + j]! - nested[i]![j]!));
  return d;
}
