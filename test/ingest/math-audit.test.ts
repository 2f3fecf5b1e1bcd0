import assert from "node:assert/strict";
import { test } from "node:test";
import type { CanonicalRow } from "../../core/canonical-table.js";
import { GRADERS, loadGrader } from "../../ingest/graders/index.js";
import grader, {
  extractFinalAnswer, gradeMathAuditRow, mathAnswersEquivalent, normalizeMathAnswer, splitTopLevel, type EquivalenceRule,
} from "../../ingest/graders/math-audit.js";
import { casEquivalent, casReadable } from "../../ingest/graders/math-audit-cas.js";

const expectRule = (answer: string, gold: string, equivalent: boolean, rule: EquivalenceRule) =>
  assert.deepEqual(mathAnswersEquivalent(answer, gold), { equivalent, rule }, `${answer} vs ${gold}`);

test("extractFinalAnswer: balanced-brace boxed/fbox (the last one), answer lines, ####, no marker", () => {
  assert.deepEqual(extractFinalAnswer("so $\\boxed{\\frac{3\\sqrt{3}}{4}}$."), { answer: "\\frac{3\\sqrt{3}}{4}", marker: "boxed" });
  assert.deepEqual(extractFinalAnswer("first \\boxed{1}, then \\boxed{\\frac{\\sqrt{3}}{3}}"), { answer: "\\frac{\\sqrt{3}}{3}", marker: "boxed" });
  assert.deepEqual(extractFinalAnswer("\\fbox{-2, 1}"), { answer: "-2, 1", marker: "fbox" });
  assert.deepEqual(extractFinalAnswer("work\n**Answer:** 9."), { answer: "9", marker: "answer-line" });
  assert.deepEqual(extractFinalAnswer("work\nThe final answer is $\\frac{1}{2}$."), { answer: "$\\frac{1}{2}$", marker: "answer-line" });
  assert.deepEqual(extractFinalAnswer("Natalia sold 48 + 24 = 72 clips.\n#### 72"), { answer: "72", marker: "####" });
  assert.deepEqual(extractFinalAnswer("####\n1,200\n"), { answer: "1,200", marker: "####" });
  assert.deepEqual(extractFinalAnswer("I think it is 3, maybe 4"), { answer: null, marker: null });
  assert.deepEqual(extractFinalAnswer("I think it is 3, maybe 4", { lastNumber: true }), { answer: "4", marker: "last-number" });
  // The ZeroEval prompt's JSON object: its "answer" wins over a \boxed{} in the reasoning.
  assert.deepEqual(extractFinalAnswer('{"reasoning": "so \\boxed{6}", "answer": "\\boxed{\\frac{1}{2}}"}'), { answer: "\\frac{1}{2}", marker: "json-answer" });
  assert.deepEqual(extractFinalAnswer('{"reasoning": "so \\boxed{6}", "answer": "7"}'), { answer: "7", marker: "json-answer" });
});

test("normalizeMathAnswer: Hendrycks strip_string plus the audit's extensions", () => {
  const cases: Array<[string, string]> = [
    ["x=5", "5"], ["b = 4", "4"], ["k(x) = -\\frac{1}{2x}", "-\\frac{1}{2x}"], ["y_1=3", "3"],
    ["10,\\!080", "10080"], ["11,\\! 111,\\! 111,\\! 100", "11111111100"], ["1,000,000", "1000000"], ["\\$32,\\!348", "32348"],
    ["1,2", "1,2"], ["1, 234", "1,234"],
    ["864 \\mbox{ inches}^2", "864"], ["5.4 \\text{ cents}", "5.4"], ["1599 \\text{ dollars}", "1599"], ["12\\text{ sq. units}", "12"],
    ["\\frac{270}7\\text{ degrees}", "\\frac{270}{7}"], ["\\text{Devon}", "Devon"], ["\\mbox{(C)}", "(C)"],
    ["145^\\circ", "145"], ["30^{\\circ}", "30"], ["20\\%", "20"], ["35%", "35"],
    [".5", "0.5"], ["-.25", "-0.25"], ["\\{.5\\}", "\\{0.5\\}"],
    ["\\sqrt3", "\\sqrt{3}"], ["11\\sqrt2", "11\\sqrt{2}"], ["\\frac{\\sqrt3}{3}", "\\frac{\\sqrt{3}}{3}"],
    ["\\frac43", "\\frac{4}{3}"], ["\\frac 59", "\\frac{5}{9}"], ["\\frac9{19}", "\\frac{9}{19}"], ["-\\frac1{2x}", "-\\frac{1}{2x}"],
    ["3/4", "\\frac{3}{4}"], ["-3/4", "-\\frac{3}{4}"], ["\\dfrac{3 \\sqrt{3}}{4}", "\\frac{3\\sqrt{3}}{4}"], ["\\tfrac{1}{2}", "\\frac{1}{2}"],
    ["\\left( 3, \\frac{\\pi}{2} \\right)", "(3,\\frac{\\pi}{2})"], ["(-\\infty,\\,-8)\\,\\cup\\,(8,\\,\\infty)", "(-\\infty,-8)\\cup(8,\\infty)"],
    ["$$-2, 1$$", "-2,1"], ["288 \\pi", "288\\pi"], ["5.", "5"],
    ['"23"', "23"], ["**7**", "7"], ["___3___", "3"], ["5 hours", "5"], ["6 miles per hour", "6"], ["156kgs", "156"],
    ["48g", "48g"], ["4x", "4x"], ["5 apples", "5apples"],
  ];
  for (const [raw, want] of cases) assert.equal(normalizeMathAnswer(raw), want, raw);
});

test("rule normalized-equal: the original audit's own reference-format examples", () => {
  expectRule("5", "x=5", true, "normalized-equal");
  expectRule("10080", "10,\\!080", true, "normalized-equal");
  expectRule("864", "864 \\mbox{ inches}^2", true, "normalized-equal");
  expectRule("5.4", "5.4 \\text{ cents}", true, "normalized-equal");
  expectRule("\\frac{4}{3}", "\\frac43", true, "normalized-equal");
  expectRule("0.5", ".5", true, "normalized-equal");
  expectRule("k(x) = -\\dfrac{1}{2x}", "-\\frac1{2x}", true, "normalized-equal");
  expectRule("(-\\infty, -14) \\cup (-3, \\infty)", "(-\\infty, -14)\\cup(-3,\\infty)", true, "normalized-equal");
});

test("rule pm-expansion: \\pm is an unordered pair, either side, either order", () => {
  expectRule("1+\\sqrt{19}, 1-\\sqrt{19}", "1 \\pm \\sqrt{19}", true, "pm-expansion");
  expectRule("1 - \\sqrt{19},\\ 1 + \\sqrt{19}", "1 \\pm \\sqrt{19}", true, "pm-expansion");
  expectRule("1 \\pm \\sqrt{19}", "1+\\sqrt{19}, 1-\\sqrt{19}", true, "pm-expansion");
  expectRule("3-2\\sqrt2,\\ 3+2\\sqrt2", "3 \\pm 2 \\sqrt{2}", true, "pm-expansion");
  expectRule("3, -3", "\\pm 3", true, "pm-expansion");
  expectRule("1+\\sqrt{19}", "1 \\pm \\sqrt{19}", false, "different"); // half of the pair
  expectRule("1+\\sqrt{19}, 1-\\sqrt{17}", "1 \\pm \\sqrt{19}", false, "different");
});

test("rule unordered-list: comma / semicolon lists as sets; brackets keep tuples and intervals whole", () => {
  expectRule("-2, 1", "1,-2", true, "unordered-list");
  expectRule("3; 1; 2", "1, 2, 3", true, "unordered-list");
  expectRule("\\frac{1}{2}, 0.25", "\\frac14,.5", true, "unordered-list");
  expectRule("1, 2", "1, 2, 3", false, "different");
  assert.deepEqual(splitTopLevel("(3,4],(1,2)"), ["(3,4]", "(1,2)"]);
  assert.deepEqual(splitTopLevel("\\begin{pmatrix}1,2\\end{pmatrix}"), ["\\begin{pmatrix}1,2\\end{pmatrix}"]);
  expectRule("(2, 1)", "(1, 2)", false, "different"); // an ordered pair is not a set
});

test("rule numeric: plain numbers within a relative 1e-9, no rounding allowance", () => {
  expectRule("12.0", "12", true, "numeric");
  expectRule("0.75", "\\frac{3}{4}", true, "numeric");
  expectRule("-0.5", "-\\frac12", true, "numeric");
  expectRule("0.333", "\\frac{1}{3}", false, "different");
  expectRule("1000000.001", "1000000", false, "different");
});

test("rule symbolic: cases only the computer-algebra fallback decides", () => {
  expectRule("\\frac{\\sqrt{2}}{2}", "\\frac{1}{\\sqrt{2}}", true, "symbolic");
  expectRule("2\\sqrt{2}", "\\sqrt{8}", true, "symbolic");
  expectRule("\\frac{3}{4}\\sqrt{3}", "\\frac{3\\sqrt{3}}{4}", true, "symbolic");
  expectRule("\\frac{\\pi}{3}", "60\\pi/180", true, "symbolic");
  expectRule("2 \\times 7!", "10,\\!080", true, "symbolic");
  expectRule("(x+1)^2", "x^2+2x+1", true, "symbolic");
  expectRule("\\frac{a-1}{1-a}", "-1", true, "symbolic");
  expectRule("x+1", "x+2", false, "different");
  expectRule("6\\sqrt{2}", "6", false, "different");
  expectRule("3.14", "\\pi", false, "different");
});

test("negative cases stay different", () => {
  expectRule("3", "-3", false, "different");
  expectRule("-3", "3", false, "different");
  expectRule("12", "1,2", false, "different");
  expectRule("1,2", "12", false, "different");
  expectRule("\\frac{1}{2}", "2", false, "different");
  expectRule("(3,4)", "(3,4]", false, "different");
  expectRule("-1 + i", "-1", false, "different");
  expectRule("Devno", "\\text{Devon}", false, "different"); // prose never reaches the CAS (D*e*v*o*n commutes)
  expectRule("", "5", false, "no-answer");
});

test("the CAS guard: prose is skipped, unparsable LaTeX is cas-error, verdicts are stable", () => {
  assert.equal(casReadable("Devon"), false);
  assert.equal(casReadable("\\frac{\\sqrt{2}}{2}"), true);
  assert.equal(casReadable("x".repeat(301)), false);
  assert.equal(casEquivalent("Monday", "Tuesday"), "skipped");
  assert.equal(casEquivalent("\\frac{1}{", "2"), "error");
  expectRule("\\frac{1}{", "\\sqrt{2}", false, "cas-error");
  for (let i = 0; i < 3; i++) assert.equal(casEquivalent("\\sin^2 x+\\cos^2 x", "1"), "equal");
});

test("the real references a naive grader fails on (benchmark_errata.md) are all equivalent", () => {
  // reference -> answers the models gave, from the original audit's grader_resolved.json (math rows)
  const resolved: Array<[string, string[]]> = [
    ["\\frac43", ["\\frac{4}{3}", "\\dfrac{4}{3}", "4/3", "y=\\dfrac{4}{3}", "y = \\frac{4}{3}"]],
    ["\\frac{\\sqrt{3}}{3}", ["\\dfrac{\\sqrt3}{3}", "\\frac{\\sqrt3}{3}"]],
    ["\\frac{270}7\\text{ degrees}", ["\\frac{270}{7}", "270/7", "\\tfrac{270}{7}", "\\frac{270}{7}^\\circ"]],
    ["10,\\!080", ["10080", "7! \\times 2!", "2 \\times 7!"]],
    ["11,\\! 111,\\! 111,\\! 100", ["11111111100"]],
    ["288 \\pi", ["288\\pi"]], ["x=5", ["5", "x = 5"]], ["\\frac 59", ["\\frac{5}{9}", "5/9", "\\frac59"]],
    ["\\$32,\\!348", ["32348", "32,\\!348", "32,348"]], ["864 \\mbox{ inches}^2", ["864"]],
    ["3 \\pm 2 \\sqrt{2}", ["3 + 2\\sqrt{2}, 3 - 2\\sqrt{2}", "3-2\\sqrt2,\\ 3+2\\sqrt2", "3+2\\sqrt{2},\\,3-2\\sqrt{2}"]],
    ["5.4 \\text{ cents}", ["5.4", "5.4\\text{ cents}"]], ["\\frac9{19}", ["\\frac{9}{19}", "9/19"]],
    ["\\frac{3\\sqrt{3}}{4}", ["\\dfrac{3 \\sqrt{3}}{4}", "\\frac{3\\sqrt3}{4}"]],
    ["1 \\pm \\sqrt{19}", ["\\,1-\\sqrt{19},\\;1+\\sqrt{19}\\,", "1+\\sqrt{19},1-\\sqrt{19}"]],
    ["b=4", ["4", "b = 4"]], ["1599 \\text{ dollars}", ["1599"]], ["118 \\text{ dollars}", ["118"]], ["x = 3", ["3"]],
    ["(-\\infty,-2)\\cup (-2,3)\\cup (3,\\infty)", ["(-\\infty,\\ -2)\\ \\cup\\ (-2,\\ 3)\\ \\cup\\ (3,\\ \\infty)"]],
    ["-\\frac1{2x}", ["k(x) = -\\frac{1}{2x}", "k(x)=-\\frac1{2x}", "-\\dfrac{1}{2x}"]],
    ["\\left( 3, \\frac{\\pi}{2} \\right)", ["(3,\\tfrac{\\pi}{2})", "\\left(3,\\dfrac{\\pi}{2}\\right)"]],
    ["145^\\circ", ["145"]], ["(3,4]", ["(3, 4]"]], ["1,-2", ["-2, 1", "-2,\\ 1", "$$-2, 1$$"]],
    ["11\\sqrt2", ["11\\sqrt{2}"]], ["70 \\sqrt{2}", ["70\\sqrt{2}"]],
  ];
  for (const [gold, answers] of resolved) {
    for (const a of answers) assert.equal(mathAnswersEquivalent(a, gold).equivalent, true, `${a} vs ${gold}`);
  }
});

const row = (response: string | undefined, gold: string, answer?: string): CanonicalRow => ({
  task: "t", item_id: "t-1", model: "m", sample: 0, provider: "p", response, gold, ...(answer === undefined ? {} : { answer }),
});

test("the math-audit grader: registered, grades rows, records the answer, the rule and the marker", async () => {
  assert.ok(GRADERS.includes("math-audit"));
  assert.equal(await loadGrader("math-audit"), grader);
  const graded = grader([
    row("so $\\boxed{\\frac{3\\sqrt{3}}{4}}$", "\\frac{3\\sqrt{3}}{4}"),
    row("#### 10080", "10,\\!080"),
    row("Answer: 3", "-3"),
    row("no marker 5", "5"),
    row(undefined, "x=5", "5"),
  ], { options: {}, warn: () => {} });
  assert.deepEqual(graded.map((r) => r.correct), [1, 1, 0, 0, 1]);
  assert.deepEqual(graded.map((r) => r.answer), ["\\frac{3\\sqrt{3}}{4}", "10080", "3", undefined, "5"]);
  assert.deepEqual(graded.map((r) => r.meta?.audit_rule), ["normalized-equal", "normalized-equal", "different", "no-answer", "normalized-equal"]);
  assert.deepEqual(graded.map((r) => r.meta?.audit_marker), ["boxed", "####", "answer-line", "none", "answer-line"]);
  assert.equal(grader([row("no marker 5", "5")], { options: { lastNumber: true }, warn: () => {} })[0]!.correct, 1);
  assert.throws(() => gradeMathAuditRow({ ...row("1", "1"), gold: undefined }), /no gold answer/);
});
