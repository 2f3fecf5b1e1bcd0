import { test } from "node:test";
import assert from "node:assert/strict";
import { clopperPearson } from "../../stats/clopper-pearson.js";
import { reference, seededUniform } from "./core-fixtures.js";

test("clopperPearson matches R's binom.test intervals (two-sided and one-sided)", () => {
  const cp = reference().clopperPearson;
  for (let i = 0; i < cp.x.length; i++) {
    const [x, n, level] = [cp.x[i], cp.n[i], cp.level[i]];
    const two = clopperPearson(x, n, { level });
    assert.ok(Math.abs(two.lower - cp.twoLower[i]) < 1e-12, `two-sided lower ${x}/${n}`);
    assert.ok(Math.abs(two.upper - cp.twoUpper[i]) < 1e-12, `two-sided upper ${x}/${n}`);
    const lower = clopperPearson(x, n, { level, side: "lower" });
    assert.ok(Math.abs(lower.lower - cp.oneLower[i]) < 1e-12, `one-sided lower ${x}/${n}`);
    assert.equal(lower.upper, 1);
    const upper = clopperPearson(x, n, { level, side: "upper" });
    assert.ok(Math.abs(upper.upper - cp.oneUpper[i]) < 1e-12, `one-sided upper ${x}/${n}`);
    assert.equal(upper.lower, 0);
  }
});

test("clopperPearson edges and input checks", () => {
  assert.deepEqual(clopperPearson(0, 10).lower, 0);
  assert.deepEqual(clopperPearson(10, 10).upper, 1);
  assert.throws(() => clopperPearson(11, 10), RangeError);
  assert.throws(() => clopperPearson(1.5, 10), RangeError);
  assert.throws(() => clopperPearson(1, 10, { level: 1 }), RangeError);
  // Wider at higher confidence; one-sided bound tighter than the two-sided one at the same level.
  const a = clopperPearson(37, 200, { level: 0.9 });
  const b = clopperPearson(37, 200, { level: 0.95 });
  assert.ok(b.lower < a.lower && b.upper > a.upper);
  assert.ok(clopperPearson(37, 200, { side: "lower" }).lower > b.lower);
});

function binomialPmf(n: number, p: number): Float64Array {
  const out = new Float64Array(n + 1);
  let logC = 0;
  for (let x = 0; x <= n; x++) {
    if (x > 0) logC += Math.log((n - x + 1) / x);
    out[x] = Math.exp(logC + x * Math.log(p) + (n - x) * Math.log1p(-p));
  }
  return out;
}

test("Clopper–Pearson coverage is at least nominal: exact over a grid of p, and by seeded simulation", () => {
  const n = 40;
  for (const side of ["two-sided", "lower", "upper"] as const) {
    for (const level of [0.9, 0.95]) {
      const intervals = Array.from({ length: n + 1 }, (_, x) => clopperPearson(x, n, { level, side }));
      for (let p = 0.005; p < 1; p += 0.0131) {
        const pmf = binomialPmf(n, p);
        let cover = 0;
        for (let x = 0; x <= n; x++) if (intervals[x]!.lower <= p && p <= intervals[x]!.upper) cover += pmf[x]!;
        assert.ok(cover >= level - 1e-12, `${side} ${level} p=${p.toFixed(4)}: exact coverage ${cover}`);
      }
      // Simulation: draws of Binomial(n, p) with a seeded generator.
      const u = seededUniform(7 + Math.round(level * 100));
      for (const p of [0.03, 0.2, 0.5, 0.81]) {
        const reps = 3000;
        let hits = 0;
        for (let r = 0; r < reps; r++) {
          let x = 0;
          for (let i = 0; i < n; i++) if (u() < p) x++;
          if (intervals[x]!.lower <= p && p <= intervals[x]!.upper) hits++;
        }
        const se = Math.sqrt((level * (1 - level)) / reps);
        assert.ok(hits / reps >= level - 3 * se, `${side} ${level} p=${p}: simulated coverage ${hits / reps}`);
      }
    }
  }
});
