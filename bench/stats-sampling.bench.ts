/**
 * Benchmark: normal orthant probability at pmvnorm's error, ours vs R mvtnorm::pmvnorm (GenzBretz) in the same run,
 * on the committed 67-dim reference problem and (with the data mirror) on the four real pools' full copulas
 * (thresholds and repaired tetrachoric matrix of their models, as the copula stage integrates them). For each of
 * `repeats` seeds, interleaved so both see the same machine load: pmvnorm with abseps = 1e-5 first, then ours with
 * absEps = the error pmvnorm reported for that seed (so ours is never allowed a looser error). CPU time is the
 * headline (shared machine); the spread over seeds of our CPU time, points and value is reported. Also times ours
 * without the control variate and without tilting, for the record.
 * Run: node --import tsx -e 'import("./bench/stats-sampling.bench.ts").then((m) => m.benchStatsSampling())'
 */
import { readFile } from "node:fs/promises";
import { execa } from "execa";
import { mvnOrthantProbability, type OrthantOptions } from "../stats/orthant.js";
import { copulaProblem, paperPools, type OrthantProblem } from "./pools.js";

export interface OrthantBenchRow {
  name: string;
  dim: number;
  /** Medians over seeds (CPU ms); pmvnorm null without R. */
  oursCpuMs: number;
  pmvnormCpuMs: number | null;
  cpuRatio: number | null;
  /** min–max of our CPU ms and points over seeds. */
  oursCpuRange: [number, number];
  pointsRange: [number, number];
  /** Largest of our reported errors and of pmvnorm's. */
  oursError: number;
  pmvnormError: number | null;
  /** Medians without the control variate / without tilting (CPU ms). */
  noCvCpuMs: number;
  noTiltCpuMs: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const cpuMs = (c0: NodeJS.CpuUsage) => { const d = process.cpuUsage(c0); return (d.user + d.system) / 1000; };

/** The R side: one process per problem, every seed in it (R and mvtnorm start-up excluded from the times). */
const R_SCRIPT = `suppressPackageStartupMessages(library(mvtnorm)); a <- commandArgs(TRUE)
  d <- as.integer(a[1]); u <- as.numeric(strsplit(a[2], ",")[[1]]); R <- matrix(as.numeric(strsplit(a[3], ",")[[1]]), d)
  seed <- as.integer(a[4]); invisible(pmvnorm(upper = u, corr = R, algorithm = GenzBretz(maxpts = 1e5, abseps = 1e-3, releps = 0)))
  set.seed(seed); t0 <- proc.time()
  p <- pmvnorm(upper = u, corr = R, algorithm = GenzBretz(maxpts = 5e7, abseps = 1e-5, releps = 0))
  t1 <- proc.time(); cat(sprintf("%.12g", p[1]), attr(p, "error"), 1000 * (t1[[1]] + t1[[2]] - t0[[1]] - t0[[2]]), "\\n")`;

export async function pmvnormOnce(c: OrthantProblem, seed: number): Promise<{ value: number; error: number; cpuMs: number } | null> {
  try {
    const out = await execa("Rscript", ["-e", R_SCRIPT, String(c.dim), c.upper.join(","), c.corr.join(","), String(seed)]);
    const [value, error, ms] = out.stdout.trim().split(/\s+/).map(Number);
    return { value: value!, error: error!, cpuMs: ms! };
  } catch (e) {
    console.log(`pmvnorm: skipped (${(e as Error).message.split("\n")[0]})`);
    return null;
  }
}

export async function orthantProblems(): Promise<OrthantProblem[]> {
  const ref = JSON.parse(await readFile(new URL("../test/reference/stats-orthant.json", import.meta.url), "utf8"));
  const d67 = ref.orthant.find((x: { name: string }) => x.name === "dim67");
  const cases: OrthantProblem[] = [{ name: "simulated-67", dim: d67.dim, upper: d67.upper, corr: d67.corr, loadings: [] }];
  for (const p of await paperPools()) cases.push(copulaProblem(`pool-${p.name}`, p.correct));
  return cases;
}

export async function benchStatsSampling(options: { repeats?: number } = {}): Promise<OrthantBenchRow[]> {
  const repeats = options.repeats ?? 7;
  const rows: OrthantBenchRow[] = [];
  for (const c of await orthantProblems()) rows.push(await benchOrthantCase(c, repeats));
  return rows;
}

async function benchOrthantCase(c: OrthantProblem, repeats: number): Promise<OrthantBenchRow> {
  const upper = Float64Array.from(c.upper), R = Float64Array.from(c.corr);
  const run = (absEps: number, seed: number, extra: OrthantOptions = {}) => {
    const c0 = process.cpuUsage();
    const r = mvnOrthantProbability(upper, R, { absEps, seed, maxPoints: 5e7, ...extra });
    return { ...r, cpuMs: cpuMs(c0) };
  };
  // JIT and kernel warm-up (the first calls run in V8's baseline tiers; the lattice tables are built once).
  for (let s = 0; s < 3; s++) run(1e-4, 990 + s);
  const ours: ReturnType<typeof run>[] = [], theirs: { value: number; error: number; cpuMs: number }[] = [];
  let haveR = true;
  for (let s = 1; s <= repeats; s++) {
    const r = haveR ? await pmvnormOnce(c, s) : null;
    if (r) {
      theirs.push(r);
      console.log(`pmvnorm seed ${s}: ${r.value.toPrecision(7)} ± ${r.error.toExponential(2)}  ${r.cpuMs.toFixed(0)} ms cpu`);
    } else haveR = false;
    // At pmvnorm's error for the same seed (1e-5 without R).
    const o = run(r ? r.error : 1e-5, s);
    ours.push(o);
    console.log(`ours    seed ${s}: ${o.value.toPrecision(7)} ± ${o.error.toExponential(2)}  ${o.cpuMs.toFixed(0)} ms cpu (${o.points} points${o.converged ? "" : ", NOT converged"})`);
  }
  const target = haveR ? median(theirs.map((t) => t.error)) : 1e-5;
  const forRecord = (extra: OrthantOptions) => median([1, 2, 3].map((s) => run(target, s, extra).cpuMs));
  const noCvCpuMs = forRecord({ controlVariate: "none" }), noTiltCpuMs = forRecord({ tilt: false });
  const oursCpuMs = median(ours.map((o) => o.cpuMs));
  const pmvnormCpuMs = haveR ? median(theirs.map((t) => t.cpuMs)) : null;
  const row: OrthantBenchRow = {
    name: c.name, dim: c.dim, oursCpuMs, pmvnormCpuMs, cpuRatio: pmvnormCpuMs ? oursCpuMs / pmvnormCpuMs : null,
    oursCpuRange: [Math.min(...ours.map((o) => o.cpuMs)), Math.max(...ours.map((o) => o.cpuMs))],
    pointsRange: [Math.min(...ours.map((o) => o.points)), Math.max(...ours.map((o) => o.points))],
    oursError: Math.max(...ours.map((o) => o.error)), pmvnormError: haveR ? Math.max(...theirs.map((t) => t.error)) : null,
    noCvCpuMs, noTiltCpuMs,
  };
  const values = ours.map((o) => o.value);
  console.log(`${c.name}: ${c.dim}-dim orthant at pmvnorm's error (medians of ${repeats} seeds): ours ${oursCpuMs.toFixed(0)} ms cpu ` +
    `(${row.oursCpuRange.map((v) => v.toFixed(0)).join("–")} ms, ${row.pointsRange.join("–")} points, values ${Math.min(...values).toPrecision(6)}–${Math.max(...values).toPrecision(6)}), ` +
    `pmvnorm ${pmvnormCpuMs?.toFixed(0) ?? "n/a"} ms cpu; ratio ${row.cpuRatio?.toFixed(3) ?? "n/a"} (target <= 0.5); ` +
    `without control variate ${noCvCpuMs.toFixed(0)} ms, without tilting ${noTiltCpuMs.toFixed(0)} ms`);
  return row;
}

if (import.meta.url === `file://${process.argv[1]}`) await benchStatsSampling();
