/**
 * Benchmark: tetrachoric correlation matrix of a pool's error indicators, ours (stats/tetrachoric.ts)
 * vs R's psych::tetrachoric (smooth = FALSE) timed in the same run on the same matrix:
 *   - a simulated 67-model x 1000-item one-factor probit matrix (seeded), and
 *   - when ../shared/data exists, the paper's LiveCodeBench pool: the three leaderboard snapshots through the
 *     pipeline's own adapter (400-problem common block), code grader (majority of samples) and pool builder,
 *     i.e. the 71-model x 400-problem matrix of pool-lcb — real data, for timing only.
 * Run: node --import tsx -e 'import("./bench/stats-core.bench.ts").then((m) => m.benchStatsCore())'
 */
import { execa } from "execa";
import { liveCodeBenchPool } from "./pools.js";
import { packErrors } from "../stats/verdict-bits.js";
import { tetrachoricMatrix } from "../stats/tetrachoric.js";
import { uniformStream } from "../stats/mulberry32.js";

interface BenchRow {
  name: string;
  models: number;
  items: number;
  oursMs: number;
  psychMs: number | null;
  ratio: number | null;
  maxAbsDiff: number | null;
}

/** Seeded one-factor probit verdicts (1 = correct), rows = models. */
function simulateVerdicts(M: number, N: number, seed: number): Uint8Array[] {
  const uniform = uniformStream(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  const F = Array.from({ length: N }, normal);
  return Array.from({ length: M }, () => {
    const l = 0.2 + 0.65 * uniform();
    const tau = -1.4 + 1.8 * uniform();
    return Uint8Array.from(F, (f) => (l * f + Math.sqrt(1 - l * l) * normal() >= tau ? 1 : 0));
  });
}

async function psychTetrachoric(rows: Uint8Array[]): Promise<{ ms: number; rho: number[] } | null> {
  const M = rows.length;
  const N = rows[0]!.length;
  const lines: string[] = [];
  for (let i = 0; i < N; i++) lines.push(rows.map((r) => r[i]).join(" "));
  const script = `suppressPackageStartupMessages(library(psych)); x <- as.matrix(read.table(file("stdin")))
    t0 <- proc.time()[[3]]; tt <- suppressMessages(suppressWarnings(tetrachoric(x, smooth = FALSE)))
    ms <- 1000 * (proc.time()[[3]] - t0); cat(ms, "\\n"); cat(as.vector(tt$rho), "\\n")`;
  try {
    const out = await execa("Rscript", ["-e", script], { input: lines.join("\n") + "\n" });
    const [msLine, rhoLine] = out.stdout.trim().split("\n");
    const rho = rhoLine!.trim().split(/\s+/).map(Number);
    if (rho.length !== M * M) throw new Error(`psych returned ${rho.length} values`);
    return { ms: Number(msLine), rho };
  } catch (e) {
    console.log(`psych::tetrachoric: skipped (${(e as Error).message.split("\n")[0]})`);
    return null;
  }
}

async function benchOne(name: string, rows: Uint8Array[], repeats: number): Promise<BenchRow> {
  const bits = packErrors(rows);
  tetrachoricMatrix(bits); // JIT warm-up
  const times: number[] = [];
  let result = tetrachoricMatrix(bits);
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    result = tetrachoricMatrix(bits);
    times.push(performance.now() - t0);
  }
  const oursMs = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
  const psych = await psychTetrachoric(rows);
  let maxAbsDiff: number | null = null;
  if (psych) {
    // R's matrix is column-major; both are symmetric.
    maxAbsDiff = 0;
    for (let i = 0; i < psych.rho.length; i++) maxAbsDiff = Math.max(maxAbsDiff, Math.abs(psych.rho[i]! - result.matrix[i]!));
  }
  const row: BenchRow = {
    name,
    models: rows.length,
    items: rows[0]!.length,
    oursMs,
    psychMs: psych?.ms ?? null,
    ratio: psych ? psych.ms / oursMs : null,
    maxAbsDiff,
  };
  console.log(
    `${name}: ${row.models} models x ${row.items} items — ours ${oursMs.toFixed(1)} ms (median of ${repeats})` +
      (psych ? `, psych::tetrachoric ${psych.ms.toFixed(0)} ms, ratio ${row.ratio!.toFixed(0)}x, max |diff| ${maxAbsDiff!.toExponential(2)}` : ""),
  );
  return row;
}

export async function benchStatsCore(options: { repeats?: number } = {}): Promise<BenchRow[]> {
  const repeats = options.repeats ?? 9;
  const rows: BenchRow[] = [];
  rows.push(await benchOne("simulated", simulateVerdicts(67, 1000, 20260625), repeats));
  const lcb = await liveCodeBenchPool();
  if (lcb) rows.push(await benchOne("pool-lcb", lcb, repeats));
  return rows;
}
