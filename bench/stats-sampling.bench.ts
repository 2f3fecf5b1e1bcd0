/**
 * Benchmark: 67-dimensional normal orthant probability (abseps 1e-5), ours vs R mvtnorm::pmvnorm
 * (GenzBretz) in the same run, on the committed 67-dim reference problem.
 * Run: node --import tsx -e 'import("./bench/stats-sampling.bench.ts").then((m) => m.benchStatsSampling())'
 */
import { readFile } from "node:fs/promises";
import { execa } from "execa";
import { mvnOrthantProbability } from "../stats/orthant.js";

interface OrthantCase { name: string; upper: number[]; corr: number[]; dim: number }

export async function benchStatsSampling(options: { repeats?: number } = {}): Promise<{ oursMs: number; pmvnormMs: number | null; ratio: number | null }> {
  const repeats = options.repeats ?? 5;
  const ref = JSON.parse(await readFile(new URL("../test/reference/stats-orthant.json", import.meta.url), "utf8"));
  const c: OrthantCase = ref.orthant.find((x: OrthantCase) => x.name === "dim67");
  const upper = Float64Array.from(c.upper), R = Float64Array.from(c.corr);
  mvnOrthantProbability(upper, R, { absEps: 1e-4, seed: 999 }); // JIT warm-up
  const times: number[] = [];
  for (let s = 1; s <= repeats; s++) {
    const t0 = performance.now();
    const r = mvnOrthantProbability(upper, R, { absEps: 1e-5, seed: s });
    times.push(performance.now() - t0);
    console.log(`ours   seed ${s}: ${r.value.toPrecision(7)} ± ${r.error.toExponential(2)} (${r.points} pts) ${times.at(-1)!.toFixed(0)} ms`);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const oursMs = median(times);
  let pmvnormMs: number | null = null;
  try {
    const script = `suppressPackageStartupMessages(library(mvtnorm)); a <- commandArgs(TRUE)
      u <- as.numeric(strsplit(a[1], ",")[[1]]); R <- matrix(as.numeric(strsplit(a[2], ",")[[1]]), ${c.dim})
      for (s in 1:${repeats}) { set.seed(s); t0 <- proc.time()[[3]]
        p <- pmvnorm(upper = u, corr = R, algorithm = GenzBretz(maxpts = 5e7, abseps = 1e-5, releps = 0))
        cat(p[1], attr(p, "error"), 1000 * (proc.time()[[3]] - t0), "\\n") }`;
    const out = await execa("Rscript", ["-e", script, c.upper.join(","), c.corr.join(",")]);
    const rt = out.stdout.trim().split("\n").map((l) => l.trim().split(/\s+/).map(Number));
    rt.forEach(([v, e, ms], i) => console.log(`pmvnorm seed ${i + 1}: ${v.toPrecision(7)} ± ${e.toExponential(2)} ${ms.toFixed(0)} ms`));
    pmvnormMs = median(rt.map((x) => x[2]));
  } catch (e) {
    console.log(`pmvnorm: skipped (${(e as Error).message.split("\n")[0]})`);
  }
  const ratio = pmvnormMs ? oursMs / pmvnormMs : null;
  console.log(`67-dim orthant, abseps 1e-5: ours ${oursMs.toFixed(0)} ms, pmvnorm ${pmvnormMs?.toFixed(0) ?? "n/a"} ms, ratio ${ratio?.toFixed(2) ?? "n/a"} (target <= 0.5)`);
  return { oursMs, pmvnormMs, ratio };
}

if (import.meta.url === `file://${process.argv[1]}`) await benchStatsSampling();
