// The analyses' numerics against base R (test/reference/analyses.R -> analyses.json): OLS against lm(), the L2
// logistic regressions against optim(BFGS) on the same penalised objectives, and the 3-model majority vote with its
// leave-one-model-out jackknife against a from-scratch R implementation; the jackknife of a mean against its
// closed form s / sqrt(n).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { allTriplets, jackknifeSe, modelJackknife, ols, voteOfThree, type Triplet } from "../../stats/triplet-vote.js";
import { fitLogistic, fitSoftmax, predictLogistic, sparseFromDense, selectRows } from "../../stats/logistic.js";

const ref = JSON.parse(readFileSync(fileURLToPath(new URL("../reference/analyses.json", import.meta.url)), "utf8"));
const close = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs R ${b}`);

test("ols: coefficients, i.i.d. standard errors and R^2 equal R's lm()", () => {
  const { y, x1, x2, coef, se, r2 } = ref.ols;
  const fit = ols(y, [x1, x2]);
  coef.forEach((c: number, j: number) => close(fit.coef[j]!, c, 1e-10, `coef ${j}`));
  se.forEach((s: number, j: number) => close(fit.se[j]!, s, 1e-10, `se ${j}`));
  close(fit.r2, r2, 1e-10, "r2");
});

test("jackknife of the mean is s / sqrt(n) (closed form)", () => {
  const x = [3.1, -0.4, 2.2, 5.9, 1.0, 0.3, 4.4];
  const n = x.length, mean = x.reduce((a, b) => a + b, 0) / n;
  const s = Math.sqrt(x.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
  const loo = x.map((_, i) => (mean * n - x[i]!) / (n - 1));
  close(jackknifeSe(loo), s / Math.sqrt(n), 1e-12, "jackknife SE");
  assert.throws(() => jackknifeSe([1]), /at least 2/);
});

test("binary L2 logistic regression equals R's optim on the same objective", () => {
  const { X, y, lambda, weights, intercept } = ref.binary;
  const fit = fitLogistic(sparseFromDense(X), y, lambda, { maxIterations: 1000, gradientTolerance: 1e-10 });
  assert.ok(fit.converged);
  weights.forEach((w: number, j: number) => close(fit.weights[j]!, w, 1e-6, `w${j}`));
  close(fit.intercept, intercept, 1e-6, "intercept");
  // Row selection keeps the rows' values.
  const p = predictLogistic(fit, selectRows(sparseFromDense(X), [3, 0]));
  const z = (i: number) => fit.intercept + X[i].reduce((s: number, v: number, j: number) => s + v * fit.weights[j]!, 0);
  close(p[0]!, 1 / (1 + Math.exp(-z(3))), 1e-12, "prediction row 3");
  close(p[1]!, 1 / (1 + Math.exp(-z(0))), 1e-12, "prediction row 0");
});

test("multinomial L2 logistic regression equals R's optim on the same objective", () => {
  const { X, y, classes, lambda, weights, intercepts } = ref.softmax;
  const fit = fitSoftmax(sparseFromDense(X), y, classes, lambda, { maxIterations: 2000, gradientTolerance: 1e-10 });
  assert.ok(fit.converged);
  const p = X[0].length;
  // Softmax is invariant to adding a constant to every class's intercept only without a penalty on it: the
  // intercepts are identified up to a shift, the weights exactly (penalised). Compare weights and intercept gaps.
  for (let c = 0; c < classes; c++) for (let j = 0; j < p; j++) close(fit.weights[c * p + j]!, weights[c][j], 1e-5, `W[${c},${j}]`);
  for (let c = 1; c < classes; c++) close(fit.intercepts[c]! - fit.intercepts[0]!, intercepts[c] - intercepts[0], 1e-5, `b${c} - b0`);
});

test("3-model majority vote and its leave-one-model-out jackknife equal an independent R implementation", () => {
  const { answers, correct, triplets, vote, gain, rho, headroom, value, se } = ref.vote;
  const ts = allTriplets(answers, correct);
  assert.equal(ts.length, triplets.length);
  ts.forEach((t, k) => {
    assert.deepEqual(t.members, triplets[k]);
    close(t.vote, vote[k], 1e-12, `vote ${k}`);
    close(t.gain, gain[k], 1e-12, `gain ${k}`);
    close(t.rho, rho[k], 1e-12, `rho ${k}`);
    close(t.headroom, headroom[k], 1e-12, `headroom ${k}`);
  });
  const stat = (xs: readonly Triplet[]) => {
    const f = ols(xs.map((t) => t.gain), [xs.map((t) => t.rho), xs.map((t) => t.headroom)]);
    return [xs.reduce((s, t) => s + t.gain, 0) / xs.length, xs.filter((t) => t.gain < -1e-12).length / xs.length, f.coef[1]!, f.coef[2]!];
  };
  const jk = modelJackknife(ts, correct.length, stat);
  value.forEach((v: number, j: number) => close(jk.value[j]!, v, 1e-10, `value ${j}`));
  se.forEach((s: number, j: number) => close(jk.se[j]!, s, 1e-10, `jackknife SE ${j}`));
  close(jk.lower[0]!, value[0] - 1.959963984540054 * se[0], 1e-10, "normal interval");
});

test("voteOfThree: two agreeing answers win, right answers agree whatever their strings, else the best member", () => {
  assert.equal(voteOfThree(["7", "7", "1/2"], [0, 0, 1]), 0);
  assert.equal(voteOfThree(["1/2", "0.5", "7"], [1, 1, 0]), 1);
  assert.equal(voteOfThree(["3", "1/2", "0.5"], [0, 1, 1]), 1);
  assert.equal(voteOfThree(["3", "4", "0.5"], [0, 0, 1]), 0);
  assert.equal(voteOfThree([null, "4", "0.5"], [0, 0, 1]), 0);
  assert.equal(voteOfThree([null, null, "0.5"], [0, 0, 1]), 1);
  assert.equal(voteOfThree([null, null, null], [0, 0, 0]), 0);
});
