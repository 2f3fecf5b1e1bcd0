/**
 * Benchmark: the copula stage's underpricing-ratio bootstrap (stats/copula-bootstrap.ts, the code the
 * pipeline runs) on a simulated 67-model x 1000-item matrix and, with the data mirror, on the LiveCodeBench
 * pool (71 models x 400 problems):
 *   - single-factor ratio beta / beta_1f, B = 1000 (target <= 5 s wall on the real pool, 10 s on the simulated one), and
 *   - full-copula ratio beta / beta_full, B = 200 (target <= 60 s), orthant options = the stage's boot defaults,
 * each timed as process CPU (all worker threads) and wall; when Rscript is present, R's equivalent
 * per-replicate loop (psych::tetrachoric + psych::fa + integrate [+ Matrix::nearPD + mvtnorm::pmvnorm]) on a
 * few replicates, extrapolated to B, gives the ratio.
 * Run: node --import tsx -e 'import("./bench/bootstrap.bench.ts").then((m) => m.benchBootstrap())'
 */
import { execa } from "execa";
import { createThreadPool } from "../engine/threads/thread-pool.js";
import { bootstrapCopula } from "../stats/copula-bootstrap.js";
import { fitCopula } from "../stats/copula.js";
import { normalQuantile } from "../stats/normal.js";
import { packErrors } from "../stats/verdict-bits.js";
import { liveCodeBenchPool } from "./pools.js";
import { uniformStream } from "../stats/mulberry32.js";

export interface BootstrapBenchRow {
  name: string;
  B: number;
  oursCpuS: number;
  oursWallS: number;
  /** R's CPU seconds for B replicates (per-replicate time on a few replicates x B); null without R. */
  rCpuS: number | null;
  ratio: number | null;
  targetS: number;
}

/**
 * Seeded probit verdicts (rows = models, 1 = correct): a general factor plus a small signed group factor, so
 * the full copula and the single factor differ a little, as in the real pools. Error rates 0.25–0.85 keep
 * beta (all 67 wrong) around a few percent, so resamples rarely have no all-wrong item.
 */
export function simulateCorrect(M: number, N: number, seed: number): number[][] {
  const u = uniformStream(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  const F = Array.from({ length: N }, normal), G = Array.from({ length: N }, normal);
  return Array.from({ length: M }, (_, m) => {
    const l1 = 0.6 + 0.3 * u(), l2 = (m % 3 === 0 ? 1 : -1) * 0.2 * u();
    const s = Math.sqrt(1 - l1 * l1 - l2 * l2);
    const err = 0.25 + 0.6 * u();
    const tau = normalQuantile(err); // wrong when the latent falls below tau
    return F.map((f, i) => (l1 * f + l2 * G[i]! + s * normal() < tau ? 0 : 1));
  });
}

/** R's per-replicate CPU seconds for the same loop (items resampled with R's RNG: the timing, not the values, matters). */
async function rPerReplicate(correct: number[][], full: boolean, reps: number, orthant: { absEps: number; maxPoints: number }): Promise<number | null> {
  const N = correct[0]!.length;
  const lines: string[] = [];
  for (let i = 0; i < N; i++) lines.push(correct.map((r) => r[i]).join(" "));
  const script = `suppressPackageStartupMessages({ library(psych); library(mvtnorm); library(Matrix) })
    x <- as.matrix(read.table(file("stdin"))); wrong <- 1 - x; set.seed(1)
    one <- function(idx) {
      w <- wrong[idx, ]; beta <- mean(rowSums(w) == ncol(w))
      tau <- qnorm(colMeans(w))
      rho <- suppressMessages(suppressWarnings(tetrachoric(w, smooth = FALSE)$rho))
      rho <- as.matrix(nearPD(rho, corr = TRUE)$mat)
      l <- as.vector(suppressMessages(suppressWarnings(fa(rho, nfactors = 1, fm = "minres")))$loadings)
      s <- sqrt(1 - l^2)
      f <- function(z) sapply(z, function(zz) exp(sum(pnorm((tau - l * zz) / s, log.p = TRUE)) + dnorm(zz, log = TRUE)))
      b1 <- integrate(f, -Inf, Inf, rel.tol = 1e-10)$value
      out <- beta / b1
      if (${full ? "TRUE" : "FALSE"}) out <- c(out, beta / pmvnorm(upper = tau, corr = rho,
        algorithm = GenzBretz(maxpts = ${orthant.maxPoints}, abseps = ${orthant.absEps}, releps = 0))[1])
      out
    }
    invisible(one(sample.int(nrow(x), replace = TRUE)))   # warm-up (byte compiler, lazy loads)
    t0 <- proc.time(); for (r in 1:${reps}) one(sample.int(nrow(x), replace = TRUE)); t1 <- proc.time()
    cat((t1[[1]] + t1[[2]] - t0[[1]] - t0[[2]]) / ${reps}, "\\n")`;
  try {
    const out = await execa("Rscript", ["-e", script], { input: lines.join("\n") + "\n" });
    return Number(out.stdout.trim().split(/\s+/).at(-1));
  } catch (e) {
    console.log(`R bootstrap loop: skipped (${(e as Error).message.split("\n")[0]})`);
    return null;
  }
}

export async function benchBootstrap(options: { Bsf?: number; Bfull?: number; rReplicates?: number; workers?: number; realPool?: boolean } = {}): Promise<BootstrapBenchRow[]> {
  const Bsf = options.Bsf ?? 1000, Bfull = options.Bfull ?? 200, rReps = options.rReplicates ?? 4;
  const seed = 20260625;
  const pools: { pool: string; correct: number[][] }[] = [{ pool: "simulated 67x1000", correct: simulateCorrect(67, 1000, seed) }];
  const lcb = options.realPool === false ? null : await liveCodeBenchPool();
  if (lcb) pools.push({ pool: `pool-lcb ${lcb.length}x${lcb[0]!.length}`, correct: lcb.map((r) => Array.from(r)) });
  const rows: BootstrapBenchRow[] = [];
  for (const { pool, correct } of pools) {
    // The copula stage's defaults (stages/copula.ts): point orthant 2e-5 / 1e6, bootstrap orthant 2e-4 / 40k points.
    const point = fitCopula(packErrors(correct), { full: { absEps: 2e-5, maxPoints: 1_000_000, seed } });
    const bootOrthant = { absEps: 2e-4, maxPoints: 40_000 };
    console.log(`${pool}: beta ${point.beta.toFixed(4)}, beta_1f ${point.beta1f.toFixed(4)}, beta_full ${point.betaFull?.value.toFixed(4)}, ` +
      `ratio sf ${point.ratioSf.toFixed(3)}, full ${point.ratioFull.toFixed(3)}, factor RMS residual ${point.factorRmsResidual.toFixed(3)}`);
    // Issue 14: the single-factor bootstrap on the LiveCodeBench pool within 5 s wall (10 s on the larger simulated matrix).
    const sfTarget = pool.startsWith("pool-lcb") ? 5 : 10;
    for (const [kind, B, full, targetS] of [["bootstrap-ratio-single-factor", Bsf, false, sfTarget], ["bootstrap-ratio-full-copula", Bfull, true, 60]] as const) {
      const name = `${kind} (${pool})`;
      const c0 = process.cpuUsage(), t0 = performance.now();
      // The engine's thread pool, as a stage's ctx.parallel uses it (thread start-up is part of the time).
      const threads = createThreadPool({ threads: options.workers ?? 2 });
      const res = await bootstrapCopula({
        correct, seed, Bsf: B, Bfull: full ? B : 0, level: 0.9, method: "percentile", warmStart: Array.from(point.tetrachoric),
        point, orthant: bootOrthant, parallel: threads, progress: () => {},
      }).finally(() => threads.close());
      const dc = process.cpuUsage(c0);
      const oursWallS = (performance.now() - t0) / 1000, oursCpuS = (dc.user + dc.system) / 1e6;
      const s = res.summary;
      const ci = full ? s.full!.ratioFull : s.ratioSf;
      console.log(`${name}: B = ${B}, 90% CI ${ci.lower?.toFixed(3)}–${ci.upper?.toFixed(3)} (failed ${full ? s.full!.failed : s.failed}); ` +
        `${oursCpuS.toFixed(2)} s cpu, ${oursWallS.toFixed(2)} s wall`);
      const per = await rPerReplicate(correct, full, full ? Math.max(2, Math.ceil(rReps / 2)) : rReps, bootOrthant);
      const rCpuS = per === null ? null : per * B;
      const ratio = rCpuS === null ? null : oursCpuS / rCpuS;
      if (per !== null) console.log(`  R loop: ${per.toFixed(3)} s cpu per replicate -> ${rCpuS!.toFixed(1)} s for B = ${B}`);
      console.log(`${name}: ours ${oursCpuS.toFixed(2)} s, R ${rCpuS?.toFixed(2) ?? "n/a"} s, ratio ${ratio?.toFixed(3) ?? "n/a"}`);
      rows.push({ name, B, oursCpuS, oursWallS, rCpuS, ratio, targetS });
    }
  }
  return rows;
}
