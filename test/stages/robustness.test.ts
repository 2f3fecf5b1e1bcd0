// The robustness stage: rows per set of conventions (only what differs from the paper's is named), ranges over
// them, registry ids per headline (range, value under each convention), and the summary tables.
import { test } from "node:test";
import assert from "node:assert/strict";
import copulaStage from "../../stages/copula.js";
import robustnessStage from "../../stages/robustness.js";
import summaryStage, { intervalsTable, rangesTable } from "../../stages/robustness-summary.js";
import type { CopulaSummary } from "../../core/copula-summary.js";
import { parseVariantLabel, type RobustnessPoints } from "../../core/robustness.js";
import type { Table } from "../../core/table.js";
import { runStage } from "../support/stage-context.js";
import { simulatePool } from "../support/simulate.js";

const matrix = simulatePool({
  errorRates: [0.2, 0.25, 0.3, 0.3, 0.35, 0.4], loadings: [0.5, 0.55, 0.6, 0.65, 0.5, 0.6], items: 800, seed: 7,
  hardShare: 0.03, hardError: 1,
});
// an empty cell, so the zero-cell correction matters: the last model is wrong only where the first is
let n = 0;
matrix.correct[5] = matrix.correct[0].map((c) => (c === 0 && n++ % 2 === 0 ? 0 : 1));

async function summary(params: Record<string, unknown>, m = matrix): Promise<CopulaSummary> {
  const r = await runStage(copulaStage, { params: { k: 3, B_sf: 0, B_full: 0, jackknife: false, B_models: 0, ...params }, inputs: { matrix: m } });
  return r.outputs.summary as CopulaSummary;
}

test("parseVariantLabel reads the engine's variant labels", () => {
  assert.deepEqual(parseVariantLabel("zero=0.1,repair=higham"), [["zero", "0.1"], ["repair", "higham"]]);
  assert.throws(() => parseVariantLabel("zero"), /not a sweep variant label/);
});

test("robustness: a row per set of conventions, ranges, and registry ids per headline", async () => {
  const baseline = await summary({});
  const conv = {
    "zero=0,repair=higham": await summary({ zero_cell: 0 }),
    "zero=0.1,repair=higham": await summary({ zero_cell: 0.1 }),
    "zero=0.5,repair=clip": await summary({ repair: "clip" }),
    "zero=0.5,repair=higham": await summary({}), // the baseline itself: dropped
  };
  // "audited": the first model right on every other all-wrong item
  let k = 0;
  const allWrong = matrix.items.map((_, i) => matrix.correct.every((row) => row[i] === 0));
  const audited = { ...matrix, correct: matrix.correct.map((row, m) => row.map((c, i) => (m === 0 && allWrong[i] && k++ % 2 === 0 ? 1 : c))) as (0 | 1)[][] };
  const verdicts = { "verdicts=audited": await summary({}, audited) };
  const r = await runStage(robustnessStage, {
    params: { pool: "sim", label: "Simulated", baseline: { zero: "0.5", repair: "higham", verdicts: "raw" } },
    inputs: { baseline, variants: [conv, verdicts] },
  });
  const points = r.outputs.points as RobustnessPoints;
  assert.deepEqual(points.rows.map((x) => x.key), ["baseline", "zero-0", "zero-0p1", "repair-clip", "verdicts-audited"]);
  assert.deepEqual(points.rows.map((x) => x.label), [
    "paper's conventions (zero-cell correction 0.5, repair nearest correlation (Higham), verdicts raw)",
    "zero-cell correction: none", "zero-cell correction: 0.1", "repair: eigenvalue clipping", "verdicts: audited",
  ]);
  const sf = points.rows.map((x) => x.values["ratio.sf"]!);
  assert.equal(sf[1], conv["zero=0,repair=higham"].full.ratioSf);
  assert.notEqual(sf[1], sf[0]);
  // the audited verdicts are headlines of their own: shown, but not in the ranges
  assert.deepEqual(points.rows.map((x) => x.separate), [false, false, false, false, true]);
  const inRange = sf.slice(0, 4);
  assert.equal(points.ranges["ratio.sf"]!.min, Math.min(...inRange));
  assert.equal(points.ranges["ratio.sf"]!.max, Math.max(...inRange));
  assert.equal(points.ranges["ratio.sf"]!.n, 4);
  assert.ok(points.rows[4]!.values.beta! < points.rows[0]!.values.beta!, "the audit removes all-wrong items");
  // registry: range ends and the value under each convention, k in the id
  const pub = r.published;
  assert.equal(pub.get("sim.ratio.sf.range.min")!.value, Math.min(...inRange));
  // the conventions themselves, for the prose
  assert.equal(pub.get("sim.conv.zero")!.value, 0.5);
  assert.equal(pub.get("sim.conv.zero-0p1")!.value, 0.1);
  assert.equal(pub.get("sim.conv.zero-0p1")!.format, "fixed:1");
  assert.equal(pub.get("sim.conv.zero-0")!.format, "int");
  assert.ok(!pub.has("sim.conv.repair-clip"));
  assert.equal(pub.get("sim.ratio.sf.at.zero-0p1")!.value, sf[2]);
  assert.equal(pub.get("sim.ratio.full.k3.at.repair-clip")!.value, points.rows[3]!.values["ratio.full.kK"]);
  assert.equal(pub.get("sim.beta.at.verdicts-audited")!.value, points.rows[4]!.values.beta);
  assert.match(pub.get("sim.ratio.sf.range.max")!.description!, /over 4 sets of conventions/);
  // the table: one row per set, and the range row
  const table = r.outputs.table as Table;
  assert.equal(table.rows.length, 6);
  assert.equal(table.rows[2]!["ratio.sf"], sf[2]);
  assert.match(String(table.rows[5]!["ratio.sf"]), /^\d+\.\d\d–\d+\.\d\d$/);
  assert.match(r.outputs.svg as string, /^<svg/);
  // a variant that names a variable without a baseline is an error, not a silent row
  await assert.rejects(runStage(robustnessStage, {
    params: { pool: "sim", label: "Simulated", baseline: { zero: "0.5" } },
    inputs: { baseline, variants: [verdicts] },
  }), /sweep variable "verdicts" .* has no baseline label/);
});

test("robustness-summary: intervals side by side and ranges, for every pool", async () => {
  const baseline = await summary({ B_sf: 60, B_full: 6, jackknife: true, B_models: 20 });
  const r = await runStage(robustnessStage, {
    params: { pool: "sim", label: "Simulated", baseline: { zero: "0.5" } },
    inputs: { baseline, variants: [{ "zero=0": await summary({ zero_cell: 0 }) }] },
  });
  const points = r.outputs.points as RobustnessPoints;
  const iv = points.intervals.find((x) => x.headline === "ratio.full")!;
  assert.deepEqual(iv.item, { lower: baseline.full.bootstrap!.full!.ratioFull.lower, upper: baseline.full.bootstrap!.full!.ratioFull.upper });
  assert.deepEqual(iv.jackknife, { lower: baseline.full.modelClustered!.ratioFull.jackknife!.lower, upper: baseline.full.modelClustered!.ratioFull.jackknife!.upper });
  assert.equal(iv.modelReplicates, 20);
  const intervals = intervalsTable([points]);
  assert.equal(intervals.rows.length, 4);
  assert.match(String(intervals.rows[1]!.jackknife), /^\d+\.\d\d–\d+\.\d\d$/);
  const ranges = rangesTable([points]);
  assert.match(String(ranges.rows[0]!["ratio.sf"]), /^\d+\.\d\d \(\d+\.\d\d–\d+\.\d\d\)$/);
  const s = await runStage(summaryStage, { params: {}, inputs: { points: [points] } });
  assert.deepEqual(Object.keys(s.outputs).sort(), ["png", "spec", "svg", "table", "table-ranges"]);
});
