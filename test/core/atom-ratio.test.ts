import { test } from "node:test";
import assert from "node:assert/strict";
import { atomRatio, atomRatioCurve, kMax, kSmall, pairByPool, ratioAt, ratioGrowth } from "../../core/atom-ratio.js";
import type { BetaKCurve } from "../../core/beta-k-curve.js";

/** A curve with the given observed best-k and single-factor best-k values (k = 1..n). */
function curve(pool: string, best: number[], sf: (number | null)[]): BetaKCurve {
  return {
    pool, models: best.map((_, m) => `m${m}`), nItems: 100, subsets: 1, flatten: null, plateauK: 1, notes: [],
    points: best.map((b, i) => ({ k: i + 1, best: b, randomMean: b, randomLow: b, randomHigh: b, sfBest: sf[i], sfRandomMean: null, fullBest: null, fullBestError: null })),
  };
}

test("atomRatio: the ratio rule and its zero cases", () => {
  assert.deepEqual(atomRatio(0.04, 0.02), { ratio: 2, status: "ok" });
  assert.deepEqual(atomRatio(0, 0.02), { ratio: 0, status: "ok" });            // nothing all-wrong, the copula prices some
  assert.deepEqual(atomRatio(0, 0), { ratio: null, status: "both-zero" });     // 0/0
  assert.deepEqual(atomRatio(0.01, 0), { ratio: null, status: "unbounded" });  // priced at exactly 0, observed > 0
  assert.deepEqual(atomRatio(0.01, null), { ratio: null, status: "no-prediction" });
  assert.throws(() => atomRatio(Number.NaN, 0.1), /observed beta/);
  assert.throws(() => atomRatio(0.1, -1e-3), /predicted beta/);
});

test("atomRatioCurve: ratio at k, k = M, growth from min(5, M)", () => {
  const c = atomRatioCurve(curve("p", [0.4, 0.2, 0.1, 0.08, 0.06, 0.05], [0.4, 0.15, 0.05, 0.03, 0.02, 0.01]));
  assert.equal(kMax(c), 6);
  assert.equal(kSmall(c), 5);
  assert.equal(ratioAt(c, 1), 1);
  assert.ok(Math.abs(ratioAt(c, 6)! - 5) < 1e-12);
  assert.equal(ratioAt(c, 10), null);                          // k above the pool size
  assert.ok(Math.abs(ratioGrowth(c)! - 5 / 3) < 1e-12);
  // a small pool: the growth is taken from k = M itself
  const small = atomRatioCurve(curve("s", [0.3, 0.2], [0.3, 0.1]));
  assert.equal(kSmall(small), 2);
  assert.equal(ratioGrowth(small), 1);
  // growth is null when either end has no finite ratio, or the small-pool ratio is 0
  assert.equal(ratioGrowth(atomRatioCurve(curve("z", [0.1, 0, 0], [0.1, 0.01, 0]))), null);
  assert.equal(ratioGrowth(atomRatioCurve(curve("z0", [0, 0], [0.1, 0.01]))), null);
  assert.deepEqual(atomRatioCurve(curve("z", [0.1, 0, 0], [0.1, 0.01, 0])).points.map((p) => p.status), ["ok", "ok", "both-zero"]);
});

test("pairByPool: by suffix, the same name with suffix '', and wiring mistakes", () => {
  const a = { pool: "a" }, b = { pool: "b" }, aa = { pool: "a-audited" };
  assert.deepEqual(pairByPool([a, b], [aa], "-audited"), [{ pool: "a", raw: a, audited: aa }, { pool: "b", raw: b, audited: null }]);
  const same = { pool: "a" };
  assert.deepEqual(pairByPool([a], [same], ""), [{ pool: "a", raw: a, audited: same }]);
  assert.deepEqual(pairByPool([a], [], "-audited"), [{ pool: "a", raw: a, audited: null }]);
  assert.throws(() => pairByPool([a], [{ pool: "c-audited" }], "-audited"), /c-audited match no raw pool/);
  assert.throws(() => pairByPool([a, aa], [], "-audited"), /audited-looking pool\(s\) a-audited/);
  assert.throws(() => pairByPool([a, { pool: "a" }], [], "-audited"), /raw input: pool "a" appears twice/);
});
