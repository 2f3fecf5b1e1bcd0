import { test } from "node:test";
import assert from "node:assert/strict";
import { singleFactorMinres } from "../../stats/factor.js";
import { gaussKronrod15, integrateAdaptive, singleFactorAllWrong, thresholds } from "../../stats/single-factor-beta.js";
import { bivariateNormalCdf } from "../../stats/bivariate-normal.js";
import { normalCdf, normalQuantile } from "../../stats/normal.js";
import { reference, seededUniform } from "./core-fixtures.js";

test("singleFactorMinres matches psych::fa(R, nfactors = 1, fm = 'minres') loadings to <= 1e-3", () => {
  for (const c of reference().fa) {
    const res = singleFactorMinres(c.input.flat(), c.n);
    assert.ok(res.converged);
    let d = 0;
    for (let m = 0; m < c.n; m++) d = Math.max(d, Math.abs(res.loadings[m]! - c.loadings[m]));
    assert.ok(d <= 1e-3, `${c.label}: max |ours - psych| = ${d}`);
  }
});

test("singleFactorMinres recovers exact one-factor structure, is a stationary point, and fixes the sign", () => {
  const u = seededUniform(8);
  const n = 12;
  const l = Array.from({ length: n }, () => 0.2 + 0.7 * u());
  const r = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) r[i * n + j] = i === j ? 1 : l[i]! * l[j]!;
  const res = singleFactorMinres(r, n);
  for (let m = 0; m < n; m++) assert.ok(Math.abs(res.loadings[m]! - l[m]!) < 1e-9);
  assert.ok(res.residualSumSquares < 1e-18);
  // Negated structure: same loadings up to sign, sum made positive.
  const neg = singleFactorMinres(r.map((v, i) => (i % (n + 1) === 0 ? v : v)), n);
  assert.ok(neg.loadings.reduce((s, v) => s + v, 0) > 0);
  // Perturbed matrix: the gradient of sum_{m<n}(r - l l)^2 vanishes at the solution.
  const noisy = Float64Array.from(r);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) noisy[i * n + j] = noisy[j * n + i] = r[i * n + j]! + 0.05 * (u() - 0.5);
  const fit = singleFactorMinres(noisy, n).loadings;
  for (let m = 0; m < n; m++) {
    let g = 0;
    for (let k = 0; k < n; k++) if (k !== m) g += (noisy[m * n + k]! - fit[m]! * fit[k]!) * fit[k]!;
    assert.ok(Math.abs(g) < 1e-10, `gradient ${m}`);
  }
});

test("singleFactorAllWrong matches R's integrate() to relative 1e-8, incl. steep (|lambda| ~ 1) and deep-tail cases", () => {
  for (const c of reference().singleFactor) {
    const v = singleFactorAllWrong(c.tau, c.lambda);
    assert.ok(Math.abs(v / c.integral - 1) <= 1e-8, `${c.label}: ${v} vs ${c.integral}`);
  }
});

test("singleFactorAllWrong: closed forms for one and two models, independence, monotonicity", () => {
  // One model: P(Z < tau) = Phi(tau) whatever the loading.
  for (const l of [0, 0.5, -0.9, 0.999]) assert.ok(Math.abs(singleFactorAllWrong([-0.7], [l]) - normalCdf(-0.7)) < 1e-12);
  // Two models: Phi2(tau1, tau2; l1 l2).
  for (const [t1, t2, l1, l2] of [[-0.5, 0.3, 0.6, 0.7], [-1.5, -2, 0.9, 0.95], [0.2, -0.4, -0.5, 0.8]] as const) {
    const v = singleFactorAllWrong([t1, t2], [l1, l2]);
    const want = bivariateNormalCdf(t1, t2, l1 * l2);
    assert.ok(Math.abs(v / want - 1) < 1e-10, `${v} vs ${want}`);
  }
  // Zero loadings: product of marginals.
  const tau = [-0.3, 0.1, -1, 0.5];
  const prod = tau.reduce((p, t) => p * normalCdf(t), 1);
  assert.ok(Math.abs(singleFactorAllWrong(tau, [0, 0, 0, 0]) / prod - 1) < 1e-12);
  // More dependence (higher common loading) -> more joint failure; higher thresholds -> more failure.
  let prev = 0;
  for (const l of [0, 0.2, 0.4, 0.6, 0.8, 0.95]) {
    const v = singleFactorAllWrong(tau, tau.map(() => l));
    assert.ok(v > prev);
    prev = v;
  }
  assert.ok(singleFactorAllWrong([-0.2, 0.1, -1, 0.5], [0.5, 0.5, 0.5, 0.5]) > singleFactorAllWrong(tau, [0.5, 0.5, 0.5, 0.5]));
  // Adding a model never raises the all-wrong probability.
  assert.ok(singleFactorAllWrong([...tau, 0.3], [0.5, 0.5, 0.5, 0.5, 0.5]) < singleFactorAllWrong(tau, [0.5, 0.5, 0.5, 0.5]));
  assert.throws(() => singleFactorAllWrong([0], [1]), RangeError);
});

test("thresholds and the Gauss–Kronrod rule", () => {
  const t = thresholds([0.1, 0.5, 0.9]);
  assert.ok(Math.abs(t[0]! - normalQuantile(0.1)) === 0 && t[1] === 0);
  // K15 integrates polynomials of degree <= 22 exactly.
  const q = gaussKronrod15((x) => x ** 22, 0, 1);
  assert.ok(Math.abs(q.value - 1 / 23) < 1e-15);
  const a = integrateAdaptive((x) => Math.exp(-x * x), -10, 10);
  assert.ok(Math.abs(a.value - Math.sqrt(Math.PI)) < 1e-13);
});
