// The router-gain certificate: the published check (the original study's math certificate), the three forms
// agreeing, edges and input checks, and the overhead verdict. Coverage by simulation: router-certificate-coverage.test.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { clopperPearson } from "../../stats/clopper-pearson.js";
import { certifiedMaxGain, certifiedMaxGainFromCounts, overheadVerdict, preSpecifiedMaxGain } from "../../stats/router-certificate.js";

const close = (a: number, b: number, tol = 1e-15) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

test("published check: K = 0, n = 330, M = 67, best 326/330, delta = 0.05 -> certified max gain 0.048", () => {
  const c = certifiedMaxGainFromCounts({ allWrong: 0, n: 330, bestCorrect: 326, nModels: 67, delta: 0.05 });
  assert.equal(c.method, "bonferroni-in-sample");
  assert.equal(c.betaLo, 0);
  assert.equal(c.accuracyAlpha, 0.05 / 134);
  assert.equal(c.maxGain.toFixed(3), "0.048"); // the original study's \nMathCert
  assert.deepEqual([c.delta, c.nModels, c.allWrong, c.n, c.model.correct], [0.05, 67, 0, 330, 326]);
  // Per-model form on counts whose maximum is 326: the same numbers, and it names the model.
  const correct = Array.from({ length: 67 }, (_, i) => (i === 40 ? 326 : 200 + i));
  const names = correct.map((_, i) => `m${i}`);
  const p = certifiedMaxGain({ allWrong: 0, n: 330, correct, models: names, delta: 0.05 });
  assert.equal(p.maxGain, c.maxGain);
  assert.equal(p.bestLo, c.bestLo);
  assert.equal(p.betaLo, c.betaLo);
  assert.deepEqual(p.model, { correct: 326, index: 40, name: "m40" });
  // The pre-specified variant spends delta/2 on one model: a higher lower limit, a smaller bound.
  const f = preSpecifiedMaxGain({ allWrong: 0, n: 330, correct: 326, nModels: 67, name: "m40", delta: 0.05 });
  assert.equal(f.method, "pre-specified");
  assert.equal(f.accuracyAlpha, 0.025);
  close(f.bestLo, clopperPearson(326, 330, { level: 0.975, side: "lower" }).lower);
  assert.ok(f.maxGain < c.maxGain);
});

test("certificate: formula, beta half of delta, monotone in M, never below the point headroom", () => {
  const K = 52, n = 1000;
  const c = certifiedMaxGainFromCounts({ allWrong: K, n, bestCorrect: 810, nModels: 5, delta: 0.1 });
  close(c.betaLo, clopperPearson(K, n, { level: 0.95, side: "lower" }).lower);
  close(c.bestLo, clopperPearson(810, n, { level: 0.99, side: "lower" }).lower);
  close(c.maxGain, 1 - c.betaLo - c.bestLo);
  assert.ok(c.maxGain > 1 - K / n - 0.81, "above the point-estimate headroom");
  const more = certifiedMaxGainFromCounts({ allWrong: K, n, bestCorrect: 810, nModels: 50, delta: 0.1 });
  assert.ok(more.maxGain > c.maxGain, "more models to choose from: a wider bound");
  // Ties in the per-model form: the first model with the largest count.
  assert.equal(certifiedMaxGain({ allWrong: 1, n: 10, correct: [7, 9, 9] }).model.index, 1);
  assert.throws(() => certifiedMaxGainFromCounts({ allWrong: 0, n: 10, bestCorrect: 9, nModels: 0 }), /nModels/);
  assert.throws(() => certifiedMaxGain({ allWrong: 0, n: 10, correct: [] }), /at least one model/);
  assert.throws(() => certifiedMaxGain({ allWrong: 0, n: 10, correct: [1], delta: 1 }), /delta/);
  assert.throws(() => certifiedMaxGain({ allWrong: 0, n: 10, correct: [1, 2], models: ["a"] }), /names/);
});

test("overheadVerdict: below the overhead no member-output policy can pay; at or above one might", () => {
  const no = overheadVerdict(0.01, 0.02);
  assert.equal(no.kind, "cannot-pay");
  assert.match(no.text, /no member-output policy \(router, vote, cascade\) over these models can pay for itself/);
  assert.equal(overheadVerdict(0.02, 0.02).kind, "might-pay");
  assert.match(overheadVerdict(0.3, 0.02).text, /one might/);
  assert.throws(() => overheadVerdict(0.1, -1), /overhead/);
  assert.throws(() => overheadVerdict(0.1, NaN), /overhead/);
});
