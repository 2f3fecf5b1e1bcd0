// Model-clustered inference for the copula ratios: the unit is the model, not the item. The item bootstrap
// (copula-bootstrap.ts) holds the pool fixed; which models a pool happens to contain moves beta and its copula
// predictions at least as much. Two intervals, next to the item bootstrap's:
//   - leave-one-model-out jackknife (jackknife.ts): the calibration refitted without each model in turn;
//   - model bootstrap: M models drawn with replacement, the statistic on the distinct models drawn (a copy of a
//     model adds nothing to the all-wrong event, observed or predicted: its latent variable would correlate 1
//     with the original's), percentile interval.
// The best-k statistic is "the best k models of the pool": without model m (or on a drawn pool) the best k are
// re-selected, so leaving out a model outside the best k leaves it unchanged.
// Each model set is one pure fit (fitCopula on the set's rows); sets are spread over threads by the caller's
// `parallel` map (COPULA_MODEL_SETS_BLOCK), like the item bootstrap's blocks.
import { jackknifeInterval, type JackknifeInterval } from "./jackknife.js";
import { percentileInterval } from "./bootstrap.js";
import { fitCopula, type CopulaRepair } from "./copula.js";
import { rngStream, seedFromString } from "./rng.js";
import { packErrors } from "./verdict-bits.js";
import type { ParallelBlocks } from "./copula-bootstrap.js";

export interface ModelSetData {
  /** models x items 0/1 (1 = right), models in the pool's order (most accurate first). */
  correct: number[][];
  correction: number;
  repair: CopulaRepair;
  /** Point estimate's tetrachoric matrix (M x M): warm starts for the sub-matrices. */
  warmStart: number[];
  /** Orthant options for the full copula; null = single factor only. */
  orthant: { absEps: number; maxPoints: number; seed: number } | null;
}

/** [beta, beta_1f, beta/beta_1f, beta_full, beta/beta_full] of the pool restricted to `set` (model indices). */
export function copulaModelSet(set: readonly number[], data: ModelSetData): number[] {
  const M = data.correct.length;
  const rows = set.map((m) => data.correct[m]!);
  const warm = new Float64Array(set.length * set.length);
  for (let a = 0; a < set.length; a++) for (let b = 0; b < set.length; b++) warm[a * set.length + b] = data.warmStart[set[a]! * M + set[b]!]!;
  const fit = fitCopula(packErrors(rows), {
    correction: data.correction, repair: data.repair, warmStart: warm, full: data.orthant,
  });
  return [fit.beta, fit.beta1f, fit.ratioSf, fit.betaFull?.value ?? NaN, fit.ratioFull];
}

export interface ModelSetsBlock { sets: number[][]; data: ModelSetData }

/** A block of model sets: what a worker thread computes. */
export function copulaModelSetsBlock(block: ModelSetsBlock): number[][] {
  return block.sets.map((s) => copulaModelSet(s, block.data));
}

export const COPULA_MODEL_SETS_BLOCK = { module: import.meta.url, export: "copulaModelSetsBlock" } as const;

/** The distinct models of model-bootstrap replicate r (sorted, i.e. in pool order): M draws with replacement. */
export function modelResample(seed: number, replicate: number, M: number): number[] {
  const rng = rngStream(seedFromString(seed, "model-bootstrap"), replicate);
  const drawn = new Uint8Array(M);
  for (let i = 0; i < M; i++) drawn[rng.nextInt(M)] = 1;
  const out: number[] = [];
  for (let m = 0; m < M; m++) if (drawn[m]) out.push(m);
  return out;
}

export interface ModelIntervals {
  /** Leave-one-model-out jackknife, log scale (ratios are positive), Student t with M - 1 degrees of freedom. */
  jackknife: { ratioSf: JackknifeInterval | null; ratioFull: JackknifeInterval | null };
  /** Model bootstrap, percentile; replicates whose ratio is undefined are left out and counted. */
  bootstrap: {
    replicates: number;
    failedSf: number;
    failedFull: number;
    ratioSf: { lower: number; upper: number } | null;
    ratioFull: { lower: number; upper: number } | null;
    /** Mean number of distinct models in a replicate. */
    meanModels: number;
  } | null;
}

export interface ModelClusteredInput {
  correct: number[][];
  /** Size of the best-k sub-pool (min(k, M) models). */
  k: number;
  seed: number;
  /** Model-bootstrap replicates (0 = jackknife only). */
  B: number;
  level: number;
  correction: number;
  repair: CopulaRepair;
  warmStart: number[];
  /** Orthant options for the fits; null = no full copula. */
  orthant: { absEps: number; maxPoints: number } | null;
  /** Point estimates the jackknife intervals are centred on: [ratioSf, ratioFull] of the pool and of its best k. */
  estimates: { full: [number, number]; subset: [number, number] };
  parallel: ParallelBlocks;
  progress?: (done: number, total: number) => void;
}

export interface ModelClusteredResult {
  full: ModelIntervals;
  subset: ModelIntervals;
  /** Distinct model sets fitted. */
  fits: number;
}

const keyOf = (s: readonly number[]) => s.join(",");

/** Jackknife and model bootstrap of the copula ratios of a pool and of its best k. */
export async function modelClusteredCopula(input: ModelClusteredInput): Promise<ModelClusteredResult> {
  const M = input.correct.length;
  const k = Math.min(input.k, M);
  const all = Array.from({ length: M }, (_, m) => m);
  const without = (m: number) => all.filter((x) => x !== m);
  const bestK = (set: number[]) => set.slice(0, k);
  const jackFull = all.map(without);
  const jackSub = all.map((m) => bestK(without(m)));
  const bootFull = Array.from({ length: input.B }, (_, r) => modelResample(input.seed, r, M));
  const bootSub = bootFull.map(bestK);
  // Distinct sets only: the best k without a model outside them is the best k itself, a drawn pool of at most k
  // models is its own best k.
  const unique = new Map<string, number[]>();
  for (const s of [...jackFull, ...jackSub, ...bootFull, ...bootSub]) if (s.length >= 2 && !unique.has(keyOf(s))) unique.set(keyOf(s), s);
  const sets = [...unique.values()];
  const data: ModelSetData = {
    correct: input.correct, correction: input.correction, repair: input.repair, warmStart: input.warmStart,
    orthant: input.orthant ? { ...input.orthant, seed: input.seed } : null,
  };
  const threads = Math.max(1, Math.min(input.parallel.threads, sets.length));
  const values = new Map<string, number[]>();
  const CHUNK = 64;
  for (let done = 0; done < sets.length; done += CHUNK) {
    const chunk = sets.slice(done, done + CHUNK);
    const blocks: ModelSetsBlock[] = [];
    for (let t = 0; t < threads; t++) {
      const part = chunk.filter((_, i) => i % threads === t);
      if (part.length) blocks.push({ sets: part, data });
    }
    const out = await input.parallel.map<ModelSetsBlock, number[][]>(COPULA_MODEL_SETS_BLOCK, blocks);
    blocks.forEach((b, i) => b.sets.forEach((s, j) => values.set(keyOf(s), out[i]![j]!)));
    input.progress?.(Math.min(done + CHUNK, sets.length), sets.length);
  }
  const stat = (s: number[], j: number) => (s.length >= 2 ? values.get(keyOf(s))![j]! : NaN);
  const intervals = (jack: number[][], boot: number[][], est: [number, number]): ModelIntervals => {
    const jk = (j: number, e: number) => jackknifeInterval(e, jack.map((s) => stat(s, j)), { level: input.level, scale: "log" });
    const pct = (j: number) => {
      const xs = boot.map((s) => stat(s, j)).filter((x) => Number.isFinite(x));
      return { failed: boot.length - xs.length, interval: xs.length >= 2 ? (([lower, upper]) => ({ lower, upper }))(percentileInterval(xs, input.level)) : null };
    };
    const sf = pct(2), full = pct(4);
    return {
      jackknife: { ratioSf: jk(2, est[0]), ratioFull: input.orthant ? jk(4, est[1]) : null },
      bootstrap: boot.length ? {
        replicates: boot.length, failedSf: sf.failed, failedFull: full.failed,
        ratioSf: sf.interval, ratioFull: input.orthant ? full.interval : null,
        meanModels: boot.reduce((a, s) => a + s.length, 0) / boot.length,
      } : null,
    };
  };
  return {
    full: intervals(jackFull, bootFull, input.estimates.full),
    subset: intervals(jackSub, bootSub, input.estimates.subset),
    fits: sets.length,
  };
}
