import { test } from "node:test";
import assert from "node:assert/strict";
import { bivariateNormalCdf, bivariateNormalPdf } from "../../stats/bivariate-normal.js";
import { normalCdf } from "../../stats/normal.js";
import { reference } from "./core-fixtures.js";

test("bivariateNormalCdf is within 1e-12 of pbivnorm and of 1-D quadrature on a grid incl. |r| -> 1 and far tails", () => {
  const b = reference().bivariate;
  let worstP = 0;
  let worstI = 0;
  for (let i = 0; i < b.h.length; i++) {
    const v = bivariateNormalCdf(b.h[i], b.k[i], b.r[i]);
    worstP = Math.max(worstP, Math.abs(v - b.pbivnorm[i]));
    worstI = Math.max(worstI, Math.abs(v - b.integrate[i]));
  }
  assert.ok(b.h.length >= 2000);
  assert.ok(worstP <= 1e-12, `max |ours - pbivnorm| = ${worstP}`);
  assert.ok(worstI <= 1e-12, `max |ours - integrate| = ${worstI}`);
  const m = b.mvtnorm;
  for (let i = 0; i < m.h.length; i++) {
    // mvtnorm::pmvnorm reports its own error bound ~1e-15 in 2-D (it calls Genz's BVN code too).
    assert.ok(Math.abs(bivariateNormalCdf(m.h[i], m.k[i], m.r[i]) - m.p[i]) <= 1e-12);
  }
});

test("bivariateNormalCdf: bounds, symmetry, limits and monotonicity in r", () => {
  const hs = [-3, -1, 0, 0.4, 2];
  for (const h of hs) {
    for (const k of hs) {
      let prev = -1;
      for (let r = -0.999; r < 1; r += 0.037) {
        const p = bivariateNormalCdf(h, k, r);
        assert.ok(p >= Math.max(0, normalCdf(h) + normalCdf(k) - 1) - 1e-15 && p <= Math.min(normalCdf(h), normalCdf(k)) + 1e-15);
        assert.ok(Math.abs(p - bivariateNormalCdf(k, h, r)) < 1e-15, "exchangeable");
        assert.ok(p >= prev - 1e-15, `monotone in r at h=${h} k=${k} r=${r}`);
        prev = p;
      }
      assert.ok(Math.abs(bivariateNormalCdf(h, k, 0) - normalCdf(h) * normalCdf(k)) < 1e-16);
      assert.ok(Math.abs(bivariateNormalCdf(h, k, 1) - normalCdf(Math.min(h, k))) < 1e-16);
      // Monotone in each threshold.
      assert.ok(bivariateNormalCdf(h + 0.1, k, 0.5) >= bivariateNormalCdf(h, k, 0.5));
    }
  }
  assert.equal(bivariateNormalCdf(Infinity, 0.3, 0.4), normalCdf(0.3));
  assert.equal(bivariateNormalCdf(-Infinity, 0.3, 0.4), 0);
});

test("d Phi2 / dr equals the bivariate density (Plackett's identity), which Newton relies on", () => {
  for (const [h, k, r] of [[-0.5, 0.3, 0.2], [1, -1.2, -0.6], [0.2, 0.1, 0.9], [-1.5, -1.4, 0.95]] as const) {
    const eps = 1e-5;
    const num = (bivariateNormalCdf(h, k, r + eps) - bivariateNormalCdf(h, k, r - eps)) / (2 * eps);
    assert.ok(Math.abs(num - bivariateNormalPdf(h, k, r)) < 1e-8, `${h} ${k} ${r}`);
  }
});
