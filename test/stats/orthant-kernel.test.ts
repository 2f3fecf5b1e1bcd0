import assert from "node:assert/strict";
import { test } from "node:test";
import { minimaxTilt, orthantLatticeSumReference, prepareFactor, prepareOrthant } from "../../stats/orthant.js";
import { rngStream } from "../../stats/rng.js";
import { orthantWorkspace } from "../../stats/wasm/orthant-kernel.js";

/** A random positive-definite correlation matrix with a general and a group factor, and thresholds. */
function problem(M: number, seed: number) {
  const rng = rngStream(seed, 0);
  const l1 = Array.from({ length: M }, () => 0.3 + 0.6 * rng.nextFloat());
  const l2 = Array.from({ length: M }, (_, m) => (m % 2 ? 1 : -1) * 0.3 * rng.nextFloat());
  const R = new Float64Array(M * M);
  for (let i = 0; i < M; i++) for (let j = 0; j < M; j++) R[i * M + j] = i === j ? 1 : l1[i]! * l1[j]! + l2[i]! * l2[j]!;
  const upper = Float64Array.from({ length: M }, () => -1.5 + 2.5 * rng.nextFloat());
  return { upper, R, lambda: Float64Array.from(l1) };
}

test("the WebAssembly lattice sums equal the scalar reference (tilted and plain, with and without the control variate, any n)", () => {
  for (const [M, seed] of [[2, 1], [3, 2], [7, 3], [20, 4], [41, 5]] as const) {
    const { upper, R, lambda } = problem(M, seed);
    const P = prepareOrthant(upper, R);
    const factor = prepareFactor(Float64Array.from(P.perm, (m) => upper[m]!), Float64Array.from(P.perm, (m) => lambda[m]!));
    const tilted = minimaxTilt(P);
    assert.ok(tilted, `tilt converges (M=${M})`);
    const rng = rngStream(seed, 1);
    const q = Float64Array.from({ length: M - 1 }, () => rng.nextFloat());
    for (const mu of [new Float64Array(M), tilted!]) {
      for (const cv of [false, true]) {
        for (const n of [1, 2, 3, 4, 5, 31]) {
          const x0 = Float64Array.from({ length: M - 1 }, () => rng.nextFloat());
          const ws = orthantWorkspace(M);
          ws.b.set(P.b); ws.mu.set(mu); ws.L.set(P.L); ws.q.set(q); ws.x.set(x0);
          ws.a.set(factor.a); ws.c.set(factor.c); ws.v.set(factor.v);
          ws.sum(n, cv);
          const xRef = Float64Array.from(x0), out = new Float64Array(2);
          orthantLatticeSumReference(P, mu, cv ? factor : null, q, xRef, n, out);
          const what = `M=${M} n=${n} tilt=${mu[0] !== 0} cv=${cv}`;
          assert.deepEqual(Array.from(ws.x.subarray(0, M - 1)), Array.from(xRef), `${what}: shift advanced alike`);
          assert.ok(Math.abs(ws.out[0]! - out[0]!) <= 1e-12 * Math.abs(out[0]!), `${what}: f ${ws.out[0]} vs ${out[0]}`);
          if (cv) assert.ok(Math.abs(ws.out[1]! - out[1]!) <= 1e-12 * Math.abs(out[1]!), `${what}: g ${ws.out[1]} vs ${out[1]}`);
          else assert.equal(ws.out[1], 0);
        }
      }
    }
  }
});

test("the kernel's Phi and Phi^-1 reach the far tails: a 3-d problem with probability ~1e-25", () => {
  // Untilted, thresholds near -10 put Phi(t) outside the table (Hart's formula) and w Phi(t) below e^-25 (AS 241's
  // r > 5 branch); tilted, the same problem runs near the centre. The sums must agree with the scalar reference.
  const R = Float64Array.from([1, 0.6, 0.5, 0.6, 1, 0.4, 0.5, 0.4, 1]);
  const P = prepareOrthant(Float64Array.from([-10, -9.5, -6]), R);
  for (const mu of [new Float64Array(3), minimaxTilt(P)!]) {
    const q = Float64Array.from([0.618034, 0.41421]), x0 = Float64Array.from([0.1, 0.7]);
    const ws = orthantWorkspace(3);
    ws.b.set(P.b); ws.mu.set(mu); ws.L.set(P.L); ws.q.set(q); ws.x.set(x0);
    ws.sum(101, false);
    const out = new Float64Array(2);
    orthantLatticeSumReference(P, mu, null, q, Float64Array.from(x0), 101, out);
    assert.ok(out[0]! > 0 && out[0]! < 1e-20 && Math.abs(ws.out[0]! - out[0]!) <= 1e-12 * out[0]!, `${ws.out[0]} vs ${out[0]}`);
  }
});
