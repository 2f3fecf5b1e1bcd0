// The model-clustered intervals and the robustness conventions against closed forms and R
// (test/reference/stats-sweeps.R -> stats-sweeps.json): Student t quantiles, the jackknife interval (the mean's is
// Student's t interval; a ratio of means on the log scale by the textbook formulas), psych::cor.smooth, and
// psych::tetrachoric with zero-cell corrections other than 0.5; and the copula's model-set statistic.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { studentTQuantile, jackknifeInterval } from "../../stats/jackknife.js";
import { eigenClip } from "../../stats/eigen-clip.js";
import { tetrachoricMatrix } from "../../stats/tetrachoric.js";
import { packErrors } from "../../stats/verdict-bits.js";
import { fitCopula } from "../../stats/copula.js";
import { copulaModelSet, copulaModelSetsBlock, modelClusteredCopula, modelResample } from "../../stats/copula-models.js";
import { simulatePool } from "../support/simulate.js";

const simulateOneFactor = (o: { models: number; items: number; seed: number }): number[][] => simulatePool({
  errorRates: Array.from({ length: o.models }, (_, m) => 0.15 + (0.4 * m) / o.models),
  loadings: Array.from({ length: o.models }, (_, m) => 0.45 + (0.3 * m) / o.models),
  items: o.items, seed: o.seed,
}).correct;

const ref = JSON.parse(readFileSync(new URL("../reference/stats-sweeps.json", import.meta.url), "utf8"));
const close = (a: number, b: number, rel: number, what: string) =>
  assert.ok(Math.abs(a - b) <= rel * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

test("studentTQuantile equals R's qt", () => {
  ref.qt.p.forEach((p: number, i: number) => close(studentTQuantile(p, ref.qt.df[i]), ref.qt.q[i], 1e-10, `qt(${p}, ${ref.qt.df[i]})`));
  // closed forms: t_1 is Cauchy, t_2 has q = (2p - 1) / sqrt(2 p (1 - p))
  close(studentTQuantile(0.9, 1), Math.tan(Math.PI * 0.4), 1e-12, "Cauchy");
  close(studentTQuantile(0.95, 2), 0.9 / Math.sqrt(2 * 0.95 * 0.05), 1e-12, "t_2");
});

test("the jackknife of the mean is s / sqrt(n), and its interval Student's t interval (closed form; R t.test)", () => {
  const { x, level, se, interval } = ref.jackknife.mean as { x: number[]; level: number; se: number; interval: number[] };
  const n = x.length;
  const mean = x.reduce((a, b) => a + b, 0) / n;
  const loo = x.map((xi) => (n * mean - xi) / (n - 1));
  const jk = jackknifeInterval(mean, loo, { level })!;
  close(jk.se, se, 1e-12, "se");
  close(jk.lower, interval[0]!, 1e-12, "lower");
  close(jk.upper, interval[1]!, 1e-12, "upper");
  close(jk.bias, 0, 1e-12, "bias of the mean");
  assert.equal(jk.n, n);
});

test("the jackknife of a ratio of means on the log scale matches the textbook formulas in R", () => {
  const r = ref.jackknife.ratio as { x: number[]; y: number[]; level: number; estimate: number; leaveOneOut: number[]; seLog: number; bias: number; interval: number[] };
  const n = r.x.length;
  const sx = r.x.reduce((a, b) => a + b, 0), sy = r.y.reduce((a, b) => a + b, 0);
  const loo = r.x.map((xi, i) => (sx - xi) / (sy - r.y[i]!));
  loo.forEach((v, i) => close(v, r.leaveOneOut[i]!, 1e-12, `loo ${i}`));
  const jk = jackknifeInterval(sx / sy, loo, { level: r.level, scale: "log" })!;
  close(jk.se, r.seLog, 1e-12, "se (log)");
  close(jk.bias, r.bias, 1e-10, "bias");
  close(jk.lower, r.interval[0]!, 1e-12, "lower");
  close(jk.upper, r.interval[1]!, 1e-12, "upper");
  assert.ok(jk.lower < sx / sy && sx / sy < jk.upper);
  assert.equal(n, jk.n);
});

test("jackknifeInterval is undefined (null) with < 2 units, a non-finite value, or a non-positive value on the log scale", () => {
  assert.equal(jackknifeInterval(1, [1]), null);
  assert.equal(jackknifeInterval(1, [1, NaN, 2]), null);
  assert.equal(jackknifeInterval(1, [1, 0, 2], { scale: "log" }), null);
  assert.notEqual(jackknifeInterval(1, [1, 0, 2]), null);
});

test("eigenClip equals psych::cor.smooth: clipped when not positive definite, unchanged when it is", () => {
  for (const c of ref.corSmooth as { label: string; n: number; input: number[][]; smoothed: number[][]; minEigenBefore: number; minEigenAfter: number }[]) {
    const out = eigenClip(c.input.flat(), c.n);
    c.smoothed.flat().forEach((v, i) => close(out.matrix[i]!, v, 1e-10, `${c.label}[${i}]`));
    close(out.minEigenBefore, c.minEigenBefore, 1e-10, `${c.label} min eigenvalue before`);
    assert.equal(out.clipped, c.minEigenBefore < 2.220446049250313e-16, c.label);
    if (!out.clipped) assert.deepEqual(Array.from(out.matrix), c.input.flat());
  }
});

test("tetrachorics with zero-cell corrections 0.1 and 0.01 match psych::tetrachoric(correct =) and the exact likelihood", () => {
  const correct = (ref.tetrachoric.correct as string[]).map((s) => Array.from(s, Number));
  const bits = packErrors(correct);
  for (const c of ref.tetrachoric.cases as { correction: number; psych: number[][]; exact: number[][]; correctedPairs: number }[]) {
    const t = tetrachoricMatrix(bits, { correction: c.correction });
    assert.equal(t.correctedPairs, c.correctedPairs);
    const M = correct.length;
    for (let a = 0; a < M; a++) for (let b = 0; b < M; b++) {
      close(t.matrix[a * M + b]!, c.exact[a]![b]!, 1e-9, `exact r[${a},${b}] at ${c.correction}`);
      close(t.matrix[a * M + b]!, c.psych[a]![b]!, 2e-4, `psych r[${a},${b}] at ${c.correction}`);
    }
  }
});

test("the copula's zero-cell correction and repair options reach the fit; clip leaves a positive definite matrix alone", () => {
  const correct = (ref.tetrachoric.correct as string[]).map((s) => Array.from(s, Number));
  const bits = packErrors(correct);
  const a = fitCopula(bits, { full: null, correction: 0.5 });
  const b = fitCopula(bits, { full: null, correction: 0.01 });
  assert.notEqual(a.beta1f, b.beta1f);
  assert.equal(a.beta, b.beta);
  // a well-conditioned pool: the tetrachoric matrix is PD, so clipping changes nothing
  const sim = simulateOneFactor({ models: 6, items: 3000, seed: 5 });
  const h = fitCopula(packErrors(sim), { full: null, repair: "higham" });
  const c = fitCopula(packErrors(sim), { full: null, repair: "clip" });
  assert.ok(h.mineigBefore > 0);
  const M = sim.length;
  for (let i = 0; i < M * M; i++) if (Number.isFinite(c.tetrachoric[i]!)) assert.equal(c.repaired[i], c.tetrachoric[i]);
  close(c.beta1f, h.beta1f, 1e-6, "same single-factor beta when nothing needs repair");
});

test("model sets: the statistic is fitCopula on the set's rows; the jackknife interval is jackknifeInterval of the leave-one-out fits", async () => {
  const sim = simulateOneFactor({ models: 7, items: 600, seed: 11 });
  const point = fitCopula(packErrors(sim), { full: null });
  const data = { correct: sim, correction: 0.5, repair: "higham" as const, warmStart: Array.from(point.tetrachoric), orthant: null };
  const set = [0, 2, 3, 6];
  const direct = fitCopula(packErrors(set.map((m) => sim[m]!)), { full: null });
  const viaSet = copulaModelSet(set, data);
  close(viaSet[2]!, direct.ratioSf, 1e-9, "ratio of the set");
  // 3 of the 7 as "best k": leaving out a model outside them changes nothing
  const k = 3;
  const pointK = fitCopula(packErrors(sim.slice(0, k)), { full: null });
  const res = await modelClusteredCopula({
    correct: sim, k, seed: 3, B: 40, level: 0.9, correction: 0.5, repair: "higham", warmStart: Array.from(point.tetrachoric),
    orthant: null, estimates: { full: [point.ratioSf, NaN], subset: [pointK.ratioSf, NaN] },
    parallel: { threads: 2, map: async <A, R>(_fn: unknown, args: A[]) => args.map((a) => copulaModelSetsBlock(a as never) as R) },
  });
  const loo = sim.map((_, m) => fitCopula(packErrors(sim.filter((__, j) => j !== m)), { full: null }).ratioSf);
  const expected = jackknifeInterval(point.ratioSf, loo, { level: 0.9, scale: "log" })!;
  close(res.full.jackknife.ratioSf!.lower, expected.lower, 1e-8, "jackknife lower");
  close(res.full.jackknife.ratioSf!.upper, expected.upper, 1e-8, "jackknife upper");
  const looK = sim.map((_, m) => fitCopula(packErrors(sim.filter((__, j) => j !== m).slice(0, k)), { full: null }).ratioSf);
  for (let m = k; m < sim.length; m++) close(looK[m]!, pointK.ratioSf, 1e-9, "outside the best k");
  const expectedK = jackknifeInterval(pointK.ratioSf, looK, { level: 0.9, scale: "log" })!;
  close(res.subset.jackknife.ratioSf!.se, expectedK.se, 1e-8, "best-k jackknife se");
  assert.equal(res.full.jackknife.ratioFull, null, "no full copula asked");
  // the model bootstrap: distinct models drawn, reproducible from the seed
  assert.deepEqual(modelResample(3, 5, 7), modelResample(3, 5, 7));
  assert.ok(res.full.bootstrap!.meanModels > 3 && res.full.bootstrap!.meanModels < 7);
  assert.equal(res.full.bootstrap!.replicates, 40);
});
