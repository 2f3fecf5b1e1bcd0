import { test } from "node:test";
import assert from "node:assert/strict";
import { packErrors, packWeights } from "../../stats/verdict-bits.js";
import { solveBivariateCorrelation, tetrachoric, tetrachoricMatrix, toTwoByTwo } from "../../stats/tetrachoric.js";
import { bivariateNormalCdf, bivariateNormalPdf } from "../../stats/bivariate-normal.js";
import { normalQuantile } from "../../stats/normal.js";
import { caseRows, maxAbsDiff, reference, seededUniform } from "./core-fixtures.js";

test("tetrachoricMatrix matches psych::tetrachoric (<= 1e-4) and the exactly solved psych likelihood (<= 1e-8)", () => {
  const cases = reference().tetrachoric;
  assert.ok(cases.some((c: { models: number; items: number }) => c.models >= 60 && c.items >= 1000));
  for (const c of cases) {
    const res = tetrachoricMatrix(packErrors(caseRows(c)));
    const M = c.models;
    for (let m = 0; m < M; m++) assert.ok(Math.abs(res.thresholds[m]! - c.tau[m]) < 1e-12, `${c.label}: tau ${m}`);
    const dPsych = maxAbsDiff(res.matrix, c.psych);
    const dExact = maxAbsDiff(res.matrix, c.exact);
    assert.ok(dPsych <= 1e-4, `${c.label}: max |ours - psych| = ${dPsych}`);
    assert.ok(dExact <= 1e-8, `${c.label}: max |ours - exact| = ${dExact}`);
    assert.equal(res.correctedPairs, c.correctedPairs, `${c.label}: pairs with an empty cell`);
    assert.ok(res.correctedPairs > 0, "the reference includes zero-cell pairs");
    for (let a = 0; a < M; a++) for (let b = 0; b < M; b++) assert.equal(res.matrix[a * M + b], res.matrix[b * M + a]);
  }
});

test("polycor::polychor (two-step ML) agrees on pairs without empty cells", () => {
  const large = reference().tetrachoric.find((c: { models: number }) => c.models >= 60);
  const res = tetrachoricMatrix(packErrors(caseRows(large)));
  for (const p of reference().polychor) {
    const ours = res.matrix[(p.a - 1) * large.models + (p.b - 1)]!;
    assert.ok(Math.abs(ours - p.rho) <= 1e-4, `pair ${p.a},${p.b}: ${ours} vs polychor ${p.rho}`);
  }
});

test("without empty cells the fitted both-wrong probability equals the observed rate", () => {
  const t = { n11: 30, n10: 45, n01: 20, n00: 105 };
  const r = tetrachoric(t);
  assert.equal(r.corrected, false);
  assert.ok(Math.abs(bivariateNormalCdf(r.tauA, r.tauB, r.r) - 30 / 200) < 1e-13);
  assert.ok(Math.abs(r.tauA - normalQuantile(75 / 200)) < 1e-15);
  // The both-wrong/either form is the same table.
  const same = tetrachoric({ bothWrong: 30, aWrong: 75, bWrong: 50, n: 200 });
  assert.equal(same.r, r.r);
  assert.deepEqual(toTwoByTwo({ bothWrong: 30, aWrong: 75, bWrong: 50, n: 200 }), t);
  assert.throws(() => toTwoByTwo({ bothWrong: 80, aWrong: 75, bWrong: 50, n: 200 }), RangeError);
});

test("properties: symmetric in the pair, odd under flipping one variable, increasing in the both-wrong count", () => {
  const u = seededUniform(42);
  for (let trial = 0; trial < 200; trial++) {
    const t = { n11: 1 + Math.floor(u() * 60), n10: 1 + Math.floor(u() * 60), n01: 1 + Math.floor(u() * 60), n00: 1 + Math.floor(u() * 60) };
    const r = tetrachoric(t).r;
    assert.ok(r > -1 && r < 1);
    const swapped = tetrachoric({ n11: t.n11, n10: t.n01, n01: t.n10, n00: t.n00 }).r;
    assert.ok(Math.abs(r - swapped) < 1e-10, "symmetric");
    const flipped = tetrachoric({ n11: t.n10, n10: t.n11, n01: t.n00, n00: t.n01 }).r;
    assert.ok(Math.abs(r + flipped) < 1e-10, "flipping b's coding negates r");
    // Moving one item from each discordant cell to each concordant cell raises r (margins fixed).
    if (t.n10 > 1 && t.n01 > 1) {
      const more = tetrachoric({ n11: t.n11 + 1, n10: t.n10 - 1, n01: t.n01 - 1, n00: t.n00 + 1 }).r;
      assert.ok(more > r, "monotone in the both-wrong count");
    }
    const warm = tetrachoric(t, { warmStart: 0.9 }).r;
    assert.ok(Math.abs(warm - r) < 1e-11, "warm start does not change the root");
  }
  // Monotone in thresholds: at fixed r, higher thresholds mean more both-wrong mass, so a fixed
  // both-wrong rate needs a lower r.
  const p = 0.1;
  let prev = Infinity;
  for (const tau of [-1, -0.8, -0.6, -0.4]) {
    const r = solveBivariateCorrelation(tau, tau, p).r;
    assert.ok(r < prev);
    prev = r;
  }
});

test("zero cells: replaced by 0.5 as psych's correct = 0.5; correction 0 gives the boundary solution", () => {
  const t = { n11: 0, n10: 40, n01: 35, n00: 125 };
  const r = tetrachoric(t);
  assert.equal(r.corrected, true);
  assert.ok(r.r > -1 && r.r < 0);
  const raw = tetrachoric(t, { correction: 0 });
  assert.equal(raw.corrected, false);
  assert.equal(raw.r, -1, "never both wrong at these margins is only possible at r = -1");
  const nanTau = tetrachoric({ n11: 0, n10: 0, n01: 10, n00: 10 });
  assert.ok(Number.isNaN(nanTau.r), "a model that is never wrong has no finite threshold");
});

test("weighted matrix equals the matrix of the replicated items; warm start reproduces it", () => {
  const large = reference().tetrachoric.find((c: { models: number }) => c.models >= 60);
  const rows = caseRows(large).slice(0, 15).map((r) => r.subarray(0, 300));
  const u = seededUniform(5);
  const w = Array.from({ length: 300 }, () => Math.floor(u() * 4));
  const expanded = rows.map((r) => Uint8Array.from(Array.from(r).flatMap((v, i) => Array(w[i]!).fill(v) as number[])));
  const weighted = tetrachoricMatrix(packErrors(rows), { weights: packWeights(w) });
  const replicated = tetrachoricMatrix(packErrors(expanded));
  for (let i = 0; i < weighted.matrix.length; i++) {
    const [a, b] = [weighted.matrix[i]!, replicated.matrix[i]!];
    assert.ok((Number.isNaN(a) && Number.isNaN(b)) || Math.abs(a - b) < 1e-12);
  }
  const plain = tetrachoricMatrix(packErrors(rows));
  const warm = tetrachoricMatrix(packErrors(rows), { warmStart: plain.matrix });
  for (let i = 0; i < plain.matrix.length; i++) assert.ok(Math.abs(plain.matrix[i]! - warm.matrix[i]!) < 1e-11);
  assert.ok(warm.iterations < plain.iterations, "warm start saves Newton steps");
});

test("a warm start with the warm fit's thresholds (a bootstrap replicate's): the same matrix in fewer Phi2 evaluations", () => {
  const large = reference().tetrachoric.find((c: { models: number }) => c.models >= 60);
  const rows = caseRows(large).slice(0, 30);
  const N = rows[0]!.length;
  const point = tetrachoricMatrix(packErrors(rows));
  const u = seededUniform(17);
  let plainSteps = 0, predictedSteps = 0;
  for (let rep = 0; rep < 5; rep++) {
    const counts = new Uint32Array(N);
    for (let i = 0; i < N; i++) counts[Math.floor(u() * N)]++;
    const weights = packWeights(counts);
    const cold = tetrachoricMatrix(packErrors(rows), { weights });
    const warm = tetrachoricMatrix(packErrors(rows), { weights, warmStart: point.matrix });
    const predicted = tetrachoricMatrix(packErrors(rows), { weights, warmStart: point.matrix, warmThresholds: point.thresholds });
    for (let i = 0; i < cold.matrix.length; i++) {
      const [a, b, c] = [cold.matrix[i]!, warm.matrix[i]!, predicted.matrix[i]!];
      if (Number.isNaN(a)) { assert.ok(Number.isNaN(b) && Number.isNaN(c)); continue; }
      assert.ok(Math.abs(a - b) < 1e-11 && Math.abs(a - c) < 1e-11, `entry ${i}: ${a} ${b} ${c}`);
    }
    plainSteps += warm.iterations;
    predictedSteps += predicted.iterations;
  }
  assert.ok(predictedSteps < 0.95 * plainSteps, `predicted starts: ${predictedSteps} evaluations against ${plainSteps}`);
  assert.throws(() => tetrachoricMatrix(packErrors(rows), { warmStart: point.matrix, warmThresholds: [0, 1] }), /warmThresholds has 2 entries, expected 30/);
});

test("the Halley solve stops only at the root: Phi2(h, k; r) = p to 1e-13, r to 1e-10 where r is determined", () => {
  const u = seededUniform(31);
  let worst = 0;
  for (let c = 0; c < 400; c++) {
    const h = normalQuantile(0.03 + 0.94 * u());
    const k = normalQuantile(0.03 + 0.94 * u());
    const rTrue = -0.95 + 1.94 * u();
    const p = bivariateNormalCdf(h, k, rTrue);
    // dPhi2/dr = phi2: where it is tiny (|r| near 1, h far from k) Phi2 is flat and r only known to ~1e-16 / phi2.
    const slope = bivariateNormalPdf(h, k, rTrue);
    for (const start of [rTrue + 0.03, rTrue - 0.1, 0, 0.9, undefined]) {
      const { r } = solveBivariateCorrelation(h, k, p, { warmStart: start });
      worst = Math.max(worst, Math.abs(bivariateNormalCdf(h, k, r) - p));
      assert.ok(Math.abs(r - rTrue) < 1e-10 || Math.abs(r - rTrue) * slope < 1e-14, `h ${h}, k ${k}, r ${rTrue}, start ${start}: got ${r}`);
    }
  }
  assert.ok(worst < 1e-13, `worst residual ${worst}`);
});
