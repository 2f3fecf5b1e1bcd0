import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { cohenKappa, fleissKappa, pairwiseCohenMatrix, panelMajority } from "../../stats/kappa.js";

const ref = JSON.parse(readFileSync(new URL("../reference/stats-orthant.json", import.meta.url), "utf8"));

test("Cohen kappa and its variance equal psych::cohen.kappa", () => {
  for (const name of ["binary", "three"]) {
    const r = ref.kappa[name];
    const k = cohenKappa(r.a, r.b);
    assert.ok(Math.abs(k.kappa - r.kappa) < 1e-14, `${name} kappa ${k.kappa} vs ${r.kappa}`);
    assert.ok(Math.abs(k.variance - r.var_kappa) < 1e-14, `${name} var ${k.variance} vs ${r.var_kappa}`);
    assert.ok(Math.abs(k.observed - r.agree) < 1e-14);
  }
});

test("Cohen kappa: hand example, 1960 SE, missing ratings dropped, labels of any type", () => {
  // 2x2 table [[20,5],[10,15]]: po = 0.7, pe = 0.5*0.6 + 0.5*0.4 = 0.5, kappa = 0.4
  const a = [...Array(20).fill("y"), ...Array(5).fill("y"), ...Array(10).fill("n"), ...Array(15).fill("n")];
  const b = [...Array(20).fill("y"), ...Array(5).fill("n"), ...Array(10).fill("y"), ...Array(15).fill("n")];
  const k = cohenKappa([...a, null, "y"], [...b, "y", undefined]);
  assert.equal(k.n, 50);
  assert.ok(Math.abs(k.kappa - 0.4) < 1e-15);
  assert.ok(Math.abs(k.se1960 - Math.sqrt((0.7 * 0.3) / (50 * 0.25))) < 1e-15);
  assert.throws(() => cohenKappa([1], [1, 2]), RangeError);
});

test("Fleiss kappa: the 10 x 5 example of Fleiss (1971) as on Wikipedia gives 0.210", () => {
  // 10 items, 14 raters, 5 categories (Wikipedia "Fleiss' kappa" worked example).
  const counts = [
    [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
  ];
  const f = fleissKappa({ counts });
  assert.ok(Math.abs(f.observed - 0.378) < 5e-4);
  assert.ok(Math.abs(f.expected - 0.213) < 5e-4);
  assert.equal(f.kappa.toFixed(3), "0.210");
  // same data as items x raters labels
  const ratings = counts.map((row) => row.flatMap((c, j) => Array(c).fill(j + 1)));
  assert.ok(Math.abs(fleissKappa({ ratings }).kappa - f.kappa) < 1e-15);
});

test("Fleiss kappa with two raters and binary labels; perfect agreement = 1", () => {
  const ratings = [[1, 1], [0, 0], [1, 1], [0, 0]];
  assert.equal(fleissKappa({ ratings }).kappa, 1);
  assert.throws(() => fleissKappa({ counts: [[1, 1], [2, 1]] }), RangeError);
});

test("pairwise Cohen matrix is symmetric with unit diagonal", () => {
  const r = ref.kappa.three;
  const rows = r.a.map((x: number, i: number) => [x, r.b[i], x]);
  const m = pairwiseCohenMatrix(rows);
  assert.equal(m[0], 1);
  assert.ok(Math.abs(m[1] - r.kappa) < 1e-14 && m[1] === m[3]);
  assert.equal(m[2], 1);
});

test("panel majority: ties, unsure votes, minimum votes", () => {
  assert.equal(panelMajority([1, 1, 0], { tie: "wrong" }), 1);
  assert.equal(panelMajority([1, 0, null], { tie: "wrong" }), 0);
  assert.equal(panelMajority([1, 0, null], { tie: "right" }), 1);
  assert.equal(panelMajority([1, 0], { tie: "null" }), null);
  assert.equal(panelMajority([null, null], { tie: "wrong" }), null);
  assert.equal(panelMajority([0, null, null], { tie: "wrong", minVotes: 2 }), null);
  assert.equal(panelMajority([0, 0, 1, null, 1], { tie: "right" }), 1);
});
