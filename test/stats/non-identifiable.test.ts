import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { allWrongRange, bothWrongFromPhi, nonIdentifiablePair, summarizeLaw } from "../../stats/non-identifiable.js";
import { rngStream } from "../../stats/rng.js";

const ref = JSON.parse(readFileSync(new URL("../reference/stats-orthant.json", import.meta.url), "utf8"));

test("default pair (error rates 0.3, phi 0.3): same marginals and phis, beta 0.006 vs 0.153", () => {
  const p = nonIdentifiablePair({ errorRates: [0.3, 0.3, 0.3], phi: 0.3 });
  const a = summarizeLaw(p.minLaw), b = summarizeLaw(p.maxLaw);
  for (const s of [a, b]) {
    s.errorRates.forEach((v) => assert.ok(Math.abs(v - 0.3) < 1e-12));
    s.phi.forEach((v) => assert.ok(Math.abs(v - 0.3) < 1e-12));
    assert.ok(Math.abs(p.minLaw.reduce((x, y) => x + y, 0) - 1) < 1e-12 && p.minLaw.every((v) => v >= 0) && p.maxLaw.every((v) => v >= 0));
  }
  assert.ok(Math.abs(p.betaMin - 0.006) < 1e-12 && Math.abs(p.betaMax - 0.153) < 1e-12);
});

test("matches lpSolve reference values", () => {
  for (const c of ref.nonIdentifiable) {
    const p = nonIdentifiablePair({ errorRates: c.errorRates, phi: c.phi });
    assert.ok(Math.abs(p.betaMin - c.betaMin) < 1e-12 && Math.abs(p.betaMax - c.betaMax) < 1e-12);
  }
});

test("LP extremes equal the closed-form range on seeded random feasible margins", () => {
  const r = rngStream(31, 0);
  let checked = 0;
  while (checked < 200) {
    // random law -> its margins are feasible by construction
    const w = Array.from({ length: 8 }, () => r.nextFloat() ** 2);
    const tot = w.reduce((x, y) => x + y, 0);
    const s = summarizeLaw(w.map((v) => v / tot));
    const [lo, hi] = allWrongRange(s.errorRates, s.bothWrong);
    const p = nonIdentifiablePair({ errorRates: s.errorRates, bothWrong: s.bothWrong });
    assert.ok(Math.abs(p.betaMin - lo) < 1e-12 && Math.abs(p.betaMax - hi) < 1e-12, `${p.betaMin},${p.betaMax} vs ${lo},${hi}`);
    assert.ok(lo <= s.allWrong + 1e-15 && s.allWrong <= hi + 1e-15);
    checked++;
  }
});

test("incompatible margins throw; phi helper", () => {
  assert.deepEqual(bothWrongFromPhi([0.5, 0.5, 0.5], 0).map((v) => +v.toFixed(15)), [0.25, 0.25, 0.25]);
  assert.throws(() => nonIdentifiablePair({ errorRates: [0.1, 0.1, 0.1], bothWrong: [0.2, 0.05, 0.05] }), RangeError);
});
