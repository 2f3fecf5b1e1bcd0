import { test } from "node:test";
import assert from "node:assert/strict";
import { logNormalCdf, normalCdf, normalPdf, normalQuantile } from "../../stats/normal.js";
import { reference } from "./core-fixtures.js";

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

test("normalCdf / normalPdf / logNormalCdf match R's pnorm / dnorm", () => {
  const r = reference().normal;
  r.x.forEach((x: number, i: number) => {
    if (r.cdf[i] > 0) assert.ok(rel(normalCdf(x), r.cdf[i]) < 1e-13, `cdf(${x}) = ${normalCdf(x)} vs ${r.cdf[i]}`);
    else assert.ok(normalCdf(x) < 1e-300);
    assert.ok(rel(normalPdf(x), r.pdf[i]) < 1e-13 || r.pdf[i] === 0, `pdf(${x})`);
    assert.ok(rel(logNormalCdf(x), r.logCdf[i]) < 1e-13 || Math.abs(logNormalCdf(x) - r.logCdf[i]) < 1e-15, `logCdf(${x}) = ${logNormalCdf(x)} vs ${r.logCdf[i]}`);
  });
});

test("normalQuantile matches R's qnorm (AS 241) and inverts normalCdf", () => {
  const r = reference().normal;
  r.p.forEach((p: number, i: number) => {
    assert.ok(rel(normalQuantile(p), r.quantile[i]) < 1e-14, `qnorm(${p}) = ${normalQuantile(p)} vs ${r.quantile[i]}`);
  });
  for (let p = 0.0005; p < 1; p += 0.0137) assert.ok(Math.abs(normalCdf(normalQuantile(p)) - p) < 1e-15 * Math.max(1, p / 1e-3));
  assert.equal(normalCdf(-Infinity), 0);
  assert.equal(normalCdf(Infinity), 1);
  assert.ok(Number.isNaN(normalCdf(NaN)));
  assert.equal(logNormalCdf(-Infinity), -Infinity);
  assert.equal(logNormalCdf(Infinity), 0);
  assert.equal(normalQuantile(0), -Infinity);
  assert.equal(normalQuantile(1), Infinity);
  assert.ok(Number.isNaN(normalQuantile(1.5)));
});

test("normalCdf is symmetric and logNormalCdf is continuous at its branch points", () => {
  for (const x of [0.1, 1, 2.5, 6]) assert.ok(Math.abs(normalCdf(x) + normalCdf(-x) - 1) < 1e-15);
  for (const x of [-37, 5]) {
    const below = logNormalCdf(x - 1e-9);
    const above = logNormalCdf(x + 1e-9);
    assert.ok(Math.abs(below - above) < 1e-6 * Math.max(1, Math.abs(above)), `jump at ${x}`);
  }
});
