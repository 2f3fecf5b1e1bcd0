import { test } from "node:test";
import assert from "node:assert/strict";
import copulaStage from "../../stages/copula.js";
import type { CopulaSummary } from "../../core/copula-summary.js";
import { singleFactorAllWrong } from "../../stats/single-factor-beta.js";
import { normalQuantile } from "../../stats/normal.js";
import { fakeContext } from "../support/stage-context.js";
import { simulatePool } from "../support/simulate.js";
import { fitCopula } from "../../stats/copula.js";
import { jackknifeInterval } from "../../stats/jackknife.js";
import { packErrors } from "../../stats/verdict-bits.js";

const errorRates = [0.2, 0.25, 0.3, 0.3, 0.35, 0.4, 0.4, 0.45];
const loadings = [0.5, 0.55, 0.6, 0.65, 0.5, 0.6, 0.7, 0.55];
const params = (p: Record<string, unknown> = {}) => copulaStage.params.parse({ B_sf: 200, B_full: 20, k: 4, workers: 2, jackknife: false, B_models: 0, ...p });

async function runCopula(matrix: ReturnType<typeof simulatePool>, p = params()) {
  const { ctx, published, warnings } = fakeContext({ params: p, inputs: { matrix }, seed: 99 });
  const out = (await copulaStage.run(ctx)) as { summary: CopulaSummary; "table-loadings": { rows: unknown[] } };
  return { ...out, published, warnings };
}

test("copula: a single-factor Gaussian population is priced right (ratio ~ 1 within MC error)", async () => {
  const matrix = simulatePool({ errorRates, loadings, items: 20000, seed: 1 });
  const truth = singleFactorAllWrong(errorRates.map((e) => normalQuantile(e)), loadings);
  const { summary, published, warnings } = await runCopula(matrix);
  const fit = summary.full;
  // Observed beta is a binomial estimate of the true all-wrong rate.
  const se = Math.sqrt((truth * (1 - truth)) / 20000);
  assert.ok(Math.abs(fit.beta - truth) < 4 * se, `observed ${fit.beta} vs truth ${truth}`);
  // Both copulas recover beta: their estimates are within 10% of the truth and agree with each other.
  assert.ok(Math.abs(fit.beta1f / truth - 1) < 0.1, `beta_1f ${fit.beta1f} vs ${truth}`);
  assert.ok(Math.abs(fit.betaFull.value / truth - 1) < 0.1, `beta_full ${fit.betaFull.value} vs ${truth}`);
  assert.ok(fit.betaFull.error < 1e-4);
  // Ratio ~ 1: the bootstrap interval covers 1.
  const b = fit.bootstrap!;
  assert.ok(b.ratioSf.lower! < 1 && b.ratioSf.upper! > 1, `ratio.sf CI ${b.ratioSf.lower}-${b.ratioSf.upper}`);
  assert.ok(b.full!.ratioFull.lower! < 1 && b.full!.ratioFull.upper! > 1, `ratio.full CI ${b.full!.ratioFull.lower}-${b.full!.ratioFull.upper}`);
  assert.equal(b.replicates, 200);
  assert.equal(b.full!.replicates, 20);
  // Loadings recovered (models are reordered by accuracy: map back by name).
  fit.models.forEach((name, m) => {
    const truthLoading = loadings[Number(name.slice(4))];
    assert.ok(Math.abs(fit.loadings[m]! - truthLoading) < 0.06, `${name}: loading ${fit.loadings[m]} vs ${truthLoading}`);
  });
  assert.ok(fit.mineigBefore > 0); // a true correlation matrix needs no repair
  // Published ids, the k suffix, formats and intervals.
  for (const id of ["sim.beta.sf", "sim.beta.full", "sim.ratio.sf", "sim.ratio.full", "sim.beta.sf.k4", "sim.ratio.full.k4", "sim.mineig.before", "sim.mineig.after"]) {
    assert.ok(published.has(id), id);
  }
  assert.equal(published.get("sim.k")!.value, 4);
  assert.equal(published.get("sim.ratio.sf")!.ci!.level, 0.9);
  assert.ok(published.get("sim.beta.full")!.mcError! > 0);
  assert.equal(summary.subset.models.length, 4);
  assert.deepEqual(summary.subset.models, matrix.models.slice(0, 4));
  assert.ok(warnings.some((w) => /B_sf = 200 < 1000/.test(w)));
});

test("copula: a heavy-tailed population is underpriced (observed > copula beta)", async () => {
  const matrix = simulatePool({ errorRates, loadings, items: 20000, seed: 2, hardShare: 0.04, hardError: 1 });
  const { summary } = await runCopula(matrix, params({ B_full: 10 }));
  const fit = summary.full;
  assert.ok(fit.ratioSf! > 1.2, `ratio.sf ${fit.ratioSf}`);
  assert.ok(fit.ratioFull! > 1.2, `ratio.full ${fit.ratioFull}`);
  assert.ok(fit.bootstrap!.ratioSf.lower! > 1, "the 90% interval excludes 1");
  assert.ok(fit.bootstrap!.full!.ratioFull.lower! > 1);
});

test("copula: same seed -> identical summary; thread count does not matter", async () => {
  const matrix = simulatePool({ errorRates: errorRates.slice(0, 5), loadings: loadings.slice(0, 5), items: 3000, seed: 3 });
  const a = await runCopula(matrix, params({ B_sf: 60, B_full: 6, workers: 1 }));
  const b = await runCopula(matrix, params({ B_sf: 60, B_full: 6, workers: 2 }));
  assert.deepEqual(a.summary, b.summary);
});

test("copula: fewer models than k uses all and says so; degenerate models", async () => {
  const matrix = simulatePool({ errorRates: errorRates.slice(0, 3), loadings: loadings.slice(0, 3), items: 2000, seed: 4 });
  const { summary, published, warnings } = await runCopula(matrix, params({ k: 17, B_sf: 20, B_full: 0 }));
  assert.equal(summary.k, 3);
  assert.equal(published.get("sim.k")!.value, 3);
  assert.ok(published.has("sim.ratio.sf.k17"));
  assert.ok(warnings.some((w) => /3 < k = 17/.test(w)));
  assert.equal(summary.full.bootstrap!.full, null);
  // An always-wrong model drops out of the all-wrong event and of the copula; beta is unchanged.
  const withDud = { ...matrix, models: [...matrix.models, "dud"], providers: [...matrix.providers, "x"], correct: [...matrix.correct, matrix.correct[0].map(() => 0 as const)] };
  const dud = await runCopula(withDud, params({ k: 17, B_sf: 20, B_full: 0 }));
  assert.equal(dud.summary.full.beta, summary.full.beta);
  assert.equal(dud.summary.full.loadings[3], null);
  assert.ok(Math.abs(dud.summary.full.beta1f - summary.full.beta1f) < 1e-12);
});

test("copula: point estimates only (B_sf = 0), the zero-cell correction and repair as params, and model-clustered intervals", async () => {
  const matrix = simulatePool({ errorRates, loadings, items: 1500, seed: 5 });
  // an empty cell: model 7 is wrong only where model 0 is wrong too (on every other such item)
  let n = 0;
  matrix.correct[7] = matrix.correct[0].map((c) => (c === 0 && n++ % 2 === 0 ? 0 : 1));
  const point = await runCopula(matrix, params({ B_sf: 0, B_full: 0 }));
  assert.equal(point.summary.full.bootstrap, null);
  assert.equal(point.published.get("sim.ratio.sf")!.ci, undefined);
  assert.deepEqual(point.summary.conventions, { zeroCell: 0.5, repair: "higham" });
  assert.ok(point.summary.full.correctedPairs >= 1);
  const small = await runCopula(matrix, params({ B_sf: 0, B_full: 0, zero_cell: 0.01, repair: "clip" }));
  assert.notEqual(small.summary.full.ratioSf, point.summary.full.ratioSf);
  assert.equal(small.summary.full.beta, point.summary.full.beta);
  assert.match(small.summary.notes[0]!, /replaced by 0.01 .*eigenvalue clipping/);
  const direct = fitCopula(packErrors(matrix.correct), { full: null, correction: 0.01, repair: "clip" });
  assert.ok(Math.abs(small.summary.full.ratioSf! - direct.ratioSf) < 1e-12);

  const mc = await runCopula(matrix, params({ B_sf: 0, B_full: 4, jackknife: true, B_models: 30 }));
  const M = matrix.models.length;
  const jk = mc.published.get("sim.ratio.sf.jackknife")!;
  assert.equal(jk.value, mc.summary.full.ratioSf);
  assert.match(jk.ci!.method!, /leave-one-model-out jackknife over the 8 models/);
  const loo = matrix.correct.map((_, m) => fitCopula(packErrors(matrix.correct.filter((__, j) => j !== m)), { full: null }).ratioSf);
  const expected = jackknifeInterval(mc.summary.full.ratioSf!, loo, { level: 0.9, scale: "log" })!;
  assert.ok(Math.abs(jk.ci!.lower - expected.lower) < 1e-9 && Math.abs(jk.ci!.upper - expected.upper) < 1e-9);
  assert.equal(mc.summary.full.modelClustered!.ratioSf.jackknife!.units, M);
  for (const id of ["sim.ratio.full.jackknife", "sim.ratio.sf.modelboot", "sim.ratio.full.modelboot", "sim.ratio.sf.k4.jackknife", "sim.ratio.full.k4.modelboot"]) {
    assert.ok(mc.published.has(id), id);
  }
  assert.equal(mc.summary.full.modelClustered!.ratioFull.bootstrap!.replicates, 30);
  // same seed, other thread count: identical
  const again = await runCopula(matrix, params({ B_sf: 0, B_full: 4, jackknife: true, B_models: 30, workers: 1 }));
  assert.deepEqual(again.summary, mc.summary);
});
