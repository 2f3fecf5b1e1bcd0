// The robustness table of `lcb`, built by the real pipeline from the raw files in a fresh copy of the project
// (`cofail run robustness-lcb`: ingest, grade, pool, audit, the paper's copula and the sweep variants): it shows the
// single-factor ratio under each zero-cell correction, the values agree with an independent recomputation (own
// tetrachorics with the correction, minres by alternating least squares, the single-factor beta by the trapezoid
// rule; the nearest-correlation repair is stats/, checked against Matrix::nearPD in its own tests), and the registry
// carries each headline's range and the model-clustered intervals.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { hasData } from "../../ingest/mirror-tables.js";
import { nearestCorrelation } from "../../stats/nearest-correlation.js";
import type { PoolMatrix } from "../../core/pool-matrix.js";
import type { Table } from "../../core/table.js";
import { minresByAls, plainAllWrong, plainTetrachorics, singleFactorBetaTrapezoid } from "../support/independent.js";
import { cofailIn, freshProjectCopy } from "../support/project-copy.js";

/** Observed over single-factor beta with the given zero-cell correction, computed without stats/'s copula. */
function independentRatioSf(matrix: PoolMatrix, correction: number): number {
  const err = matrix.correct.map((row) => row.map((c) => 1 - c));
  const { tau, R } = plainTetrachorics(err, correction);
  const M = R.length;
  const near = nearestCorrelation(R.flat(), M).matrix;
  const lam = minresByAls(Array.from({ length: M }, (_, i) => Array.from(near.slice(i * M, (i + 1) * M))));
  return plainAllWrong(err) / err[0]!.length / singleFactorBetaTrapezoid(tau, lam);
}

test("the lcb robustness table shows the single-factor ratio under each zero-cell correction", { skip: !hasData && "no ../shared/data", timeout: 20 * 60_000 }, async () => {
  const dir = await freshProjectCopy("cofail-robust-");
  // A targeted run: the committed lock describes a workspace whose run-cache this copy does not have.
  await rm(join(dir, "cofail.lock"), { force: true });
  const run = await cofailIn(dir, ["run", "robustness-lcb", "--jobs", "2"]);
  assert.equal(run.code, 0, run.stderr.slice(-4000) + run.stdout.slice(-2000));
  assert.match(run.stderr + run.stdout, /ran copula-lcb-conv@zero=0\.1,repair=higham/);

  const table = JSON.parse(await readFile(join(dir, "build", "robustness-lcb", "table.json"), "utf8")) as Table;
  const row = (label: string) => {
    const r = table.rows.find((x) => String(x.label).startsWith(label));
    assert.ok(r, `no row "${label}" in: ${table.rows.map((x) => x.label).join(" | ")}`);
    return r;
  };
  assert.ok(table.columns.some((c) => c.key === "ratio.sf" && /single factor/.test(c.label)));
  const matrix = JSON.parse(await readFile(join(dir, "build", "pool-lcb", "matrix.json"), "utf8")) as PoolMatrix;
  const shown: Record<string, number> = {};
  for (const [label, correction] of [["paper's conventions", 0.5], ["zero-cell correction: 0.1", 0.1], ["zero-cell correction: none", 0]] as const) {
    const value = row(label)["ratio.sf"] as number;
    const expected = independentRatioSf(matrix, correction);
    assert.ok(Math.abs(value / expected - 1) < 2e-3, `${label}: table ${value} vs independent ${expected}`);
    shown[label] = value;
  }
  // The numbers: ~26 with psych's 0.5, ~13 with 0.1, ~4.3 with none.
  assert.ok(shown["paper's conventions"]! > 25 && shown["paper's conventions"]! < 27);
  assert.ok(shown["zero-cell correction: 0.1"]! > 12.5 && shown["zero-cell correction: 0.1"]! < 14.5);
  assert.ok(shown["zero-cell correction: none"]! > 4 && shown["zero-cell correction: none"]! < 4.7);
  assert.match(String(table.rows[table.rows.length - 1]!["ratio.sf"]), /^4\.3\d–\d+\.\d\d$/);

  const registry = new Map((JSON.parse(await readFile(join(dir, "build", "registry.json"), "utf8")) as { id: string; value: number; ci?: { lower: number; upper: number; method?: string } }[]).map((r) => [r.id, r]));
  assert.equal(registry.get("lcb.ratio.sf.at.zero-0p1")!.value, shown["zero-cell correction: 0.1"]);
  assert.equal(registry.get("lcb.ratio.sf.range.min")!.value, shown["zero-cell correction: none"]);
  assert.equal(registry.get("lcb.conv.zero-0p1")!.value, 0.1);
  assert.equal(registry.get("lcb.pairs.empty")!.value, 410);
  // the model-clustered interval next to the item bootstrap's
  const jk = registry.get("lcb.ratio.full.jackknife")!;
  assert.equal(jk.value, registry.get("lcb.ratio.full")!.value);
  assert.match(jk.ci!.method!, /leave-one-model-out jackknife over the 71 models/);
  assert.ok(jk.ci!.lower < jk.value && jk.value < jk.ci!.upper);
  // variants are not registry numbers; their own results are in build/
  assert.ok(![...registry.values()].some((r) => (r as { stage?: string }).stage?.includes("@")));
  const variant = JSON.parse(await readFile(join(dir, "build", "copula-lcb-conv@zero=0.1,repair=higham", "results.json"), "utf8")) as { id: string; value: number }[];
  assert.equal(variant.find((r) => r.id === "lcb.ratio.sf")!.value, shown["zero-cell correction: 0.1"]);
});
