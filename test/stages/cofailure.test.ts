import { test } from "node:test";
import assert from "node:assert/strict";
import cofailureStage, { cofailureRow } from "../../stages/cofailure.js";
import poolSummaryStage from "../../stages/pool-summary.js";
import { buildPoolMatrix } from "../../core/build-pool.js";
import poolStage from "../../stages/pool.js";
import { pluralityVote } from "../../stats/plurality-vote.js";
import { fakeContext } from "../support/stage-context.js";
import { tableFrom } from "../support/tables.js";

const items = Array.from({ length: 10 }, (_, i) => `q${i}`);
// All three wrong only on q9 -> x = 1, beta = 0.1; A and B tie at 0.7 (A wins by name).
const table = tableFrom("t", items, {
  B: { provider: "p2", verdicts: "1111100110" },
  A: { provider: "p1", verdicts: "1111111000" },
  C: { provider: "p1", verdicts: "0000011100" },
});
const matrix = buildPoolMatrix([table], poolStage.params.parse({ name: "fx" }));
const close = (a: number, b: number, tol = 1e-6) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

test("cofailure: hand-computed beta, ceiling, headroom, rho, best model tie by name", async () => {
  const { ctx, published } = fakeContext({ params: {}, inputs: { matrix } });
  const out = (await cofailureStage.run(ctx)) as { row: ReturnType<typeof cofailureRow>["row"]; models: { rows: unknown[] } };
  const row = out.row;
  assert.equal(row.allWrong, 1);
  assert.equal(row.beta, 0.1);
  assert.equal(row.best.model, "A");
  close(row.best.accuracy, 0.7, 1e-12);
  close(row.ceiling, 0.9, 1e-12);
  close(row.headroom, 0.2, 1e-12);
  // phi of error indicators: AB 1/21, AC -1/21, BC -11/21
  close(row.rhoMean!, -11 / 63, 1e-12);
  // R: binom.test(1, 10)$conf.int = 0.002528579 0.445016117
  close(row.cp95.lower, 0.002528579);
  close(row.cp95.upper, 0.445016117);
  assert.equal(row.voteAccuracy, null);
  assert.equal(published.get("fx.beta")!.value, 0.1);
  assert.equal(published.get("fx.beta")!.format, "fixed:3");
  assert.equal(published.get("fx.beta")!.ci!.level, 0.95);
  assert.equal(published.get("fx.beta.count")!.value, 1);
  assert.equal(published.get("fx.best.accuracy")!.format, "pct:1");
  assert.ok(!published.has("fx.vote.accuracy"));
  for (const id of ["fx.beta.cp90.lower", "fx.beta.cp90.upper", "fx.beta.cp95.lower", "fx.beta.cp95.upper",
    "fx.beta.upper95.onesided", "fx.ceiling", "fx.headroom", "fx.certificate.maxgain95", "fx.certificate.beta.lower",
    "fx.best.accuracy.lower", "fx.rho.mean"]) {
    assert.ok(published.has(id), id);
  }
  assert.ok(!published.has("fx.certificate.maxgain95.twosided"));
  assert.match(published.get("fx.certificate.maxgain95")!.description!, /bonferroni-in-sample/);
  // beta's term spends delta/2 = 0.025 in one tail: the two-sided 95% Clopper–Pearson lower limit.
  close(published.get("fx.certificate.beta.lower")!.value, row.cp95.lower, 1e-15);
  assert.equal(out.models.rows.length, 3);
});

test("cofailure: Clopper–Pearson and certificate against closed forms at x = 0", () => {
  const t = tableFrom("t", items, { A: { provider: "p", verdicts: "1111111110" }, B: { provider: "p", verdicts: "0000000001" } });
  const { row } = cofailureRow(buildPoolMatrix([t], poolStage.params.parse({ name: "zero" })));
  assert.equal(row.allWrong, 0);
  assert.equal(row.cp95.lower, 0);
  close(row.cp95.upper, 1 - 0.025 ** (1 / 10), 1e-10);
  close(row.cp90.upper, 1 - 0.05 ** (1 / 10), 1e-10);
  close(row.upper95OneSided, 1 - 0.05 ** (1 / 10), 1e-10);
  close(row.upper90OneSided, 1 - 0.1 ** (1 / 10), 1e-10);
  // beta's lower limit is 0, so the certificate is 1 - the best model's lower limit. With M = 2 models that limit is
  // the p solving P(X >= 9 | n = 10, p) = 10 p^9 - 9 p^10 = 0.05 / (2 M) (one-sided Clopper–Pearson, Bonferroni).
  let lo = 0, hi = 1;
  for (let k = 0; k < 200; k++) { const p = (lo + hi) / 2; if (10 * p ** 9 - 9 * p ** 10 < 0.05 / 4) lo = p; else hi = p; }
  assert.equal(row.certificate95.method, "bonferroni-in-sample");
  assert.equal(row.certificate95.betaLower, 0);
  close(row.certificate95.bestAccuracyLower, lo, 1e-10);
  close(row.certificate95.maxGain, 1 - lo, 1e-10);
  assert.ok(row.certificate95.maxGain > row.headroom, "the certified bound is above the point headroom");
  close(row.headroom, 0.1, 1e-12);
});

test("plurality vote: majority, tie to the most accurate model, abstentions", () => {
  // rows in accuracy order
  const answers = [
    ["1", "x", null, "a"],
    ["2", "y", null, "b"],
    ["2", "z", null, "b"],
  ];
  const correct = [
    [1, 0, 0, 1],
    [0, 1, 0, 0],
    [0, 0, 0, 0],
  ];
  const r = pluralityVote(answers, correct);
  // item0: "2" wins 2-1 -> row 1 verdict 0; item1: 3-way tie -> row 0 ("x") -> 0; item2: abstain; item3: "b" -> 0
  assert.deepEqual(r, { accuracy: 0, ties: 1, abstained: 1 });
  const r2 = pluralityVote([["a", "b"], ["c", "b"]], [[1, 0], [0, 1]]);
  // item0 tie a/c -> row 0 -> right; item1 "b" first given by row 0 -> row 0's verdict 0
  assert.deepEqual(r2, { accuracy: 0.5, ties: 1, abstained: 0 });
});

test("cofailure: vote accuracy published when answers exist; pool-summary table", async () => {
  const t = tableFrom("t", ["a", "b", "c"], {
    M1: { provider: "p", verdicts: "110", answers: ["1", "2", "9"] },
    M2: { provider: "q", verdicts: "100", answers: ["1", "7", "8"] },
    M3: { provider: "r", verdicts: "010", answers: ["5", "2", "8"] },
  });
  const m = buildPoolMatrix([t], poolStage.params.parse({ name: "vote" }));
  const { ctx, published } = fakeContext({ params: {}, inputs: { matrix: m } });
  const out = (await cofailureStage.run(ctx)) as { row: ReturnType<typeof cofailureRow>["row"] };
  // a: "1" x2 right; b: "2" x2 right; c: "8" x2 wrong
  close(published.get("vote.vote.accuracy")!.value, 2 / 3, 1e-12);
  const { row: other } = cofailureRow(matrix);
  const { ctx: sctx } = fakeContext({ params: poolSummaryStage.params.parse({ order: ["vote"] }), inputs: { rows: { x: other, y: out.row } } });
  const { table: tbl } = (await poolSummaryStage.run(sctx)) as { table: { rows: Record<string, unknown>[]; columns: { key: string }[] } };
  assert.deepEqual(tbl.rows.map((r) => r.pool), ["vote", "fx"]);
  assert.equal(tbl.rows[1].vote_accuracy, null);
  assert.ok(tbl.columns.some((c) => c.key === "max_gain"));
  const { ctx: dup } = fakeContext({ params: poolSummaryStage.params.parse({}), inputs: { rows: [other, other] } });
  await assert.rejects(poolSummaryStage.run(dup), /appears twice/);
});
