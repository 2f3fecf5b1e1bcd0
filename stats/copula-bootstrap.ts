// Bootstrap of the copula calibration over items: B_sf replicates of the single-factor quantities and
// (the first) B_full replicates with the full-copula orthant integral too. Replicate r resamples with rng stream r
// of the stage seed, so the full-copula replicates are the same resamples as the first B_full single-factor ones,
// and the result does not depend on how blocks of replicates are spread over threads: the caller passes a
// `parallel` map (the stage's ctx.parallel) that runs COPULA_REPLICATE_BLOCK on each block.
import { bcaInterval, percentileInterval, splitReplicates, type BootstrapBlock } from "./bootstrap.js";
import { packErrors } from "./verdict-bits.js";
import type { CopulaCore, CopulaRepair } from "./copula.js";
import type { CopulaStatisticData } from "./copula-replicate.js";
import { COPULA_REPLICATE_BLOCK, copulaReplicate } from "./copula-replicate.js";
import type { CopulaFit } from "../core/copula-summary.js";

export interface CopulaBootstrapInput {
  correct: number[][];
  seed: number;
  Bsf: number;
  Bfull: number;
  level: number;
  method: "percentile" | "bca";
  warmStart: number[];
  point: CopulaCore;
  /** The calibration's zero-cell correction and repair (as the point estimate's). */
  correction?: number;
  repair?: CopulaRepair;
  orthant: { absEps: number; maxPoints: number };
  /** Runs the block function on each block, on `threads` threads (a stage passes its ctx.parallel). */
  parallel: ParallelBlocks;
  progress: (done: number, total: number) => void;
}

/** What drawing replicates needs: the bootstrap's input without the interval's level and method. */
export type CopulaReplicateInput = Omit<CopulaBootstrapInput, "level" | "method">;

/** The part of the engine's ParallelMap the bootstrap needs (stats/ starts no threads itself). */
export interface ParallelBlocks {
  readonly threads: number;
  map<A, R>(fn: { module: string; export: string }, args: A[]): Promise<R[]>;
}

export interface CopulaBootstrapResult {
  summary: NonNullable<CopulaFit["bootstrap"]>;
  /** Replicate values [beta, beta1f, ratioSf, betaFull, ratioFull] (full ones NaN beyond B_full). */
  values: number[][];
}

/** Replicates per round of blocks: bounds the wait between progress reports. */
const CHUNK = 500;

const finite = (xs: number[]) => xs.filter((x) => Number.isFinite(x));

function standardError(xs: number[]): number | null {
  if (xs.length < 2) return null;
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1));
}

async function runReplicates(parallel: ParallelBlocks, data: CopulaStatisticData, options: { seed: number; nItems: number; first: number; B: number; threads: number; progress: (d: number) => void }): Promise<number[][]> {
  const out: number[][] = [];
  for (let done = 0; done < options.B; done += CHUNK) {
    const replicates = Math.min(CHUNK, options.B - done);
    const blocks: BootstrapBlock<CopulaStatisticData>[] = splitReplicates(options.first + done, replicates, options.threads)
      .map((b) => ({ ...b, data, seed: options.seed, nItems: options.nItems }));
    const values = await parallel.map<BootstrapBlock<CopulaStatisticData>, number[][]>(COPULA_REPLICATE_BLOCK, blocks);
    for (const v of values) out.push(...v);
    options.progress(out.length);
  }
  return out;
}

/**
 * BCa needs the jackknife (the statistic with each item left out): N more fits. Only for the
 * single-factor quantities; the full copula (an orthant integral per fit) always uses percentiles.
 */
function jackknife(input: CopulaBootstrapInput): number[][] {
  const N = input.correct[0].length;
  const counts = new Uint32Array(N).fill(1);
  const data: CopulaStatisticData = { ...warmStarts(input), orthant: null };
  const out: number[][] = [];
  for (let i = 0; i < N; i++) {
    counts[i] = 0;
    out.push(copulaReplicate(counts, data));
    counts[i] = 1;
  }
  return out;
}

/** What every replicate gets besides its counts: the matrix and the point estimate's solutions as warm starts. */
function warmStarts(input: CopulaReplicateInput): Omit<CopulaStatisticData, "orthant"> {
  return {
    correct: input.correct,
    warmStart: input.warmStart,
    warmThresholds: Array.from(input.point.thresholds),
    loadingsWarmStart: Array.from(input.point.loadings),
    repairWarmStart: Array.from(input.point.repairDiagonal),
    ...(input.correction !== undefined ? { correction: input.correction } : {}),
    ...(input.repair !== undefined ? { repair: input.repair } : {}),
  };
}

/**
 * The replicate values [beta, beta1f, ratioSf, betaFull, ratioFull] of replicates [from, to) of the bootstrap of
 * `input` (the full-copula ones for r < Bfull, NaN beyond). Replicate r depends on r alone, so the values of any split
 * of 0..Bsf into ranges concatenate to those of one run: a `blocks: N` stage computes one range per block.
 */
export async function copulaReplicateValues(input: CopulaReplicateInput, range: { from: number; to: number }): Promise<number[][]> {
  const N = input.correct[0].length;
  packErrors(input.correct); // validates the matrix before any worker starts
  const Bfull = Math.min(input.Bfull, input.Bsf);
  const from = Math.max(0, range.from), to = Math.min(range.to, input.Bsf);
  if (to <= from) return [];
  const total = to - from;
  const fullTo = Math.min(to, Bfull), sfFrom = Math.max(from, Bfull);
  const threads = Math.max(1, Math.min(input.parallel.threads, Math.max(fullTo - from, to - sfFrom, 1)));
  const full = fullTo > from ? await runReplicates(input.parallel,
    { ...warmStarts(input), orthant: { ...input.orthant, seed: input.seed } },
    { seed: input.seed, nItems: N, first: from, B: fullTo - from, threads, progress: (d) => input.progress(d, total) },
  ) : [];
  // Replicates Bfull..Bsf-1 (distinct resamples from the full-copula ones) add the single-factor values.
  const sfOnly = to > sfFrom ? await runReplicates(input.parallel,
    { ...warmStarts(input), orthant: null },
    { seed: input.seed, nItems: N, first: sfFrom, B: to - sfFrom, threads, progress: (d) => input.progress(full.length + d, total) },
  ) : [];
  return [...full, ...sfOnly];
}

/** The bootstrap's intervals from all Bsf replicate values (in replicate order) of `copulaReplicateValues`. */
export function summarizeCopulaBootstrap(input: CopulaBootstrapInput, values: number[][]): CopulaBootstrapResult {
  const Bfull = Math.min(input.Bfull, input.Bsf);
  if (values.length !== input.Bsf) throw new Error(`copula bootstrap: ${values.length} replicate values for B_sf = ${input.Bsf}`);
  const full = values.slice(0, Bfull);
  const col = (j: number, vs = values) => vs.map((v) => v[j]!);
  let jack: number[][] | undefined;
  const interval = (xs: number[], theta: number, jackIndex: number | null) => {
    const ok = finite(xs);
    if (ok.length < 2) return { lower: null, upper: null };
    if (input.method === "bca" && jackIndex !== null && Number.isFinite(theta)) {
      const [lower, upper] = bcaInterval(ok, theta, finite(col(jackIndex, (jack ??= jackknife(input)))), input.level);
      return { lower, upper };
    }
    const [lower, upper] = percentileInterval(ok, input.level);
    return { lower, upper };
  };
  const p = input.point;
  const ratioSf = col(2);
  const summary: CopulaBootstrapResult["summary"] = {
    replicates: values.length,
    level: input.level,
    method: input.method,
    failed: ratioSf.length - finite(ratioSf).length,
    beta: interval(col(0), p.beta, 0),
    beta1f: interval(col(1), p.beta1f, 1),
    ratioSf: interval(ratioSf, p.ratioSf, 2),
    seRatioSf: standardError(finite(ratioSf)),
    full: Bfull > 0 ? {
      replicates: full.length,
      failed: full.length - finite(col(4, full)).length,
      betaFull: interval(col(3, full), NaN, null),
      ratioFull: interval(col(4, full), NaN, null),
      seRatioFull: standardError(finite(col(4, full))),
    } : null,
  };
  return { summary, values };
}

/** The whole bootstrap in one process: every replicate, then the intervals. */
export async function bootstrapCopula(input: CopulaBootstrapInput): Promise<CopulaBootstrapResult> {
  return summarizeCopulaBootstrap(input, await copulaReplicateValues(input, { from: 0, to: input.Bsf }));
}
