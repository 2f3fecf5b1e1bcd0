import { test } from "node:test";
import assert from "node:assert/strict";
import stage, { formatSubjectAnalysis } from "../../stages/format-subject.js";
import { clopperPearson } from "../../stats/clopper-pearson.js";
import { allSubsets } from "../../stats/subsets.js";
import type { PoolMatrix } from "../../core/pool-matrix.js";
import { runStage } from "../support/stage-context.js";
import { hasData, loadAnswerMatching, loadGpqaRotations, loadSimpleEvalsGpqa, pool } from "../../ingest/mirror-pools.js";
import { judgePanelAnalysis } from "../../stages/judge-panel.js";

const rec = (i: number) => `rec${String(i).padStart(14, "0")}`;
const SUBJECTS = ["Physics", "Organic Chemistry", "Chemistry", "Genetics", "Quantum Mechanics", "Physics"];

function matrix(pool: string, ids: string[], models: string[], correct: number[][], subjects?: string[]): PoolMatrix {
  return {
    pool, samplePolicy: "first", items: ids, models, providers: models.map(() => "p"), correct: correct as (0 | 1)[][],
    itemMeta: subjects ? ids.map((_, i) => ({ subject: subjects[i] })) : undefined, notes: [],
  };
}

// Items 0..5 (domains: physics, chemistry, chemistry, biology, physics, physics). MC pool A has an extra item 6.
const mcA = matrix("mc-a", [0, 1, 2, 3, 4, 5, 6].map((i) => `gpqa-${rec(i)}`), ["x", "y"],
  [[1, 0, 1, 0, 1, 1, 0], [0, 0, 1, 1, 1, 0, 0]], [...SUBJECTS, "Physics"]);
const mcB = matrix("mc-b", [0, 1, 2, 3, 4, 5].map((i) => `other-${rec(i)}`), ["z"], [[1, 0, 0, 0, 0, 0]]);
const fr = matrix("fr", [0, 1, 2, 3, 4, 5].map((i) => `gpqa-${rec(i)}`), ["x-fr", "w"], [[0, 0, 1, 0, 1, 0], [1, 0, 0, 0, 0, 0]]);

test("format/subject on a fixture: join on GPQA record ids, betas per domain, CP, matched pair, size-matched mean", async () => {
  const params = stage.params.parse({ matched: [{ label: "X", mc: "x", fr: "x-fr" }] });
  const r = formatSubjectAnalysis([mcA, mcB], [fr], params, 1);
  assert.equal(r.items, 6);
  assert.deepEqual(r.itemsPerScope, { all: 6, physics: 3, chemistry: 2, biology: 1 });
  const get = (key: string, scope = "all") => r.pools.find((p) => p.key === key)!.scopes.find((s) => s.scope === scope)!;
  // MC union x, y, z: all wrong only on item 1.
  assert.equal(get("mc").allWrong, 1);
  const cp = clopperPearson(1, 6);
  assert.equal(get("mc").lower, cp.lower);
  assert.equal(get("mc").upper, cp.upper);
  // FR x-fr, w: all wrong on items 1, 3, 5 -> physics {0, 4, 5}: item 5; chemistry {1, 2}: item 1; biology {3}: item 3.
  assert.equal(get("fr").allWrong, 3);
  assert.equal(get("fr", "physics").beta, 1 / 3);
  assert.equal(get("fr", "chemistry").beta, 1 / 2);
  assert.equal(get("fr", "biology").beta, 1);
  // Matched: x (MC) alone wrong on items 1, 3; x-fr alone wrong on 0, 1, 3, 5.
  assert.equal(get("matched.mc").allWrong, 2);
  assert.equal(get("matched.fr").allWrong, 4);
  assert.deepEqual(r.matchedAccuracy.find((a) => a.scope === "all"), { label: "X", mcModel: "x", frModel: "x-fr", scope: "all", n: 6, mc: 4 / 6, fr: 2 / 6 });
  // Size-matched: mean over the 3 pairs of MC models.
  const rows = [mcA.correct[0].slice(0, 6), mcA.correct[1].slice(0, 6), mcB.correct[0]];
  const brute = allSubsets(3, 2).map((s) => rows[0].filter((_, i) => s.every((m) => rows[m][i] === 0)).length / 6);
  assert.ok(Math.abs(get("mc.size2").beta - brute.reduce((a, b) => a + b) / 3) < 1e-12);
  assert.ok(r.notes.some((n) => n.includes("mc-a: 1 of 7 items")));

  const run = await runStage(stage, { params: { matched: [{ label: "X", mc: "x", fr: "x-fr" }] }, inputs: { mc: [mcA, mcB], fr } });
  assert.equal(run.published.get("gpqa.beta.fr.biology")!.value, 1);
  assert.equal(run.published.get("gpqa.matched.beta.fr")!.value, 4 / 6);
  assert.equal(run.published.get("gpqa.matched.acc.mc.x")!.value, 4 / 6);
  assert.equal(run.published.get("gpqa.n.common.physics")!.value, 3);
  assert.throws(() => formatSubjectAnalysis([mcA], [fr], stage.params.parse({ matched: [{ label: "Q", mc: "nope", fr: "w" }] }), 1), /nope/);
});

test("GPQA-Diamond (real data): domain counts and free response reopening the tail", { skip: !hasData }, async () => {
  const se = pool([await loadSimpleEvalsGpqa()], "gpqa-mc");
  const rot = pool([await loadGpqaRotations()], "gpqa-mc-rot", "majority");
  const am = await loadAnswerMatching();
  const { panelRows } = judgePanelAnalysis(am.rows, (await import("../../stages/judge-panel.js")).default.params.parse({}));
  const fr = pool([{ ...am, rows: panelRows }], "gpqa-fr");
  const r = formatSubjectAnalysis([se, rot], [fr], stage.params.parse({
    matched: [{ label: "GPT-4o", mc: "GPT-4o", fr: "GPT-4o" }, { label: "DeepSeek-V3", mc: "DeepSeek-V3", fr: "DeepSeek-V3-0324" }],
  }), 20260625);
  // 198 questions minus the 6 that t-pro-32b lacks; GPQA-Diamond is 86 / 93 / 19 before that.
  assert.equal(r.items, 192);
  assert.equal(r.itemsPerScope.physics + r.itemsPerScope.chemistry + r.itemsPerScope.biology, 192);
  const beta = (key: string) => r.pools.find((p) => p.key === key)!.scopes[0].beta;
  assert.ok(beta("fr") > beta("mc.size4"), "free response: more all-wrong than equally large MC pools");
  assert.ok(beta("matched.fr") > beta("matched.mc"), "same models: more all-wrong without options");
});
