// The registry diff (engine/registry-diff.ts) and its paper reading (paper/diff.ts), on hand-made registries.
import assert from "node:assert/strict";
import { test } from "node:test";
import { diffRegistries, findRun, pickRuns, type RunRecordRef } from "../../engine/registry-diff.js";
import type { ResultRecord } from "../../engine/types.js";
import { paperDiff, paperDiffText } from "../../paper/diff.js";
import type { NumbersFile } from "../../paper/render/render.js";

const r = (id: string, value: number, extra: Partial<ResultRecord> = {}): ResultRecord => ({ id, value, stage: "s", key: "k", ...extra });

test("each moved number is judged against its Monte-Carlo error, else its CI half-width, else it is exact", () => {
  const before = [r("p.ratio", 2.5, { mcError: 0.01 }), r("p.beta", 0.05, { ci: { lower: 0.04, upper: 0.06, level: 0.95 } }), r("p.n", 40), r("p.same", 1), r("p.gone", 3)];
  const after = [r("p.ratio", 2.52, { mcError: 0.01 }), r("p.beta", 0.052, { ci: { lower: 0.042, upper: 0.062, level: 0.95 } }), r("p.n", 41), r("p.same", 1), r("p.new", 7)];
  const d = diffRegistries(before, after);
  const byId = Object.fromEntries(d.moved.map((m) => [m.id, m]));
  // |0.02| vs 2 * sqrt(0.01^2 + 0.01^2) = 0.0283: within.
  assert.equal(byId["p.ratio"]!.errorKind, "mcError");
  assert.equal(byId["p.ratio"]!.exceedsError, false);
  assert.ok(Math.abs(byId["p.ratio"]!.tolerance! - 0.0282843) < 1e-6);
  assert.equal(byId["p.beta"]!.errorKind, "ci-halfwidth");
  assert.equal(byId["p.beta"]!.exceedsError, false);
  assert.equal(byId["p.n"]!.errorKind, "none");
  assert.equal(byId["p.n"]!.exceedsError, null);
  assert.equal(d.unchanged, 1);
  assert.deepEqual(d.added.map((x) => x.id), ["p.new"]);
  assert.deepEqual(d.removed.map((x) => x.id), ["p.gone"]);
  const big = diffRegistries([r("p.ratio", 2.5, { mcError: 0.01 })], [r("p.ratio", 2.6, { mcError: 0.01 })]);
  assert.equal(big.moved[0]!.exceedsError, true);
});

test("the paper reading: rounded form, sentences, claims whose status flipped", () => {
  const numbers = (beta: number, text: string, status: string): NumbersFile => ({
    version: 1, gitCommit: null,
    numbers: [{ id: "p.beta", value: beta, text, stage: "s", key: "k", section: "Results", line: 4, sentence: "Beta is {{p.beta}}." }],
    claims: [{ expression: "p.beta < 0.051", status, message: "", ids: ["p.beta"], section: "Results", line: 5, sentence: "It is small{{claim: p.beta < 0.051}}." }],
    tables: [], figures: [],
  });
  const d = paperDiff({
    diff: diffRegistries([r("p.beta", 0.0504, { format: "fixed:2" }), r("p.x", 1, { format: "fixed:1" })], [r("p.beta", 0.0512, { format: "fixed:2" }), r("p.x", 1.01, { format: "fixed:1" })]),
    oldNumbers: numbers(0.0504, "0.05", "true"), newNumbers: numbers(0.0512, "0.05", "false"),
    from: { run: "a", startedAt: "" }, to: { run: "b", startedAt: "" },
  });
  const beta = d.moved.find((m) => m.id === "p.beta")!;
  assert.equal(beta.roundedChanged, false);
  assert.deepEqual(beta.uses, [{ section: "Results", line: 4, sentence: "Beta is {{p.beta}}.", oldText: "0.05", newText: "0.05" }]);
  assert.deepEqual(beta.claims.map((c) => [c.oldStatus, c.newStatus]), [["true", "false"]]);
  const x = d.moved.find((m) => m.id === "p.x")!;
  assert.deepEqual([x.oldText, x.newText, x.roundedChanged, x.uses.length], ["1.0", "1.0", false, 0]);
  const text = paperDiffText(d);
  assert.match(text, /printed: 0\.05 -> 0\.05 {2}\(rounded form unchanged\)/);
  assert.match(text, /line 5: p\.beta < 0\.051: true -> false: "It is small/);
  assert.match(paperDiffText(d, { short: true }), /2 number\(s\) moved, 0 added, 0 removed, 0 unchanged; 1 used in the paper, 0 change as printed/);
});

test("runs are found by id, prefix, file name or position; the default pair is the last two with snapshots", () => {
  const run = (id: string, snap: boolean): RunRecordRef => ({ id, file: `t-${id}.json`, startedAt: "", ran: [], restored: [], ...(snap ? { snapshot: { registry: id, files: {} } } : {}) });
  const runs = [run("aa11", true), run("bb22", true), run("bc33", false), run("cc44", true)];
  assert.equal(findRun(runs, "bb").id, "bb22");
  assert.equal(findRun(runs, "~0").id, "cc44");
  assert.equal(findRun(runs, "-2").id, "bc33");
  assert.equal(findRun(runs, "t-aa11.json").id, "aa11");
  assert.throws(() => findRun(runs, "b"), /ambiguous/);
  assert.deepEqual(pickRuns(runs).map((x) => x.id), ["bb22", "cc44"]);
});
