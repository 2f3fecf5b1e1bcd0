import assert from "node:assert/strict";
import { test } from "node:test";
import type { PublishOptions } from "../../engine/types.js";
import { fakeContext } from "../support/stage-context.js";
import agreement, { AgreementReport, agreementReport } from "../../stages/agreement.js";
import type { CanonicalRow, CanonicalTable } from "../../core/canonical-table.js";

const row = (item: string, model: string, correct: 0 | 1, source_verdict: 0 | 1, answer = "x".repeat(100)): CanonicalRow => ({
  task: "tiny", item_id: item, model, sample: 0, provider: "p", response: "LONG RESPONSE TEXT", answer, gold: "5",
  correct, source_verdict, meta: { source_model: model === "A" ? "ModelA" : model, source_answer: "5" },
});
const table: CanonicalTable = {
  task: "tiny", source: { adapter: "zeroeval", files: [] }, warnings: [],
  rows: [row("tiny-0", "A", 1, 1), row("tiny-1", "A", 0, 1), row("tiny-0", "B", 1, 1), row("tiny-1", "B", 0, 0)],
};

test("agreementReport: rates, per-model accuracies, short disagreement records", () => {
  const r = agreementReport(table, new Map([["ModelA", 0.5]]));
  assert.equal(r.cells, 4);
  assert.equal(r.items, 2);
  assert.equal(r.agreementRate, 0.75);
  assert.deepEqual(r.perModel, [
    { model: "A", cells: 2, ours: 0.5, source: 1, delta: -0.5, summaryAcc: 0.5 },
    { model: "B", cells: 2, ours: 0.5, source: 0.5, delta: 0 },
  ]);
  assert.equal(r.disagreements.length, 1);
  const d = r.disagreements[0]!;
  assert.equal(d.item_id, "tiny-1");
  assert.equal(d.ourAnswer!.length, 80, "extracted answers are truncated to 80 characters");
  assert.equal(d.sourceAnswer, "5");
  assert.ok(!JSON.stringify(r).includes("LONG RESPONSE TEXT"), "no response text in the report");
  AgreementReport.parse(r);
});

test("agreementReport: a table without comparable verdicts is an error", () => {
  assert.throws(() => agreementReport({ ...table, rows: table.rows.map((r) => ({ ...r, source_verdict: undefined })) }), /agreement tiny: no row has both/);
});

test("agreement stage publishes <task>.grading.agreement (pct:2) and .disagreements (int)", async () => {
  const fake = fakeContext({ id: "agreement-tiny", params: {}, inputs: { table } });
  const { report } = (await agreement.run(fake.ctx)) as { report: AgreementReport };
  const published = [...fake.published.values()].map((r): [string, number, PublishOptions] => [r.id, r.value, r]);
  assert.equal(report.agreementRate, 0.75);
  assert.deepEqual(published.map(([id, v, o]) => [id, v, o?.format]), [
    ["tiny.grading.agreement", 0.75, "pct:2"],
    ["tiny.grading.disagreements", 1, "int"],
  ]);
});
