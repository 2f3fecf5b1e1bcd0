// The real pool the benchmarks time besides their simulated 67 x 1000 matrix: the paper's LiveCodeBench pool,
// built from the shared data mirror by the pipeline's own code (adapter -> code grader -> pool builder), through
// the real-pool loaders the analysis tests use.
import code from "../ingest/graders/code.js";
import { hasData, loadLiveCodeBench, pool } from "../ingest/mirror-pools.js";

/**
 * pool-lcb's verdict matrix (rows = models, 1 = correct): the three leaderboard snapshots, 400-problem common
 * block, majority of samples — 71 models x 400 problems; null without the data mirror.
 */
export async function liveCodeBenchPool(): Promise<Uint8Array[] | null> {
  if (!hasData) return null;
  const table = await loadLiveCodeBench();
  const graded = { ...table, rows: code(table.rows, { options: { policy: "majority" }, warn: () => {} }) };
  // psych drops models without variance; so do we, to time the same problem.
  return pool([graded], "lcb", "majority").correct.map((r) => Uint8Array.from(r)).filter((r) => r.some((v) => v === 1) && r.some((v) => v === 0));
}
