import { test } from "node:test";
import assert from "node:assert/strict";
import betaKStage, { betaKCurve } from "../../stages/beta-k.js";
import figBetaK from "../../stages/fig-beta-k.js";
import figBetaKAll from "../../stages/fig-beta-k-all.js";
import poolStage from "../../stages/pool.js";
import { buildPoolMatrix } from "../../core/build-pool.js";
import { singleFactorAllWrong } from "../../stats/single-factor-beta.js";
import { fakeContext } from "../support/stage-context.js";
import { tableFrom } from "../support/tables.js";
import { simulatePool } from "../support/simulate.js";

const items = Array.from({ length: 10 }, (_, i) => `q${i}`);
const matrix = buildPoolMatrix([tableFrom("t", items, {
  A: { provider: "p", verdicts: "1111111000" },
  B: { provider: "p", verdicts: "1111100110" },
  C: { provider: "p", verdicts: "0000011100" },
})], poolStage.params.parse({ name: "fx" }));

test("beta-k: hand-computed best-k curve, random subsets at k = M, flatten and plateau", async () => {
  const { ctx, published } = fakeContext({ params: betaKStage.params.parse({ subsets: 50, sf_subsets: 5 }), inputs: { matrix } });
  const { curve } = (await betaKStage.run(ctx)) as { curve: ReturnType<typeof betaKCurve> };
  assert.deepEqual(curve.points.map((p) => p.best), [0.3, 0.1, 0.1]);
  // k = M: every "random" subset is the whole pool
  const last = curve.points[2];
  assert.ok(Math.abs(last.randomMean - 0.1) < 1e-12);
  assert.equal(last.randomLow, 0.1);
  assert.equal(last.randomHigh, 0.1);
  // k = 1: random singletons average the error rates (0.3, 0.3, 0.7) -> within [0.3, 0.7]
  assert.ok(curve.points[0].randomMean >= 0.3 && curve.points[0].randomMean <= 0.7);
  // k = 1: both copulas reproduce the marginal exactly
  assert.ok(Math.abs(curve.points[0].sfBest! - 0.3) < 1e-9);
  assert.ok(Math.abs(curve.points[0].fullBest! - 0.3) < 1e-9);
  assert.equal(published.get("fx.betak.flatten")!.value, 1); // beta(3) / beta(min(5, 3))
  assert.equal(published.get("fx.betak.plateau")!.value, 2);
});

test("beta-k: the single-factor curve is the full-pool law marginalised; deterministic under a seed", () => {
  const sim = simulatePool({ errorRates: [0.2, 0.3, 0.3, 0.4, 0.4, 0.45], loadings: [0.5, 0.6, 0.6, 0.5, 0.7, 0.6], items: 4000, seed: 5 });
  const p = betaKStage.params.parse({ subsets: 40, sf_subsets: 4, full_grid: [2, 6] });
  const a = betaKCurve(sim, p, 7);
  const b = betaKCurve(sim, p, 7);
  assert.deepEqual(a, b);
  assert.notDeepEqual(betaKCurve(sim, p, 8).points.map((x) => x.randomMean), a.points.map((x) => x.randomMean));
  assert.equal(a.points[1].fullBest !== null && a.points[5].fullBest !== null && a.points[2].fullBest === null, true);
  // observed best-k is non-increasing; on a Gaussian population the full and single-factor copulas agree at k = M
  for (let k = 1; k < a.points.length; k++) assert.ok(a.points[k].best <= a.points[k - 1].best);
  const last = a.points[5];
  assert.ok(Math.abs(last.fullBest! / last.sfBest! - 1) < 0.1, `${last.fullBest} vs ${last.sfBest}`);
  assert.ok(Math.abs(last.sfBest! / last.best - 1) < 0.35, `copula ${last.sfBest} vs observed ${last.best}`);
  assert.ok(singleFactorAllWrong([0], [0]) === 0.5);
});

test("beta-k figures: one pool and small multiples render to SVG and PNG", async () => {
  const sim = simulatePool({ errorRates: [0.2, 0.3, 0.4], loadings: [0.5, 0.6, 0.5], items: 1000, seed: 6 });
  const curve = betaKCurve(sim, betaKStage.params.parse({ subsets: 20, sf_subsets: 2 }), 1);
  const { ctx } = fakeContext({ params: figBetaK.params.parse({}), inputs: { curve } });
  const one = (await figBetaK.run(ctx)) as { svg: string; png: Uint8Array };
  assert.match(one.svg, /^<svg/);
  assert.match(one.svg, /k \(models in the pool\)/);
  assert.match(one.svg, /single-factor copula, best k/);
  assert.deepEqual([...one.png.slice(1, 4)], [0x50, 0x4e, 0x47]);
  const other = { ...curve, pool: "other" };
  const { ctx: allCtx } = fakeContext({ params: figBetaKAll.params.parse({ order: ["other"] }), inputs: { curves: { a: curve, b: other } } });
  const all = (await figBetaKAll.run(allCtx)) as { svg: string; png: Uint8Array; spec: { facet: { sort: string[] } } };
  assert.deepEqual(all.spec.facet.sort, ["other", "sim"]);
  assert.match(all.svg, /other/);
});

test("beta-k: an always-wrong model drops out of the copula predictions", () => {
  const sim = simulatePool({ errorRates: [0.2, 0.3, 0.4], loadings: [0.5, 0.6, 0.5], items: 1000, seed: 9 });
  const withDud = { ...sim, models: [...sim.models, "dud"], providers: [...sim.providers, "x"], correct: [...sim.correct, sim.correct[0].map(() => 0 as const)] };
  const p = betaKStage.params.parse({ subsets: 10, sf_subsets: 2, full_grid: [3, 4] });
  const a = betaKCurve(sim, p, 1), b = betaKCurve(withDud, p, 1);
  assert.ok(Math.abs(b.points[3].sfBest! - a.points[2].sfBest!) < 1e-12);
  assert.ok(Math.abs(b.points[3].fullBest! - a.points[2].fullBest!) < 5 * a.points[2].fullBestError! + 1e-9);
  assert.equal(b.points[3].best, a.points[2].best);
});
