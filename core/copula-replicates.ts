// The contract between `copula-bootstrap` (the bootstrap replicates of a pool's copula calibration, one block of
// replicate indices per partition, so B spreads over cluster jobs) and `copula` (which summarises them): the params
// that decide a replicate's value, and what a block writes. Both stages parse the same params, and `copula` refuses
// blocks that were drawn for another matrix, seed or setting, so a stale or mismatched block can never be summarised.
import { createHash } from "node:crypto";
import { z } from "zod";
import { resourceLimit, type ParallelMap } from "../engine/types.js";
import type { CopulaCore } from "../stats/copula.js";
import type { CopulaReplicateInput } from "../stats/copula-bootstrap.js";

/** Every param a replicate's value depends on (the bootstrap's share of `copula`'s params, with its defaults). */
export const CopulaBootstrapParams = {
  /** Size of the best-k sub-pool analysed alongside the full pool (paper: 17). */
  k: z.number().int().positive().default(17),
  /**
   * Bootstrap replicates over items for the single-factor quantities and for the full copula (an orthant integral
   * each); B_sf = 0: point estimates only (robustness sweeps).
   */
  B_sf: resourceLimit(z.number().int().nonnegative(), 100_000, "single-factor bootstrap replicates").default(1000),
  B_full: resourceLimit(z.number().int().nonnegative(), 10_000, "full-copula bootstrap replicates (an orthant integral each)").default(200),
  /** Zero-cell correction of the tetrachorics: an empty cell of a pair's 2x2 table counts this much (psych: 0.5); 0 = none. */
  zero_cell: z.number().nonnegative().default(0.5),
  /** Nearest correlation matrix (Higham 2002), or eigenvalue clipping as psych::cor.smooth (no change when positive definite). */
  repair: z.enum(["higham", "clip"]).default("higham"),
  /**
   * Cheaper orthant integration inside bootstrap replicates: its QMC error is small next to the resampling
   * spread. Measured on the real pools (16 replicates each): QMC SE of beta_full 0.1–2.7% relative (math-l5
   * 0.17%, gpqa-mc 0.09%, lcb 0.44%, gsm 2.7%) against a bootstrap SD of the full-copula ratio of 17–38%, i.e.
   * at most 0.5% of the replicates' variance (gsm), so the interval is the resampling spread, not QMC noise.
   */
  boot_orthant: z.object({
    abs_eps: z.number().positive().default(2e-4),
    max_points: resourceLimit(z.number().int().positive(), 5_000_000, "quasi-Monte Carlo points per replicate").default(40_000),
  }).default({ abs_eps: 2e-4, max_points: 40_000 }),
  /** Worker threads for the bootstrap (default: available cores); the values do not depend on it. */
  workers: resourceLimit(z.number().int().positive(), 256, "worker threads").optional(),
};
const BootstrapParamsObject = z.object(CopulaBootstrapParams);
export type CopulaBootstrapParams = z.infer<typeof BootstrapParamsObject>;

/** The params a replicate's value depends on, as a block records them (`workers` does not change a value). */
export function replicateSetting(p: CopulaBootstrapParams) {
  return { k: p.k, B_sf: p.B_sf, B_full: p.B_full, zero_cell: p.zero_cell, repair: p.repair, boot_orthant: { ...p.boot_orthant } };
}

/**
 * The replicate draws of one (sub-)pool: its verdicts, its point fit's solutions as warm starts, the params and the
 * seed. Both stages build it here, so the blocks of `copula-bootstrap` draw exactly what `copula` would draw itself.
 */
export function replicateInput(options: {
  correct: number[][]; point: CopulaCore; params: CopulaBootstrapParams; seed: number; parallel: ParallelMap;
  progress: (done: number, total: number) => void;
}): CopulaReplicateInput {
  const { params: p } = options;
  return {
    correct: options.correct, seed: options.seed, Bsf: p.B_sf, Bfull: p.B_full,
    warmStart: Array.from(options.point.tetrachoric), point: options.point, correction: p.zero_cell, repair: p.repair,
    orthant: { absEps: p.boot_orthant.abs_eps, maxPoints: p.boot_orthant.max_points },
    parallel: { threads: p.workers ?? options.parallel.threads, map: options.parallel.map },
    progress: options.progress,
  };
}

/** Replicate values [beta, beta1f, ratioSf, betaFull, ratioFull]; null = NaN (undefined ratio, or no full copula). */
const Values = z.array(z.array(z.number().nullable()).length(5));

export const CopulaReplicateBlock = z.object({
  pool: z.string(),
  /** sha256 of the pool matrix's models, items and verdicts: the blocks of one bootstrap share it. */
  matrix: z.string().regex(/^[0-9a-f]{64}$/),
  /** The seed every replicate stream was drawn from: the summarising `copula` stage's (declare `seed_of`). */
  seed: z.number().int(),
  setting: z.object({
    k: z.number().int(), B_sf: z.number().int(), B_full: z.number().int(), zero_cell: z.number(), repair: z.string(),
    boot_orthant: z.object({ abs_eps: z.number(), max_points: z.number().int() }),
  }),
  /** Replicate index ranges [from, to) of this block, and the values of those replicates in that order. */
  ranges: z.array(z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()])),
  whole: Values,
  /** The best-k sub-pool's values (null when k covers the whole pool: they would repeat `whole`). */
  subset: Values.nullable(),
});
export type CopulaReplicateBlock = z.infer<typeof CopulaReplicateBlock>;

/** The fingerprint of a pool matrix that ties the blocks of one bootstrap to it. */
export function matrixFingerprint(m: { models: string[]; items: string[]; correct: number[][] }): string {
  const h = createHash("sha256");
  h.update(JSON.stringify(m.models)).update("\0").update(JSON.stringify(m.items)).update("\0");
  for (const row of m.correct) h.update(Uint8Array.from(row)).update("\n");
  return h.digest("hex");
}

export const toNullable = (values: number[][]) => values.map((v) => v.map((x) => (Number.isFinite(x) ? x : null)));
export const fromNullable = (values: (number | null)[][]) => values.map((v) => v.map((x) => (x === null ? NaN : x)));

/** `[from, to)` of the full-copula and single-factor-only replicates that block `index` of `count` computes. */
export function blockRanges(setting: { B_sf: number; B_full: number }, index: number, count: number): [number, number][] {
  // Each block takes an equal share of both kinds: the full-copula replicates (an orthant integral each) are most of
  // the cost, so contiguous shares of 0..B_sf would leave all of them to the first block.
  const Bfull = Math.min(setting.B_full, setting.B_sf);
  const share = (lo: number, hi: number): [number, number] =>
    [lo + Math.floor(((hi - lo) * index) / count), lo + Math.floor(((hi - lo) * (index + 1)) / count)];
  return [share(0, Bfull), share(Bfull, setting.B_sf)].filter(([a, b]) => b > a);
}

/**
 * All B_sf replicate values in replicate order from the blocks, after checking that every block is of this bootstrap
 * (matrix, seed, setting) and that their ranges cover 0..B_sf-1 exactly once. Throws naming the block and the key.
 */
export function assembleReplicates(
  blocks: Record<string, CopulaReplicateBlock>,
  expected: { stage: string; matrix: string; seed: number; setting: ReturnType<typeof replicateSetting> },
): { whole: number[][]; subset: number[][] | null } {
  const names = Object.keys(blocks).sort();
  if (names.length === 0) throw new Error(`${expected.stage}: input "replicates" has no blocks`);
  const want = JSON.stringify(expected.setting);
  const byIndex = new Map<number, { whole: (number | null)[]; subset: (number | null)[] | null; block: string }>();
  let withSubset: boolean | null = null;
  for (const name of names) {
    const b = blocks[name]!;
    const where = `${expected.stage}: replicate block ${name}`;
    if (b.matrix !== expected.matrix) throw new Error(`${where} was drawn for another pool matrix (matrix ${b.matrix.slice(0, 12)}…, expected ${expected.matrix.slice(0, 12)}…): give both stages the same matrix input`);
    if (b.seed !== expected.seed) throw new Error(`${where} was drawn with seed ${b.seed}, this stage's seed is ${expected.seed}: declare "seed_of: ${expected.stage.replace(/@.*$/, "")}" on the stage that makes the blocks`);
    const got = JSON.stringify(b.setting);
    if (got !== want) {
      const mismatch = (Object.keys(expected.setting) as (keyof typeof expected.setting)[])
        .filter((k) => JSON.stringify(b.setting[k]) !== JSON.stringify(expected.setting[k]))
        .map((k) => `${k}: ${JSON.stringify(b.setting[k])} there, ${JSON.stringify(expected.setting[k])} here`);
      throw new Error(`${where} has other bootstrap params (${mismatch.join("; ")}): give both stages the same params`);
    }
    if ((b.subset !== null) !== (withSubset ?? b.subset !== null)) throw new Error(`${where}: some blocks have best-k values and some do not`);
    withSubset = b.subset !== null;
    let at = 0;
    for (const [from, to] of b.ranges) {
      for (let r = from; r < to; r++, at++) {
        if (byIndex.has(r)) throw new Error(`${where}: replicate ${r} is also in block ${byIndex.get(r)!.block}`);
        if (!b.whole[at] || (b.subset && !b.subset[at])) throw new Error(`${where}: its ranges list more replicates than its values hold`);
        byIndex.set(r, { whole: b.whole[at]!, subset: b.subset ? b.subset[at]! : null, block: name });
      }
    }
    if (at !== b.whole.length) throw new Error(`${where}: ${b.whole.length} values for ${at} replicates in its ranges`);
  }
  const B = expected.setting.B_sf;
  for (let r = 0; r < B; r++) if (!byIndex.has(r)) throw new Error(`${expected.stage}: replicate ${r} of ${B} is in no block (the blocks' ranges must cover 0..${B - 1})`);
  if (byIndex.size !== B) throw new Error(`${expected.stage}: the blocks hold ${byIndex.size} replicates, B_sf is ${B}`);
  const ordered = Array.from({ length: B }, (_, r) => byIndex.get(r)!);
  return {
    whole: fromNullable(ordered.map((o) => o.whole)),
    subset: withSubset ? fromNullable(ordered.map((o) => o.subset!)) : null,
  };
}
