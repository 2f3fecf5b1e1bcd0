import assert from "node:assert/strict";
import { test } from "node:test";
import { evaluateClaim, parseClaim } from "../../paper/render/claims.js";
import type { ResultRecord } from "../../engine/types.js";

const REG: ResultRecord[] = [
  { id: "math-l5.beta", value: 0.052, stage: "s", key: "k", ci: { lower: 0.04, upper: 0.07, level: 0.95 } },
  { id: "math-l5.beta.cp95.upper", value: 0.07, stage: "s", key: "k" },
  { id: "math-l5.ratio.sf", value: 2.5, stage: "s", key: "k", ci: { lower: 1.7, upper: 3.4, level: 0.9 } },
  { id: "gsm8k.beta", value: 0.01, stage: "s", key: "k" },
  { id: "gsm8k.beta.cp95.upper", value: 0.02, stage: "s", key: "k" },
  { id: "gsm8k.ratio.sf", value: 0.9, stage: "s", key: "k" },
  { id: "gpqa-fr.kappa.judge-a.judge-b", value: 0.73, stage: "s", key: "k" },
  { id: "gpqa-fr.kappa.judge-a.human", value: 0.92, stage: "s", key: "k" },
  { id: "gpqa-fr.kappa.judge-b.human", value: 0.81, stage: "s", key: "k" },
];
const byId = new Map(REG.map((r) => [r.id, r]));
const ctx = { lookup: (id: string) => byId.get(id), ids: () => byId.keys() };
const ev = (e: string) => evaluateClaim(e, ctx);

test("comparisons, arithmetic, chains and logic evaluate against the registry", () => {
  assert.equal(ev("math-l5.beta < 0.06").status, "true");
  assert.equal(ev("math-l5.beta >= 0.06").status, "false");
  assert.equal(ev("0.05 <= math-l5.beta < 0.06").status, "true");
  assert.equal(ev("0.053 <= math-l5.beta < 0.06").status, "false");
  assert.equal(ev("math-l5.ratio.sf > 2 * gsm8k.ratio.sf and not (gsm8k.beta > math-l5.beta)").status, "true");
  assert.equal(ev("1 - math-l5.beta > 0.95 or gsm8k.beta == 0.01").status, "true");
  assert.equal(ev("(1 - math-l5.beta) / 2 > 0.5").status, "false");
  assert.equal(ev("-math-l5.beta < 0 && !(gsm8k.beta != 0.01)").status, "true");
  assert.equal(ev("math-l5.beta < 1.5e-1").status, "true");
  assert.equal(ev("lower(math-l5.ratio.sf) > 1.5 and upper(math-l5.ratio.sf) < 3.5").status, "true");
  assert.equal(ev("abs(gsm8k.beta - math-l5.beta) < 0.05").status, "true");
});

test("a false claim names the values and the rule; ids lists what it read", () => {
  const r = ev("math-l5.beta >= 0.06");
  assert.equal(r.status, "false");
  assert.match(r.message, /math-l5\.beta = 0\.052 >= 0\.06 is false/);
  assert.deepEqual(r.ids, ["math-l5.beta"]);
});

test("quantifiers bind the wildcard across the expression; aggregates range over a glob", () => {
  assert.equal(ev("all(*.beta <= *.beta.cp95.upper)").status, "true");
  const r = ev("all(*.ratio.sf > 1)");
  assert.equal(r.status, "false");
  assert.match(r.message, /false for 1 of 2 of \*\.ratio\.sf: gsm8k\.ratio\.sf = 0\.9 > 1 is false/);
  assert.deepEqual(r.ids, ["gsm8k.ratio.sf", "math-l5.ratio.sf"]);
  assert.equal(ev("any(*.ratio.sf > 1)").status, "true");
  assert.equal(ev("min(gpqa-fr.kappa.*) >= 0.7").status, "true");
  const m = ev("min(gpqa-fr.kappa.*) >= 0.75");
  assert.equal(m.status, "false");
  assert.match(m.message, /min\(gpqa-fr\.kappa\.\*\) = 0\.73 at gpqa-fr\.kappa\.judge-a\.judge-b over 3 ids >= 0\.75 is false/);
  assert.equal(ev("max(gpqa-fr.kappa.*) <= 0.92 and count(gpqa-fr.kappa.*) == 3").status, "true");
  assert.equal(ev("mean(*.beta) > 0.03").status, "true");
  assert.equal(ev("all(lower(*.beta) < *.beta)").status, "unchecked"); // gsm8k.beta has no interval
  // Every binding must be evaluable, for any() too: a missing interval is not silently skipped.
  assert.equal(ev("any(lower(*.ratio.sf) > 1.5)").status, "unchecked");
  assert.equal(ev("all(lower(math-l5.*.sf) > 1.5)").status, "true");
  assert.equal(ev("all(*.beta <= max(*.beta.cp95.upper))").status, "true");
});

test("what cannot be evaluated is unchecked, never true", () => {
  assert.equal(ev("math-l5.nope > 1").status, "unchecked");
  assert.match(ev("math-l5.nope > 1").message, /unknown result id math-l5\.nope/);
  assert.equal(ev("all(*.nothing > 1)").status, "unchecked");
  assert.equal(ev("*.beta > 0").status, "unchecked");
  assert.equal(ev("math-l5.beta").status, "unchecked");
  assert.equal(ev("math-l5.beta >").status, "unchecked");
  assert.equal(ev("process.exit(1)").status, "unchecked");
  assert.equal(ev("math-l5.beta < 1 or constructor(1)").status, "unchecked");
  assert.equal(ev("lower(gsm8k.beta) > 0").status, "unchecked");
  assert.equal(evaluateClaim("min(*.beta) > 0", { lookup: ctx.lookup }).status, "unchecked");
  // A typo on the untaken side of "or" is still caught.
  assert.equal(ev("math-l5.beta < 1 or math-l5.typo > 0").status, "unchecked");
});

test("the parser builds a tree without eval: ids with dashes and digits, numbers with exponents", () => {
  assert.deepEqual(parseClaim("gsm8k.beta-x.y > 2e-3"), {
    kind: "cmp", ops: [">"], args: [{ kind: "ref", pattern: "gsm8k.beta-x.y" }, { kind: "num", value: 0.002, text: "2e-3" }],
  });
  assert.throws(() => parseClaim("2x > 1"), /neither a number nor an id/);
  assert.throws(() => parseClaim("min(1) > 0"), /min\(\) takes an id pattern/);
});
