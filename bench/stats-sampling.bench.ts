/**
 * Benchmark: normal orthant probability (abseps 1e-5), ours vs R mvtnorm::pmvnorm (GenzBretz) in the same
 * run, on the committed 67-dim reference problem and (with the data mirror) on the LiveCodeBench pool's
 * copula (thresholds and repaired tetrachoric matrix of its 71 models, as the copula stage integrates it);
 * CPU time is the headline (shared machine). Also times ours without the single-factor control variate
 * (controlVariate: "none") for the record.
 * Run: node --import tsx -e 'import("./bench/stats-sampling.bench.ts").then((m) => m.benchStatsSampling())'
 */
import { readFile } from "node:fs/promises";
import { execa } from "execa";
import { fitCopula } from "../stats/copula.js";
import { mvnOrthantProbability } from "../stats/orthant.js";
import { packErrors } from "../stats/verdict-bits.js";
import { liveCodeBenchPool } from "./pools.js";

interface OrthantCase { name: string; upper: number[]; corr: number[]; dim: number }

export interface OrthantBenchRow {
  name: string;
  dim: number;
  oursMs: number; pmvnormMs: number | null; ratio: number | null; cpuRatio: number | null;
  oursCpuMs: number; pmvnormCpuMs: number | null; plainCpuMs: number;
}

export async function benchStatsSampling(options: { repeats?: number } = {}): Promise<OrthantBenchRow[]> {
  const repeats = options.repeats ?? 7;
  const ref = JSON.parse(await readFile(new URL("../test/reference/stats-orthant.json", import.meta.url), "utf8"));
  const cases: OrthantCase[] = [ref.orthant.find((x: OrthantCase) => x.name === "dim67")];
  const lcb = await liveCodeBenchPool();
  if (lcb) {
    const fit = fitCopula(packErrors(lcb), { full: null });
    const M = lcb.length;
    cases.push({
      name: "pool-lcb", dim: fit.active.length,
      upper: fit.active.map((m) => fit.thresholds[m]!),
      corr: fit.active.flatMap((a) => fit.active.map((b) => fit.repaired[a * M + b]!)),
    });
  }
  const rows: OrthantBenchRow[] = [];
  for (const c of cases) rows.push(await benchOrthantCase(c, repeats));
  return rows;
}

async function benchOrthantCase(c: OrthantCase, repeats: number): Promise<OrthantBenchRow> {
  const upper = Float64Array.from(c.upper), R = Float64Array.from(c.corr);
  // JIT warm-up of both integrands (a few calls: the first ones run in V8's baseline tiers).
  for (let s = 0; s < 4; s++) mvnOrthantProbability(upper, R, { absEps: 1e-5, seed: 990 + s });
  mvnOrthantProbability(upper, R, { absEps: 1e-4, seed: 999, controlVariate: "none" });
  // Interleaved (ours, then pmvnorm, per seed) so both see the same machine load.
  const script = `suppressPackageStartupMessages(library(mvtnorm)); a <- commandArgs(TRUE)
    u <- as.numeric(strsplit(a[1], ",")[[1]]); R <- matrix(as.numeric(strsplit(a[2], ",")[[1]]), ${c.dim})
    set.seed(as.integer(a[3])); t0 <- proc.time(); w0 <- t0[[3]]; c0 <- t0[[1]] + t0[[2]]
    p <- pmvnorm(upper = u, corr = R, algorithm = GenzBretz(maxpts = 5e7, abseps = 1e-5, releps = 0))
    t1 <- proc.time(); cat(p[1], attr(p, "error"), 1000 * (t1[[3]] - w0), 1000 * (t1[[1]] + t1[[2]] - c0), "\\n")`;
  const times: number[] = [], rTimes: number[] = [], cpu: number[] = [], rCpu: number[] = [];
  let haveR = true;
  for (let s = 1; s <= repeats; s++) {
    const t0 = performance.now(), c0 = process.cpuUsage();
    const r = mvnOrthantProbability(upper, R, { absEps: 1e-5, seed: s });
    times.push(performance.now() - t0);
    const dc = process.cpuUsage(c0);
    cpu.push((dc.user + dc.system) / 1000);
    console.log(`ours    seed ${s}: ${r.value.toPrecision(7)} ± ${r.error.toExponential(2)} (${r.points} pts) ${times.at(-1)!.toFixed(0)} ms wall, ${cpu.at(-1)!.toFixed(0)} ms cpu`);
    if (!haveR) continue;
    try {
      const out = await execa("Rscript", ["-e", script, c.upper.join(","), c.corr.join(","), String(s)]);
      const [v, e, ms, cms] = out.stdout.trim().split(/\s+/).map(Number);
      rTimes.push(ms);
      rCpu.push(cms);
      console.log(`pmvnorm seed ${s}: ${v.toPrecision(7)} ± ${e.toExponential(2)} ${ms.toFixed(0)} ms wall, ${cms.toFixed(0)} ms cpu`);
    } catch (err) {
      haveR = false;
      console.log(`pmvnorm: skipped (${(err as Error).message.split("\n")[0]})`);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  // For the record: the same problem without the single-factor control variate (the pre-control-variate method).
  const plainCpu: number[] = [];
  for (let s = 1; s <= Math.min(3, repeats); s++) {
    const c0 = process.cpuUsage();
    const r = mvnOrthantProbability(upper, R, { absEps: 1e-5, seed: s, controlVariate: "none" });
    const dc = process.cpuUsage(c0);
    plainCpu.push((dc.user + dc.system) / 1000);
    console.log(`ours, no control variate, seed ${s}: ${r.value.toPrecision(7)} ± ${r.error.toExponential(2)} (${r.points} pts) ${plainCpu.at(-1)!.toFixed(0)} ms cpu`);
  }
  const oursMs = median(times);
  const pmvnormMs = haveR && rTimes.length > 0 ? median(rTimes) : null;
  const ratio = pmvnormMs ? oursMs / pmvnormMs : null;
  const cpuRatio = haveR && rCpu.length > 0 ? median(cpu) / median(rCpu) : null;
  console.log(`${c.name}: ${c.dim}-dim orthant, abseps 1e-5 (medians of ${repeats}): ours ${oursMs.toFixed(0)} ms wall / ${median(cpu).toFixed(0)} ms cpu; pmvnorm ${pmvnormMs?.toFixed(0) ?? "n/a"} ms wall / ${haveR && rCpu.length ? median(rCpu).toFixed(0) : "n/a"} ms cpu; ratio wall ${ratio?.toFixed(2) ?? "n/a"}, cpu ${cpuRatio?.toFixed(2) ?? "n/a"} (target <= 0.5)`);
  const oursCpuMs = median(cpu), pmvnormCpuMs = haveR && rCpu.length ? median(rCpu) : null;
  console.log(`orthant-${c.name}: ours ${(oursCpuMs / 1000).toFixed(3)} s, R ${pmvnormCpuMs === null ? "n/a" : (pmvnormCpuMs / 1000).toFixed(3)} s, ratio ${cpuRatio?.toFixed(3) ?? "n/a"} (cpu)`);
  return { name: c.name, dim: c.dim, oursMs, pmvnormMs, ratio, cpuRatio, oursCpuMs, pmvnormCpuMs, plainCpuMs: median(plainCpu) };
}

if (import.meta.url === `file://${process.argv[1]}`) await benchStatsSampling();
