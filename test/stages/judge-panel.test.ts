import { test } from "node:test";
import assert from "node:assert/strict";
import type { CanonicalRow, CanonicalTable, Verdict } from "../../core/canonical-table.js";
import stage, { determinedBeta, ignoreUnsureBeta, judgePanelAnalysis, panelVerdict } from "../../stages/judge-panel.js";
import { runStage } from "../support/stage-context.js";
import { hasData, loadAnswerMatching } from "../../ingest/mirror-pools.js";

/** 25 items x 2 models = 50 cells graded by A and B as Cohen's textbook 2x2 table [[20, 5], [10, 15]]. */
function kappaFixture(): CanonicalTable {
  const pairs: [0 | 1, 0 | 1][] = [
    ...Array.from({ length: 20 }, () => [1, 1] as [1, 1]),
    ...Array.from({ length: 5 }, () => [1, 0] as [1, 0]),
    ...Array.from({ length: 10 }, () => [0, 1] as [0, 1]),
    ...Array.from({ length: 15 }, () => [0, 0] as [0, 0]),
  ];
  const rows: CanonicalRow[] = pairs.map(([a, b], j) => ({
    task: "fx", item_id: `i${String(j >> 1).padStart(2, "0")}`, model: `m${j & 1}`, sample: 0, provider: "p",
    answer: "text that must not leak", verdicts: { "judge:a": a, "human:b": b },
  }));
  return { task: "fx", source: { adapter: "fixture", files: [] }, rows, warnings: [] };
}

test("Cohen kappa 0.4 and Fleiss kappa 0.3939 on the textbook table; panel output keeps no answer text", async () => {
  const run = await runStage(stage, { params: { prefix: "fx", graders: ["judge:a", "human:b"], tie_break: "judge:a" }, inputs: { table: kappaFixture() } });
  // p_o = 0.7, p_e = 0.5 * 0.6 + 0.5 * 0.4 = 0.5 -> kappa = 0.4
  assert.ok(Math.abs(run.published.get("fx.kappa.min")!.value - 0.4) < 1e-12);
  assert.ok(Math.abs(run.published.get("fx.kappa.judge-a.human-b")!.value - 0.4) < 1e-12);
  // Fleiss with 2 raters: P = 0.7, p_yes = 55/100, P_e = 0.55^2 + 0.45^2 = 0.505 -> (0.7 - 0.505) / 0.495
  assert.ok(Math.abs(run.published.get("fx.fleiss")!.value - 0.195 / 0.495) < 1e-12);
  // Ties (A and B disagree) broken by A: panel = A's verdicts.
  assert.equal(run.published.get("fx.panel.ties")!.value, 15);
  const panel = run.outputs.panel as CanonicalTable;
  assert.ok(panel.rows.every((r) => r.correct === r.verdicts!["judge:a"]));
  assert.ok(!JSON.stringify(run.outputs).includes("must not leak"));
  assert.ok((run.outputs.svg as string).startsWith("<svg"));
});

test("panel verdict: unsure abstains, ties follow the tie-break rule or grader", () => {
  const g = ["a", "b", "c", "d"];
  assert.deepEqual(panelVerdict([1, 1, 0, null], g, "null"), { verdict: 1, tie: false });
  assert.deepEqual(panelVerdict([1, 0, null, null], g, "null"), { verdict: null, tie: true });
  assert.deepEqual(panelVerdict([1, 0, null, null], g, "wrong"), { verdict: 0, tie: true });
  assert.deepEqual(panelVerdict([1, 0, 1, 0], g, "b"), { verdict: 0, tie: true });
  assert.deepEqual(panelVerdict([null, 0, 1, null], g, "a"), { verdict: null, tie: true }); // the tie-breaker abstained
  assert.deepEqual(panelVerdict([null, null, null, null], g, "a"), { verdict: null, tie: false });
});

test("beta with unsure cells: undetermined items dropped; README convention ignores unsure cells", () => {
  const v: Verdict[][] = [[0, 0, 0], [0, null, 0], [1, null, 0], [null, null, null], [0, 0, 1]];
  assert.deepEqual(determinedBeta(v), { allWrong: 1, determined: 3 });
  assert.deepEqual(ignoreUnsureBeta(v), { allWrong: 2, items: 4 });
});

test("answer-matching GPQA (real data): kappas and all-wrong counts of the source README", { skip: !hasData }, async () => {
  const table = await loadAnswerMatching();
  const { result } = judgePanelAnalysis(table.rows, stage.params.parse({}));
  const k = (a: string, b: string) => result.kappa.find((x) => x.a === a && x.b === b)!.kappa;
  // README: DeepSeek judge vs Qwen judge 0.83; DeepSeek judge vs humans 0.79 / 0.85; Qwen vs humans 0.74 / 0.78; humans 0.90.
  assert.equal(k("judge:deepseek-v3", "judge:qwen2.5-7b").toFixed(2), "0.82"); // 0.8248: the README rounds up to 0.83
  assert.equal(k("judge:deepseek-v3", "human:ameya").toFixed(2), "0.79");
  assert.equal(k("judge:deepseek-v3", "human:nikhil").toFixed(2), "0.85");
  assert.equal(k("judge:qwen2.5-7b", "human:ameya").toFixed(2), "0.74");
  assert.equal(k("judge:qwen2.5-7b", "human:nikhil").toFixed(2), "0.78");
  assert.equal(k("human:ameya", "human:nikhil").toFixed(2), "0.90");
  const beta = (g: string) => result.betas.find((b) => b.grader === g)!;
  // README: all four wrong on 114/198 (DeepSeek judge), 102/198 (Qwen judge); humans, unsure ignored: 99/198, 99/184.
  assert.deepEqual([beta("judge:deepseek-v3").allWrong, beta("judge:deepseek-v3").determined], [114, 198]);
  assert.deepEqual([beta("judge:qwen2.5-7b").allWrong, beta("judge:qwen2.5-7b").determined], [102, 198]);
  assert.equal(beta("human:ameya").unsure, 14);
  assert.equal(beta("human:nikhil").unsure, 89);
  assert.ok(Math.abs(beta("human:ameya").betaIgnoreUnsure - 99 / 198) < 1e-12);
  assert.ok(Math.abs(beta("human:nikhil").betaIgnoreUnsure - 99 / 184) < 1e-12);
  assert.ok(result.kappaMin >= 0.7 && result.kappaMax <= 0.95);
});
