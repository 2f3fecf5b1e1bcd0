/**
 * `make bench`: every benchmark in one process, then a summary table with the targets. Times are CPU
 * seconds where both sides report them (the machine is shared, so wall time measures the neighbours);
 * ratio = ours / R, so smaller is better. Benchmarks never run in tests.
 * Run: node --import tsx bench/run.ts [--quick]   (--quick: fewer repeats and replicates, for a smoke run)
 */
import { benchBootstrap } from "./bootstrap.bench.js";
import { benchCertify } from "./certify.bench.js";
import { benchStatsCore } from "./stats-core.bench.js";
import { benchStatsSampling } from "./stats-sampling.bench.js";

interface SummaryRow {
  name: string;
  ours: string;
  r: string;
  ratio: string;
  target: string;
  /** null: no target (reported only) or the R side was unavailable. */
  pass: boolean | null;
}

const quick = process.argv.includes("--quick");
const seconds = (s: number | null | undefined, digits = 3) => (s === null || s === undefined ? "n/a" : `${s.toFixed(digits)} s`);
const summary: SummaryRow[] = [];

function section(title: string): void {
  console.log(`\n=== ${title} ===`);
}

async function guarded(title: string, run: () => Promise<void>): Promise<void> {
  section(title);
  try {
    await run();
  } catch (e) {
    console.log(`${title}: FAILED (${(e as Error).stack ?? e})`);
    summary.push({ name: title, ours: "error", r: "", ratio: "", target: "", pass: false });
  }
}

await guarded("stats-core: tetrachoric matrix vs psych::tetrachoric", async () => {
  for (const row of await benchStatsCore({ repeats: quick ? 3 : 9 })) {
    const ours = row.oursMs / 1000, r = row.psychMs === null ? null : row.psychMs / 1000;
    const ratio = r === null ? null : ours / r;
    console.log(`tetrachoric-${row.name}: ours ${seconds(ours)}, R ${seconds(r)}, ratio ${ratio?.toFixed(3) ?? "n/a"} (wall)`);
    summary.push({ name: `tetrachoric ${row.models}x${row.items} (${row.name})`, ours: seconds(ours), r: seconds(r), ratio: ratio?.toFixed(3) ?? "n/a", target: ">= 50x (ratio <= 0.02)", pass: ratio === null ? null : ratio <= 0.02 });
  }
});

await guarded("stats-sampling: orthant probability, abseps 1e-5, vs mvtnorm::pmvnorm", async () => {
  for (const s of await benchStatsSampling({ repeats: quick ? 3 : 7 })) {
    summary.push({
      name: `orthant ${s.dim}-dim (${s.name}), 1e-5 (cpu)`, ours: seconds(s.oursCpuMs / 1000), r: seconds(s.pmvnormCpuMs === null ? null : s.pmvnormCpuMs / 1000),
      ratio: s.cpuRatio?.toFixed(3) ?? "n/a", target: "ratio <= 0.5", pass: s.cpuRatio === null ? null : s.cpuRatio <= 0.5,
    });
  }
});

await guarded("certify: 100 models x 100 000 items CSV", async () => {
  const c = await benchCertify(quick ? { items: 10_000 } : {});
  console.log(`certify: ours ${seconds(c.certifyMs / 1000, 2)}, R n/a, ratio n/a (wall)`);
  summary.push({ name: `certify ${c.models}x${c.items} (wall)`, ours: seconds(c.certifyMs / 1000, 2), r: "n/a", ratio: "n/a", target: "a few s (<= 5 s)", pass: quick ? null : c.certifyMs <= 5000 });
});

await guarded("bootstrap: copula underpricing ratio (stats/copula-bootstrap.ts)", async () => {
  const rows = await benchBootstrap(quick ? { Bsf: 100, Bfull: 20, rReplicates: 2 } : {});
  for (const b of rows) {
    summary.push({
      // The targets are wall-clock on 2 cores; CPU is shown too (it is what a busy machine cannot distort).
      name: `${b.name}, B=${b.B}`, ours: `${seconds(b.oursWallS, 1)} wall, ${seconds(b.oursCpuS, 1)} cpu`, r: b.rCpuS === null ? "n/a" : `${seconds(b.rCpuS, 1)} cpu (extrap.)`,
      ratio: b.ratio?.toFixed(3) ?? "n/a", target: `wall <= ${b.targetS} s on 2 cores`, pass: quick ? null : b.oursWallS <= b.targetS,
    });
  }
});

section("summary (ratio = ours / R; smaller is better)");
const header: SummaryRow = { name: "benchmark", ours: "ours", r: "R", ratio: "ratio", target: "target", pass: null };
const cells = (r: SummaryRow) => [r.name, r.ours, r.r, r.ratio, r.target, r === header ? "result" : r.pass === null ? "—" : r.pass ? "PASS" : "MISS"];
const table = [header, ...summary].map(cells);
const widths = table[0]!.map((_, j) => Math.max(...table.map((row) => row[j]!.length)));
for (const [i, row] of table.entries()) {
  console.log(row.map((c, j) => c.padEnd(widths[j]!)).join("  "));
  if (i === 0) console.log(widths.map((w) => "-".repeat(w)).join("  "));
}
if (quick) console.log("(--quick: bootstrap targets are for the full B and are not judged)");
