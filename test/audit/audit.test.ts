// The audit rule (audit/RULE.md) on small hand-built pools: each check fires on the evidence it needs, the first
// check wins, a person's decision overrides, missing evidence gives "unaudited", and the audited matrix is what
// the rule says. The math cases go through the real stronger grader (ingest/graders/math-audit.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { auditPool } from "../../audit/audit-pool.js";
import { parseAdjudications } from "../../audit/adjudications.js";
import { errataFor, parseGsm8kErrata } from "../../audit/errata.js";
import { mathStrongerGrader } from "../../audit/math-grader.js";
import { looksTruncated } from "../../audit/truncation.js";
import { AuditParams } from "../../audit/types.js";
import { buildPoolMatrix } from "../../core/build-pool.js";
import type { CanonicalRow, CanonicalTable } from "../../core/canonical-table.js";
import { PoolParams } from "../../core/build-pool.js";

const MODELS = ["m1", "m2", "m3", "m4", "m5", "m6"];

/** A pool where item "ok" is solved by everyone and each other item is all-wrong with the given answers. */
function pool(items: Record<string, { gold: string; answers: (string | null)[]; responses?: string[] }>) {
  const rows: CanonicalRow[] = [];
  for (const [m, model] of MODELS.entries()) {
    rows.push({ task: "t", item_id: "t-ok", model, sample: 0, provider: `p${m}`, answer: "1", gold: "1", correct: 1, meta: { question_sha256: "q-ok" } });
    for (const [id, spec] of Object.entries(items)) {
      const answer = spec.answers[m];
      rows.push({
        task: "t", item_id: `t-${id}`, model, sample: 0, provider: `p${m}`, gold: spec.gold, correct: 0,
        ...(answer === null ? {} : { answer }),
        ...(spec.responses ? { response: spec.responses[m] } : {}),
        meta: { question_sha256: `q-${id}` },
      });
    }
  }
  const table: CanonicalTable = { task: "t", source: { adapter: "fixture", files: [] }, rows, warnings: [] };
  return { rows, matrix: buildPoolMatrix([table], PoolParams.parse({ name: "t", items: "common" })) };
}

const math = AuditParams.parse({ answers: "math", consensusMinModels: 3, consensusShare: 0.6 });

test("the first check that fires classes the item; the audited matrix regrades or removes it", () => {
  const { rows, matrix } = pool({
    // grader defect: the reference is written with a unit and a thousands separator; one model matches it
    unit: { gold: "10,\\!080 \\text{ inches}", answers: ["10080", "7", "8", "9", "10", "11"] },
    // consensus: 5 of 6 give 12 (different from the gold for the stronger grader too) -> reference error
    cons: { gold: "21", answers: ["12", "12", "12", "12", "12", "3"] },
    // nothing applies: answers scattered, all checked -> genuine
    hard: { gold: "5", answers: ["1", "2", "3", "4", "6", "7"] },
    // truncation: 4 of 6 responses stop inside the JSON object with no answer
    cut: {
      gold: "2", answers: [null, null, null, null, "3", "4"],
      responses: ['{"reasoning": "long', '{"reasoning": "longer', '{"reasoning": "x', '{"reasoning": "y', '{"answer": "3"}', '{"answer": "4"}'],
    },
  });
  const { report, matrix: audited } = auditPool({ matrix, rows, params: math, errata: [], decisions: [], grader: mathStrongerGrader });
  const cls = Object.fromEntries(report.items.map((i) => [i.evidence.item, [i.verdict.class, i.verdict.check]]));
  assert.deepEqual(cls, {
    "t-unit": ["grader defect", "grader"], "t-cons": ["reference error", "consensus"], "t-hard": ["genuine", "none"], "t-cut": ["truncation", "truncation"],
  });
  const cons = report.items.find((i) => i.evidence.item === "t-cons")!;
  assert.deepEqual(cons.evidence.modal, { answer: "12", count: 5, share: 5 / 6 });
  assert.equal(cons.verdict.correctedAnswer, "12");
  // unit: m1 becomes right; cons: the five models giving 12 become right; cut: removed (undecidable); hard stays.
  assert.equal(audited.pool, "t-audited");
  assert.deepEqual(report.audited.regraded.sort(), ["t-cons", "t-unit"]);
  assert.deepEqual(report.audited.removed, ["t-cut"]);
  assert.deepEqual(audited.items, ["t-cons", "t-hard", "t-ok", "t-unit"]);
  assert.equal(report.audited.allWrong, 1);
  const col = (id: string) => audited.items.indexOf(id);
  const right = (id: string) => audited.models.filter((_, m) => audited.correct[m]![col(id)] === 1).sort();
  assert.deepEqual(right("t-unit"), ["m1"]);
  assert.deepEqual(right("t-cons"), ["m1", "m2", "m3", "m4", "m5"]);
  // Models stay in accuracy order.
  const acc = audited.correct.map((r) => r.reduce<number>((s, v) => s + v, 0));
  assert.deepEqual(acc, [...acc].sort((a, b) => b - a));
});

test("a published erratum outranks consensus; a person's decision outranks everything", () => {
  const { rows, matrix } = pool({
    a: { gold: "81", answers: ["135", "135", "135", "135", "135", "135"] },
    b: { gold: "7", answers: ["1", "2", "3", "4", "5", "6"] },
  });
  const errata = parseGsm8kErrata(
    "benchmark,our_item_id,source_item_ref,gold_in_our_data,corrected_answer,status,source_note\n" +
    "gsm8k,a,row 1,81,135,wrong,Platinum: relabeled\n", "errata.csv");
  const decisions = parseAdjudications(
    "version: 1\ndecisions:\n  - { pool: t, item: t-b, class: ambiguous, reason: two readings, who: tester }\n", "adj.yaml").decisions;
  const { report } = auditPool({ matrix, rows, params: { ...math, errata: ["gsm8k-errata"] }, errata, decisions, grader: mathStrongerGrader });
  const v = Object.fromEntries(report.items.map((i) => [i.evidence.item, i.verdict]));
  assert.equal(v["t-a"]!.class, "reference error");
  assert.equal(v["t-a"]!.check, "erratum");
  assert.equal(v["t-a"]!.correctedAnswer, "135");
  assert.deepEqual([v["t-b"]!.class, v["t-b"]!.by, v["t-b"]!.who], ["ambiguous", "person", "tester"]);
  assert.equal(report.counts.person, 1);
  assert.deepEqual(report.audited.removed, ["t-b"]);
});

test("without a stronger grader or answers the item is unaudited and says what was missing", () => {
  const { rows, matrix } = pool({ x: { gold: "B", answers: ["A", "A", "A", "A", "C", "D"] } });
  const { report } = auditPool({ matrix, rows, params: AuditParams.parse({ answers: "choice", consensusMinModels: 3 }), errata: [], decisions: [] });
  const v = report.items[0]!.verdict;
  assert.equal(v.class, "unaudited");
  assert.ok(v.missing.includes("a stronger grader for this pool"), v.missing.join("; "));
  // Consensus alone (4 of 6 on A) is evidence, not a class, without a grader to confirm it.
  assert.ok(v.missing.includes("a stronger grader to confirm the consensus answer"));
  assert.equal(report.audited.allWrong, 1);
});

test("answers are redacted to hashes when the pool asks (GPQA free response)", () => {
  const { rows, matrix } = pool({ x: { gold: "secret gold text", answers: ["some answer text", "other", "x", "y", "z", "w"] } });
  const { report } = auditPool({ matrix, rows, params: AuditParams.parse({ answers: "choice", redactAnswers: true }), errata: [], decisions: [] });
  const text = JSON.stringify(report);
  assert.ok(!text.includes("secret gold text") && !text.includes("some answer text"));
  assert.match(report.items[0]!.evidence.gold!, /^sha256:[0-9a-f]{16}$/);
});

test("a decision for an item that is not all-wrong, a bad class or a duplicate is an error naming file and place", () => {
  const { rows, matrix } = pool({ x: { gold: "1", answers: ["2", "3", "4", "5", "6", "7"] } });
  const decisions = parseAdjudications("version: 1\ndecisions:\n  - { pool: t, item: t-ok, class: genuine, reason: r, who: w }\n", "adj.yaml").decisions;
  assert.throws(() => auditPool({ matrix, rows, params: math, errata: [], decisions: decisions.map((d) => ({ ...d, file: "adj.yaml" })), grader: mathStrongerGrader }),
    /adj\.yaml: the decision for pool t, item t-ok: not an all-wrong item/);
  assert.throws(() => parseAdjudications("version: 1\ndecisions:\n  - pool: t\n    item: x\n    class: wrong-ish\n    reason: r\n    who: w\n", "adj.yaml"),
    /^Error: adj\.yaml:3:5: decisions\[0\]\.class: /);
  assert.throws(() => parseAdjudications("version: 1\ndecisions:\n  - { pool: t, item: x, class: genuine, reason: r, who: w }\n  - { pool: t, item: x, class: ambiguous, reason: r, who: w }\n", "adj.yaml"),
    /adj\.yaml:4:5: decisions\[1\]: a second decision for pool t, item x \(first at adj\.yaml:3:5\)/);
  assert.throws(() => parseAdjudications("version: 1\ndecisions: [\n", "adj.yaml"), /^Error: adj\.yaml:\d+:\d+: /);
  assert.throws(() => parseAdjudications("version: 2\ndecisions: []\n", "adj.yaml"), /key "version": expected 1/);
});

test("truncation signs and errata lookup by id, by question hash", () => {
  assert.equal(looksTruncated('{"reasoning": "we compute', false), true);
  assert.equal(looksTruncated('{"reasoning": "x", "answer": ""}', false), false);
  assert.equal(looksTruncated('{"reasoning": "we compute', true), false);
  const errata = [
    { source: "s", ref: "r1", status: "wrong" as const, correctedAnswer: "2", itemId: "gsm8k-main-test-#4" },
    { source: "s", ref: "r2", status: "ambiguous item" as const, correctedAnswer: null, questionSha256: "abc" },
  ];
  assert.deepEqual(errataFor(errata, "gsm-gsm8k-main-test-#4", undefined).map((e) => [e.ref, e.matchedBy]), [["r1", "item-id"]]);
  assert.deepEqual(errataFor(errata, "gsm-gsm8k-main-test-#14", undefined), []);
  assert.deepEqual(errataFor(errata, "x", "abc").map((e) => [e.ref, e.matchedBy]), [["r2", "question-sha256"]]);
});
