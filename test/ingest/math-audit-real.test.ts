// tier: slow
// The audit grader on the real ZeroEval pools: of the items every pool model gets wrong under our `math` grader
// (the all-wrong / co-failure events of pool-math-l5 and pool-gsm, built with pipeline.yaml's own pool params),
// how many does `math-audit` flip to right for at least one model? Pins the counts and the item ids, and checks
// that a wrong reference (math-l5 item 46: gold 3, the answer is -3) is not "fixed" by the grader.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { buildPoolMatrix, PoolParams } from "../../core/build-pool.js";
import type { CanonicalRow } from "../../core/canonical-table.js";
import { gradeTable } from "../../ingest/grade-table.js";
import { loadGrader } from "../../ingest/graders/index.js";
import { gradeMathAuditRow } from "../../ingest/graders/math-audit.js";
import { hasData, loadZeroEval, projectDir } from "../../ingest/mirror-tables.js";

const pipeline = parseYaml(readFileSync(join(projectDir, "pipeline.yaml"), "utf8")) as { stages: Record<string, { params?: unknown }> };

interface Flip { item: string; gold: string; model: string; answer: string; rule: string }

async function auditAllWrong(task: "math-l5" | "gsm") {
  const table = await loadZeroEval(task);
  const graded = gradeTable(table, await loadGrader("math"), "math", {}, () => {});
  const matrix = buildPoolMatrix([graded], PoolParams.parse(pipeline.stages[`pool-${task}`]!.params));
  const allWrong = matrix.items.filter((_, i) => matrix.correct.every((row) => row[i] === 0));
  const inPool = new Set(matrix.models);
  const rowsByItem = new Map<string, CanonicalRow[]>();
  for (const r of graded.rows) {
    if (r.sample !== 0 || !inPool.has(r.model)) continue;
    rowsByItem.set(r.item_id, [...(rowsByItem.get(r.item_id) ?? []), r]);
  }
  const flips: Flip[] = [];
  for (const item of allWrong) {
    for (const r of rowsByItem.get(item)!) {
      const audited = gradeMathAuditRow(r);
      if (audited.correct === 1) {
        flips.push({ item, gold: r.gold!, model: r.model, answer: audited.answer!, rule: String(audited.meta?.audit_rule) });
      }
    }
  }
  const flippedItems = [...new Set(flips.map((f) => f.item))].sort();
  return { graded, matrix, allWrong, flips, flippedItems };
}

/** Measured (see the test's diagnostics): the all-wrong items under `math`, and how many `math-audit` flips. */
const expected = {
  "math-l5": {
    models: 41, items: 721,
    allWrong: ["188", "261", "262", "282", "288", "298", "310", "328", "331", "333", "370", "375", "378", "396", "397", "412", "46", "593", "608", "690"].map((i) => `math-l5-${i}`).sort(),
    // Whole-table agreement of the two graders (rows where they differ, by which one says right).
    mathOnlyRight: 31, auditOnlyRight: 3,
  },
  gsm: {
    models: 43, items: 1319,
    allWrong: ["1048", "403", "454", "749", "768", "823"].map((i) => `gsm-gsm8k-main-test-#${i}`).sort(),
    mathOnlyRight: 209, auditOnlyRight: 1,
  },
};

for (const task of ["math-l5", "gsm"] as const) {
  test(`math-audit on the all-wrong items of pool ${task}`, { skip: !hasData && "data mirror absent" }, async (t) => {
    const { graded, matrix, allWrong, flips, flippedItems } = await auditAllWrong(task);
    t.diagnostic(`${task}: ${matrix.models.length} models x ${matrix.items.length} items; all-wrong under math: ${allWrong.length}; flipped by math-audit: ${flippedItems.length}`);
    for (const item of flippedItems) {
      const f = flips.filter((x) => x.item === item);
      t.diagnostic(`  ${item} gold ${JSON.stringify(f[0]!.gold)}: ${f.length} model(s), e.g. ${f[0]!.model} ${JSON.stringify(f[0]!.answer)} [${[...new Set(f.map((x) => x.rule))].join(", ")}]`);
    }
    const want = expected[task];
    assert.equal(matrix.models.length, want.models);
    assert.equal(matrix.items.length, want.items);
    assert.deepEqual(allWrong, want.allWrong);
    // No all-wrong event of these pools is a grader artifact: every model's answer differs from the gold under
    // the audit's normalization, lists, \pm, numeric and symbolic rules too.
    assert.deepEqual(flippedItems, []);
    if (task === "math-l5") {
      // Reference errors stay all-wrong: item 46 (gold 3, the common difference is -3; 32 of 41 models say -3) and
      // item 378 ("enter all values of b": +-10879, the ZeroEval gold keeps only "10879"; most models give both).
      for (const item of ["math-l5-46", "math-l5-378"]) assert.ok(allWrong.includes(item), item); // and not flipped: flippedItems is empty
      const item46 = graded.rows.filter((r) => r.item_id === "math-l5-46" && matrix.models.includes(r.model)).map((r) => gradeMathAuditRow(r));
      assert.equal(item46.filter((r) => r.answer === "-3").length, 32);
    }
    // The whole table under both graders: where they differ. `math` reads units, base-n numerals, clock times,
    // worked chains and sentences that the audit grader does not; `math-audit` proves symbolic identities
    // ("\frac{a-1}{1-a}" = -1) that `math` leaves.
    const audited = gradeTable(graded, await loadGrader("math-audit"), "math-audit", {}, () => {});
    let mathOnly = 0;
    let auditOnly = 0;
    audited.rows.forEach((r, i) => {
      if (r.correct === graded.rows[i]!.correct) return;
      if (r.correct === 1) auditOnly++;
      else mathOnly++;
    });
    t.diagnostic(`${task}: ${audited.rows.length} rows; right under math only: ${mathOnly}; under math-audit only: ${auditOnly}`);
    assert.deepEqual({ mathOnly, auditOnly }, { mathOnly: want.mathOnlyRight, auditOnly: want.auditOnlyRight });
  });
}
