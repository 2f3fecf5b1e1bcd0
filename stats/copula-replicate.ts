// The bootstrap statistic of the copula calibration, in its own module because worker threads load it by URL
// (COPULA_REPLICATE_BLOCK). Contract (stats/bootstrap.ts): (counts, data) -> numbers, pure, no state between calls.
import { bootstrapBlock, type BootstrapBlock } from "./bootstrap.js";
import { packErrors, packWeights, type ErrorBits } from "./verdict-bits.js";
import { fitCopula, type CopulaRepair } from "./copula.js";

export interface CopulaStatisticData {
  /** models x items 0/1 (1 = right): structured-cloned into each worker. */
  correct: number[][];
  /** The point estimate's tetrachoric matrix: warm start of every pair's Newton solve. */
  warmStart: number[];
  /** The point estimate's thresholds, at which warmStart was fitted (each start becomes a first-order prediction). */
  warmThresholds?: number[];
  /** Orthant options for the full copula; null = single factor only. */
  orthant: { absEps: number; maxPoints: number; seed: number } | null;
  /** Per model (NaN = none): the point estimate's loadings, the minres start of every replicate. */
  loadingsWarmStart?: number[];
  /** Per model (NaN = none): the point estimate's repair diagonal, the start of every replicate's repair. */
  repairWarmStart?: number[];
  /** Zero-cell correction and repair of the calibration (fitCopula's defaults when absent). */
  correction?: number;
  repair?: CopulaRepair;
}

// Packing the verdict matrix is a pure function of `data`, which a worker receives once and passes to every
// replicate: memoised per data object, so a worker packs it once, not once per replicate.
const packed = new WeakMap<CopulaStatisticData, ErrorBits>();

/**
 * One replicate: the whole calibration on the resampled items (weights = counts), returning
 * [beta, beta_1f, beta/beta_1f, beta_full, beta/beta_full] (the last two NaN without `orthant`).
 */
export function copulaReplicate(counts: Uint32Array, data: CopulaStatisticData): number[] {
  let bits = packed.get(data);
  if (!bits) packed.set(data, (bits = packErrors(data.correct)));
  const fit = fitCopula(bits, {
    weights: packWeights(counts), warmStart: data.warmStart, warmThresholds: data.warmThresholds, full: data.orthant,
    loadingsWarmStart: data.loadingsWarmStart, repairWarmStart: data.repairWarmStart,
    correction: data.correction, repair: data.repair,
  });
  return [fit.beta, fit.beta1f, fit.ratioSf, fit.betaFull?.value ?? NaN, fit.ratioFull];
}

/** A block of replicates of `copulaReplicate`: what a worker thread computes (see COPULA_REPLICATE_BLOCK). */
export function copulaReplicateBlock(block: BootstrapBlock<CopulaStatisticData>): number[][] {
  return bootstrapBlock(copulaReplicate, block);
}

/** The block function by module URL and export name, for `ctx.parallel.map`. */
export const COPULA_REPLICATE_BLOCK = { module: import.meta.url, export: "copulaReplicateBlock" } as const;
