/**
 * Benchmark: the full-copula beta(k) curve — the orthant probability of the best k models for EVERY k = 1..M, the
 * copula fitted once on the whole pool and marginalised to each prefix (as stages/beta-k.ts does) — ours vs R on
 * each real pool. R: mvtnorm::pmvnorm(GenzBretz(maxpts = 1e5, abseps = 0)) at every k (the "1e5 points"),
 * which reports its error e_k; ours: stats/beta-k-curve.ts fullCopulaCurve at absEps = e_k for every k, so ours is
 * never allowed a looser error than R reached. CPU time of the whole curve on both sides.
 * Run: node --import tsx -e 'import("./bench/beta-k.bench.ts").then((m) => m.benchBetaK())'
 */
import { execa } from "execa";
import { fullCopulaCurve } from "../stats/beta-k-curve.js";
import { copulaProblem, paperPools } from "./pools.js";

export interface BetaKBenchRow {
  pool: string;
  models: number;
  oursCpuS: number;
  rCpuS: number | null;
  ratio: number | null;
  /** Largest |ours - R| / (ours error + R error) over k: <= 1 means every k agrees within the two errors. */
  worstDisagreement: number | null;
}

const R_CURVE = `suppressPackageStartupMessages(library(mvtnorm)); a <- commandArgs(TRUE)
  d <- as.integer(a[1]); u <- as.numeric(strsplit(a[2], ",")[[1]]); R <- matrix(as.numeric(strsplit(a[3], ",")[[1]]), d)
  invisible(pmvnorm(upper = u[1:3], corr = R[1:3, 1:3]))
  vals <- numeric(d); errs <- numeric(d); t0 <- proc.time()
  for (k in 1:d) { set.seed(k)
    p <- pmvnorm(upper = u[1:k], sigma = R[1:k, 1:k, drop = FALSE], algorithm = GenzBretz(maxpts = 1e5, abseps = 0, releps = 0))
    vals[k] <- p[1]; errs[k] <- attr(p, "error") }
  t1 <- proc.time()
  cat(t1[[1]] + t1[[2]] - t0[[1]] - t0[[2]], "\\n", paste(sprintf("%.12g", vals), collapse = ","), "\\n", paste(sprintf("%.6g", errs), collapse = ","), "\\n")`;

export async function benchBetaK(): Promise<BetaKBenchRow[]> {
  const rows: BetaKBenchRow[] = [];
  for (const pool of await paperPools()) {
    const c = copulaProblem(pool.name, pool.correct);
    let r: { cpuS: number; values: number[]; errors: number[] } | null = null;
    try {
      const out = await execa("Rscript", ["-e", R_CURVE, String(c.dim), c.upper.join(","), c.corr.join(",")]);
      const [cpu, values, errors] = out.stdout.trim().split("\n").map((l) => l.trim());
      r = { cpuS: Number(cpu), values: values!.split(",").map(Number), errors: errors!.split(",").map(Number) };
    } catch (e) {
      console.log(`R beta(k): skipped (${String((e as { stderr?: string }).stderr ?? e).split("\n").slice(0, 2).join(" ")})`);
    }
    const ks = Array.from({ length: c.dim }, (_, i) => i + 1);
    // Ours: at R's error for each k (1e-5 where R is absent); a floor of 1e-12 for the exact low-k cases.
    const absEps = ks.map((k) => Math.max(1e-12, r ? r.errors[k - 1]! : 1e-5));
    const upper = Float64Array.from(c.upper), R = Float64Array.from(c.corr);
    fullCopulaCurve(upper, R, ks.slice(0, 5), { absEps: 1e-3, seed: 1 }); // warm-up
    const c0 = process.cpuUsage();
    const curve = fullCopulaCurve(upper, R, ks, { absEps, seed: 20260625, maxPoints: 5e7 });
    const d = process.cpuUsage(c0);
    const oursCpuS = (d.user + d.system) / 1e6;
    let worst: number | null = null;
    if (r) {
      worst = 0;
      for (const [i, p] of curve.entries()) {
        const tol = p.error + r.errors[i]! + 1e-12;
        worst = Math.max(worst, Math.abs(p.value - r.values[i]!) / tol);
      }
    }
    const row: BetaKBenchRow = { pool: pool.name, models: c.dim, oursCpuS, rCpuS: r?.cpuS ?? null, ratio: r ? oursCpuS / r.cpuS : null, worstDisagreement: worst };
    const pts = curve.reduce((a, p) => a + p.points, 0);
    console.log(`beta(k) ${pool.name} (k = 1..${c.dim}): ours ${oursCpuS.toFixed(2)} s cpu (${pts} points), R ${r ? r.cpuS.toFixed(2) : "n/a"} s cpu, ` +
      `ratio ${row.ratio?.toFixed(3) ?? "n/a"} (target < 1); worst |ours - R| / (sum of errors) = ${worst?.toFixed(2) ?? "n/a"}`);
    rows.push(row);
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) await benchBetaK();
