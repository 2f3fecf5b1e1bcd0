// The real pools the benchmarks time besides their simulated 67 x 1000 matrix, built from the shared data mirror by
// the pipeline's own code (adapter -> grader -> pool builder, with pipeline.yaml's pool params), through the
// real-pool loaders the analysis tests use.
import code from "../ingest/graders/code.js";
import math from "../ingest/graders/math.js";
import source from "../ingest/graders/source.js";
import { buildPoolMatrix } from "../core/build-pool.js";
import type { CanonicalTable } from "../core/canonical-table.js";
import type { PoolMatrix } from "../core/pool-matrix.js";
import { hasData, loadLiveCodeBench, loadSimpleEvalsGpqa, pool } from "../ingest/mirror-pools.js";
import { loadZeroEval } from "../ingest/mirror-tables.js";
import { fitCopula } from "../stats/copula.js";
import { packErrors } from "../stats/verdict-bits.js";

export { hasData };

const quiet = { options: {}, warn: () => {} };
const graded = (table: CanonicalTable, grader: typeof math, options: Record<string, unknown> = {}): CanonicalTable =>
  ({ ...table, rows: grader(table.rows, { ...quiet, options }) });
/** Rows (models) with both right and wrong answers: the ones a copula is fitted on (psych drops the others too). */
const varying = (m: PoolMatrix): Uint8Array[] =>
  m.correct.map((r) => Uint8Array.from(r)).filter((r) => r.some((v) => v === 1) && r.some((v) => v === 0));

/**
 * pool-lcb's verdict matrix (rows = models, 1 = correct): the three leaderboard snapshots, 400-problem common
 * block, majority of samples — 71 models x 400 problems; null without the data mirror.
 */
export async function liveCodeBenchPool(): Promise<Uint8Array[] | null> {
  if (!hasData) return null;
  const table = await loadLiveCodeBench();
  return varying(pool([graded(table, code, { policy: "majority" })], "lcb", "majority"));
}

/** The paper's four pools as pipeline.yaml builds them (pool-<name> stages), rows = models in accuracy order. */
export async function paperPools(): Promise<{ name: string; correct: Uint8Array[] }[]> {
  if (!hasData) return [];
  const mathPool = async (task: "math-l5" | "gsm", exclude: string[]) =>
    buildPoolMatrix([graded(await loadZeroEval(task), math)], { name: task, sample_policy: "first", items: "common", models: { exclude } });
  return [
    { name: "lcb", correct: (await liveCodeBenchPool())! },
    // pool-math-l5: two incomplete Hyperbolic runs excluded; pool-gsm: one incomplete run excluded.
    { name: "math-l5", correct: varying(await mathPool("math-l5", ["Llama-3.1-405B-Instruct (Hyperbolic)", "Llama-3.1-70B-Instruct (Hyperbolic)"])) },
    { name: "gsm", correct: varying(await mathPool("gsm", ["Gemini-1.5-Flash-Exp-0827"])) },
    { name: "gpqa-mc", correct: varying(pool([graded(await loadSimpleEvalsGpqa(), source)], "gpqa-mc", "first")) },
  ];
}

/** A pool's full-copula orthant problem, as the copula stage integrates it: thresholds and the repaired tetrachoric matrix. */
export interface OrthantProblem { name: string; dim: number; upper: number[]; corr: number[]; loadings: number[] }

export function copulaProblem(name: string, correct: Uint8Array[]): OrthantProblem {
  const fit = fitCopula(packErrors(correct), { full: null });
  const M = correct.length;
  return {
    name, dim: fit.active.length,
    upper: fit.active.map((m) => fit.thresholds[m]!),
    corr: fit.active.flatMap((a) => fit.active.map((b) => fit.repaired[a * M + b]!)),
    loadings: fit.active.map((m) => fit.loadings[m]!),
  };
}
