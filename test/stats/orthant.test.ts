import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import { normalQuantile as nq } from "../../stats/normal.js";
const normalQuantile = (p: number, _m: number, _s: number) => nq(p);
import { mvnOrthantProbability, fastNormalCdf, tableNormalCdf, normalQuantileInto } from "../../stats/orthant.js";
import { rngStream } from "../../stats/rng.js";
import { bivariateNormalCdf } from "../../stats/bivariate-normal.js";

const Phi = (x: number) => normalCdf(x, 0, 1);
const ref = JSON.parse(readFileSync(new URL("../reference/stats-orthant.json", import.meta.url), "utf8"));

function equicorr(M: number, rho: number): Float64Array {
  const R = new Float64Array(M * M).fill(rho);
  for (let i = 0; i < M; i++) R[i * M + i] = 1;
  return R;
}
/** ∫ phi(z) prod_m Phi((tau_m - sqrt(rho) z)/sqrt(1-rho)) dz by composite Simpson on [-12, 12] (smooth integrand). */
function equicorrExact(tau: number[], rho: number): number {
  const n = 4000, a = -12, h = 24 / n, s = Math.sqrt(rho), c = Math.sqrt(1 - rho);
  let sum = 0;
  for (let i = 0; i <= n; i++) {
    const z = a + i * h;
    let f = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
    for (const t of tau) f *= Phi((t - s * z) / c);
    sum += f * (i === 0 || i === n ? 1 : i % 2 ? 4 : 2);
  }
  return (sum * h) / 3;
}

test("hot-loop normal CDF approximations are accurate", () => {
  for (let x = -37; x <= 9; x += 0.00731) {
    assert.ok(Math.abs(fastNormalCdf(x) - Phi(x)) < 1e-14, `cdf ${x}`);
    assert.ok(Math.abs(tableNormalCdf(x) - Phi(x)) < 1e-14, `table cdf ${x}`);
  }
  for (let x = -37; x < -1; x += 0.0731) assert.ok(Math.abs(fastNormalCdf(x) / Phi(x) - 1) < 1e-8, `cdf tail ${x}: ${fastNormalCdf(x) / Phi(x) - 1}`);
});

test("hot-loop quantile equals stats/normal.ts normalQuantile and R's qnorm in the far tail", () => {
  const out = new Float64Array(1);
  for (let p = 1e-300; p < 1; p = p < 1e-3 ? p * 1.9 : p + 0.000937) {
    normalQuantileInto(p, out, 0);
    assert.equal(out[0], normalQuantile(p, 0, 1), `p=${p}`);
  }
  // R 4.x: sprintf("%.17g", qnorm(c(1e-20, 1e-100, 1e-300, 1e-10)))
  const rq: [number, number][] = [[1e-20, -9.2623400897984052], [1e-100, -21.273453560965319], [1e-300, -37.047096299361201], [1e-10, -6.3613409024040557]];
  for (const [p, want] of rq) {
    normalQuantileInto(p, out, 0);
    assert.ok(Math.abs(out[0] / want - 1) < 1e-15, `p=${p}: ${out[0]}`);
  }
});

test("independent case: exact product of Phi", () => {
  const tau = [-1, 0.3, 1.2, -0.4];
  const r = mvnOrthantProbability(Float64Array.from(tau), equicorr(4, 0));
  assert.ok(Math.abs(r.value - tau.reduce((p, t) => p * Phi(t), 1)) < 1e-14);
  assert.equal(r.converged, true);
});

test("edge cases: +Inf marginalised, -Inf gives 0, M=1", () => {
  const R = equicorr(3, 0.5);
  assert.equal(mvnOrthantProbability(Float64Array.from([0, -Infinity, 1]), R).value, 0);
  const one = mvnOrthantProbability(Float64Array.from([Infinity, 0.7, Infinity]), R);
  assert.ok(Math.abs(one.value - Phi(0.7)) < 1e-14);
  assert.throws(() => mvnOrthantProbability(Float64Array.from([0, 0]), Float64Array.from([1, 1, 1, 1])), RangeError);
});

test("equicorrelated case matches the one-dimensional integral", () => {
  for (const [M, rho, errRates] of [
    [3, 0.3, [0.2, 0.3, 0.4]],
    [8, 0.5, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]],
    [30, 0.6, Array.from({ length: 30 }, (_, m) => 0.1 + (0.85 * m) / 29)],
  ] as [number, number, number[]][]) {
    const tau = errRates.map((e) => normalQuantile(e, 0, 1));
    const r = mvnOrthantProbability(Float64Array.from(tau), equicorr(M, rho), { absEps: 1e-6, seed: 11 });
    const exact = equicorrExact(tau, rho);
    assert.ok(r.converged);
    assert.ok(Math.abs(r.value - exact) <= r.error, `M=${M}: ${r.value} vs ${exact} (err ${r.error})`);
  }
});

test("M=2 matches the bivariate normal CDF (Owen/Drezner–Wesolowsky via 1-D integral)", () => {
  // Phi2(h,k;r) = Phi(h)Phi(k) + ∫_0^r phi2(h,k;t) dt (Plackett's identity), Simpson in t.
  const phi2 = (h: number, k: number, t: number) =>
    Math.exp(-(h * h - 2 * t * h * k + k * k) / (2 * (1 - t * t))) / (2 * Math.PI * Math.sqrt(1 - t * t));
  for (const [h, k, r] of [[-0.5, 0.8, 0.4], [-1.2, -0.3, 0.7], [0.4, 1.1, -0.5]]) {
    const n = 2000, dt = r / n;
    let s = 0;
    for (let i = 0; i <= n; i++) s += phi2(h, k, i * dt) * (i === 0 || i === n ? 1 : i % 2 ? 4 : 2);
    const exact = Phi(h) * Phi(k) + (s * dt) / 3;
    const got = mvnOrthantProbability(Float64Array.from([h, k]), Float64Array.from([1, r, r, 1]), { absEps: 1e-7, seed: 3 });
    assert.ok(Math.abs(got.value - exact) <= Math.max(got.error, 1e-12), `${h},${k},${r}: ${got.value} vs ${exact}`);
    assert.ok(Math.abs(got.value - bivariateNormalCdf(h, k, r)) <= Math.max(got.error, 1e-12), `vs bivariateNormalCdf ${h},${k},${r}`);
  }
});

test("agrees with mvtnorm::pmvnorm (GenzBretz) within the combined error estimates, incl. 67 dimensions", () => {
  for (const controlVariate of ["none", "single-factor"] as const) {
    for (const c of ref.orthant) {
      // dim3 is exactly one-factor (3 correlations, 3 loadings), so with the control variate the answer is the
      // exact 1-D integral P1; pmvnorm's dim3 value is 1.1 of its own error estimates away from it (checked
      // against plain Genz–Bretz to 8e-10 in the next test), so it cannot referee that case.
      if (controlVariate === "single-factor" && c.name === "dim3") continue;
      const r = mvnOrthantProbability(Float64Array.from(c.upper), Float64Array.from(c.corr), { absEps: c.dim >= 20 ? 1e-5 : Math.max(c.abseps, 1e-6), seed: 20260625, controlVariate });
      assert.ok(r.converged, c.name);
      assert.ok(Math.abs(r.value - c.value) <= r.error + c.error, `${controlVariate} ${c.name}: ${r.value} vs pmvnorm ${c.value} (errors ${r.error}, ${c.error})`);
    }
  }
});

test("single-factor control variate: exact when R is one-factor, agrees with plain Genz–Bretz otherwise", () => {
  const d3 = ref.orthant.find((x: { name: string }) => x.name === "dim3");
  const u3 = Float64Array.from(d3.upper), R3 = Float64Array.from(d3.corr);
  const plain = mvnOrthantProbability(u3, R3, { absEps: 1e-8, seed: 1, controlVariate: "none", maxPoints: 2e6 });
  const cv = mvnOrthantProbability(u3, R3, { absEps: 1e-8, seed: 1 });
  // "auto" keeps the control variate, and the pilot stage alone (its 8 shifts of the ~300-point rule, and the 8 more
  // that a pilot-only answer takes before it reports an error) is exact to 1e-11.
  assert.ok(cv.converged && cv.error < 1e-11 && cv.points < 10_000, `dim3 cv error ${cv.error}, ${cv.points} points`);
  assert.ok(Math.abs(cv.value - plain.value) <= plain.error + cv.error, `dim3: ${cv.value} vs plain ${plain.value} ± ${plain.error}`);
  // Equicorrelated: loadings sqrt(rho) make R1 = R; the 1-D reference is independent of both codes.
  const tau = Array.from({ length: 12 }, (_, m) => normalQuantile(0.1 + 0.06 * m, 0, 1));
  const eq = mvnOrthantProbability(Float64Array.from(tau), equicorr(12, 0.4), { absEps: 1e-9, seed: 2 });
  assert.ok(Math.abs(eq.value - equicorrExact(tau, 0.4)) < 1e-9, `equicorr: ${eq.value} vs ${equicorrExact(tau, 0.4)}`);
  // Deliberately poor loadings still give an unbiased answer (only more points), and agree with the default.
  const c = ref.orthant.find((x: { name: string }) => x.name === "dim20");
  const u = Float64Array.from(c.upper), R = Float64Array.from(c.corr);
  const good = mvnOrthantProbability(u, R, { absEps: 1e-5, seed: 7 });
  const poor = mvnOrthantProbability(u, R, { absEps: 1e-5, seed: 8, loadings: new Float64Array(20).fill(0.5) });
  assert.ok(good.converged && poor.converged);
  assert.ok(Math.abs(good.value - poor.value) <= good.error + poor.error, `${good.value} vs ${poor.value}`);
  assert.ok(Math.abs(good.value - c.value) <= good.error + c.error);
  assert.throws(() => mvnOrthantProbability(u, R, { loadings: new Float64Array(20).fill(1) }), RangeError);
  assert.throws(() => mvnOrthantProbability(u, R, { loadings: new Float64Array(3) }), RangeError);
});

test("deterministic given the seed", () => {
  const c = ref.orthant.find((x: { name: string }) => x.name === "dim10");
  const run = (seed: number) => mvnOrthantProbability(Float64Array.from(c.upper), Float64Array.from(c.corr), { absEps: 1e-4, seed });
  assert.deepEqual(run(5), run(5));
  assert.notEqual(run(5).value, run(6).value);
});

test("property: in [0,1], <= min marginal, monotone in thresholds (seeded random problems)", () => {
  const rng = rngStream(99, 0);
  for (let trial = 0; trial < 15; trial++) {
    const M = 2 + rng.nextInt(6);
    const lam = Array.from({ length: M }, () => 0.2 + 0.7 * rng.nextFloat());
    const R = new Float64Array(M * M);
    for (let i = 0; i < M; i++) for (let j = 0; j < M; j++) R[i * M + j] = i === j ? 1 : lam[i] * lam[j];
    const tau = Float64Array.from({ length: M }, () => -2 + 3 * rng.nextFloat());
    const p = mvnOrthantProbability(tau, R, { absEps: 1e-6, seed: trial });
    assert.ok(p.value >= 0 && p.value <= 1);
    const minMarg = Math.min(...Array.from(tau, Phi));
    assert.ok(p.value <= minMarg + p.error);
    const bumped = Float64Array.from(tau);
    bumped[rng.nextInt(M)] += 0.5;
    const q = mvnOrthantProbability(bumped, R, { absEps: 1e-6, seed: trial });
    assert.ok(q.value >= p.value - (p.error + q.error), `trial ${trial}`);
  }
});

test("the Richtmyer lattice option agrees too (dim 10)", () => {
  const c = ref.orthant.find((x: { name: string }) => x.name === "dim10");
  const r = mvnOrthantProbability(Float64Array.from(c.upper), Float64Array.from(c.corr), { absEps: 1e-5, seed: 4, lattice: "richtmyer" });
  assert.ok(r.converged && Math.abs(r.value - c.value) <= r.error + c.error);
});

test("budget exhausted: converged=false, points within maxPoints", () => {
  const c = ref.orthant.find((x: { name: string }) => x.name === "dim20");
  const r = mvnOrthantProbability(Float64Array.from(c.upper), Float64Array.from(c.corr), { absEps: 1e-9, maxPoints: 20000, seed: 1 });
  assert.equal(r.converged, false);
  assert.ok(r.points <= 20000 && r.error > 1e-9 && Math.abs(r.value - c.value) < 1e-3);
});
