// The fast paths behind the copula bootstrap: each checked against the reference implementation it replaces.
import { test } from "node:test";
import assert from "node:assert/strict";
import { replaceEigenTail, symmetricEigen, symmetricEigenTail, symmetricEigenvalues } from "../../stats/eigen.js";
import { singleFactorMinres } from "../../stats/factor.js";
import { singleFactorAllWrong, singleFactorAllWrongFast } from "../../stats/single-factor-beta.js";
import { reference, seededUniform } from "./core-fixtures.js";

test("singleFactorAllWrongFast matches R's integrate() to relative 1e-8 on the reference cases", () => {
  for (const c of reference().singleFactor) {
    const v = singleFactorAllWrongFast(c.tau, c.lambda);
    assert.ok(Math.abs(v / c.integral - 1) <= 1e-8, `${c.label}: ${v} vs ${c.integral}`);
  }
});

test("singleFactorAllWrongFast agrees with the adaptive singleFactorAllWrong to 1e-10 on 600 random cases (betas < 1e-50 incl.)", () => {
  const u = seededUniform(2026);
  let worst = 0;
  let tiniest = 1;
  for (let c = 0; c < 600; c++) {
    const M = 1 + Math.floor(u() * 80);
    const kind = c % 6;
    const tau: number[] = [];
    const lambda: number[] = [];
    for (let m = 0; m < M; m++) {
      // kinds: typical; rare errors (tiny betas); loadings at/near the 0.9975 Heywood bound; mixed signs;
      // near independence; very rare errors (betas down to ~1e-200).
      tau.push(kind === 1 ? -2 - 3 * u() : kind === 5 ? -6 + 4 * u() : -2 + 3 * u());
      lambda.push(kind === 2 ? 0.9975 * (u() > 0.5 ? 1 : 0.97 + 0.03 * u()) : kind === 3 ? (2 * u() - 1) * 0.99 : kind === 4 ? 0.3 * u() : 0.2 + 0.75 * u());
    }
    const ref = singleFactorAllWrong(tau, lambda);
    const fast = singleFactorAllWrongFast(tau, lambda);
    assert.ok(ref > 0 && fast > 0, `case ${c}: positive`);
    worst = Math.max(worst, Math.abs(fast / ref - 1));
    tiniest = Math.min(tiniest, ref);
  }
  assert.ok(worst <= 1e-10, `max relative difference ${worst}`);
  assert.ok(tiniest < 1e-50, `the cases reach deep tails (smallest beta ${tiniest})`);
});

test("singleFactorAllWrongFast: one model is Phi(tau); a never-wrong model (tau = -inf) gives 0", () => {
  assert.ok(Math.abs(singleFactorAllWrongFast([-0.7], [0.999]) / 0.24196365222307303 - 1) < 1e-12);
  assert.equal(singleFactorAllWrongFast([-0.7, -Infinity], [0.5, 0.5]), 0);
  assert.throws(() => singleFactorAllWrongFast([0], [1]), RangeError);
});

function randomSymmetric(n: number, u: () => number): Float64Array {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = 2 * u() - 1;
  return a;
}

/** A = Q diag(ev) Q' with a random orthonormal Q: exactly repeated eigenvalues on demand. */
function withSpectrum(ev: number[], u: () => number): Float64Array {
  const n = ev.length;
  const Q = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) Q[i * n + j] = u() - 0.5;
    for (let c = 0; c < j; c++) {
      let d = 0;
      for (let i = 0; i < n; i++) d += Q[i * n + c]! * Q[i * n + j]!;
      for (let i = 0; i < n; i++) Q[i * n + j]! -= d * Q[i * n + c]!;
    }
    let s = 0;
    for (let i = 0; i < n; i++) s += Q[i * n + j]! ** 2;
    for (let i = 0; i < n; i++) Q[i * n + j]! /= Math.sqrt(s);
  }
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let x = 0;
      for (let m = 0; m < n; m++) x += Q[i * n + m]! * ev[m]! * Q[j * n + m]!;
      A[i * n + j] = A[j * n + i] = x;
    }
  }
  return A;
}

test("symmetricEigenvalues and symmetricEigenTail (WebAssembly reduction) give symmetricEigen's eigenvalues to rounding", () => {
  const u = seededUniform(11);
  for (const n of [1, 2, 5, 23, 71, 150]) {
    const a = randomSymmetric(n, u);
    const full = symmetricEigen(a, n);
    const scale = Math.max(Math.abs(full.values[0]!), Math.abs(full.values[n - 1]!));
    for (const values of [symmetricEigenvalues(a, n), symmetricEigenTail(a, n, () => 1).values]) {
      assert.equal(values.length, n);
      for (let i = 0; i < n; i++) assert.ok(Math.abs(values[i]! - full.values[i]!) <= 1e-13 * n * scale, `n=${n}, value ${i}: ${values[i]} vs ${full.values[i]}`);
      for (let i = 1; i < n; i++) assert.ok(values[i - 1]! >= values[i]!, "decreasing");
    }
  }
});

test("replaceEigenTail: A + sum (floor - lambda_j) v_j v_j' over the tail, equal to the full decomposition's", () => {
  const u = seededUniform(13);
  for (const n of [3, 40, 67]) {
    const a = randomSymmetric(n, u);
    const full = symmetricEigen(a, n);
    for (const [p, floor] of [[1, 0], [Math.floor(n / 3), 0], [n - 1, 0.25]] as const) {
      const got = replaceEigenTail(a, n, () => ({ count: p, floor }));
      assert.equal(got.count, p);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let want = 0;
          for (let k = 0; k < n; k++) want += full.vectors[i * n + k]! * (k >= n - p ? floor : full.values[k]!) * full.vectors[j * n + k]!;
          assert.ok(Math.abs(got.matrix[i * n + j]! - want) < 1e-12 * n, `n=${n} p=${p} (${i},${j}): ${got.matrix[i * n + j]} vs ${want}`);
          assert.equal(got.matrix[i * n + j], got.matrix[j * n + i]);
        }
      }
    }
  }
});

test("symmetricEigenTail: the trailing eigenpairs are orthonormal eigenpairs and give the same projection, incl. repeated eigenvalues", () => {
  const u = seededUniform(12);
  const spectra: number[][] = [
    Array.from({ length: 71 }, (_, i) => (i < 26 ? -1 : 1)), // a 26-fold negative eigenvalue
    Array.from({ length: 40 }, (_, i) => (i < 10 ? -1e-9 * (i + 1) : i === 10 ? 0 : 2 + i)), // a tight cluster at 0
    Array.from({ length: 30 }, () => 2 * u() - 1),
    // 30 negative eigenvalues 2e-4 ||T|| apart: just outside a cluster (1e-4 ||T||), each vector on its own.
    Array.from({ length: 71 }, (_, i) => (i < 30 ? -0.5 - 2e-4 * 50 * i : i === 70 ? 50 : 1 + 0.1 * i)),
  ];
  const cases = [...spectra.map((ev) => withSpectrum(ev, u)), randomSymmetric(67, u), randomSymmetric(3, u)];
  for (const a of cases) {
    const n = Math.round(Math.sqrt(a.length));
    const full = symmetricEigen(a, n);
    const tail = symmetricEigenTail(a, n, (v) => v.filter((x) => x <= 1e-6 * v[0]!).length);
    const p = tail.count;
    assert.ok(p > 0);
    for (let j = 0; j < p; j++) {
      const lambda = tail.values[n - p + j]!;
      for (let i = 0; i < n; i++) {
        let r = -lambda * tail.vectors[i * p + j]!;
        for (let k = 0; k < n; k++) r += a[i * n + k]! * tail.vectors[k * p + j]!;
        assert.ok(Math.abs(r) < 1e-12, `n=${n}: residual ${r}`);
      }
      for (let k = 0; k < p; k++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += tail.vectors[i * p + j]! * tail.vectors[i * p + k]!;
        assert.ok(Math.abs(dot - (j === k ? 1 : 0)) < 1e-12, `n=${n}: orthonormality`);
      }
    }
    // Q_- D_- Q_-' from both decompositions (basis-free, so repeated eigenvalues compare too).
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < n; k++) {
        let x = 0;
        let y = 0;
        for (let j = 0; j < p; j++) x += tail.vectors[i * p + j]! * tail.values[n - p + j]! * tail.vectors[k * p + j]!;
        for (let j = n - p; j < n; j++) y += full.vectors[i * n + j]! * full.values[j]! * full.vectors[k * n + j]!;
        assert.ok(Math.abs(x - y) < 1e-12, `n=${n}: projection`);
      }
    }
  }
});

test("singleFactorMinres from a warm start reaches the cold-start solution", () => {
  for (const c of reference().fa) {
    const cold = singleFactorMinres(c.input.flat(), c.n);
    // Start from a perturbation of the solution, as the point estimate is for a bootstrap replicate.
    const start = Array.from(cold.loadings, (l, m) => l + 0.05 * Math.sin(m + 1));
    const warm = singleFactorMinres(c.input.flat(), c.n, { start });
    assert.ok(warm.converged);
    for (let m = 0; m < c.n; m++) assert.ok(Math.abs(warm.loadings[m]! - cold.loadings[m]!) < 1e-9, `${c.label}: loading ${m}`);
  }
  assert.throws(() => singleFactorMinres([1, 0.5, 0.5, 1], 2, { start: [0.5] }), RangeError);
});
