import assert from "node:assert/strict";
import { test } from "node:test";
import type { CanonicalRow } from "../../core/canonical-table.js";
import grader, { gradeMathRow } from "../../ingest/graders/math.js";
import { answersMatch, extractFinalAnswer, jsonAnswer, lastBoxed, normalizeAnswer } from "../../ingest/graders/math-answer.js";
import { evaluateMath } from "../../ingest/graders/math-expr.js";

test("evaluateMath: fractions, roots, pi, implicit products, mixed numbers; rejects non-numbers", () => {
  assert.equal(evaluateMath("\\frac{3}{4}"), 0.75);
  assert.equal(evaluateMath("\\frac12"), 0.5);
  assert.equal(evaluateMath("-3/4"), -0.75);
  assert.equal(evaluateMath("2\\sqrt{9}"), 6);
  assert.equal(evaluateMath("\\sqrt[3]{27}"), 3);
  assert.equal(evaluateMath("2^{10}"), 1024);
  assert.equal(evaluateMath("3\\pi"), 3 * Math.PI);
  assert.equal(evaluateMath("2\\frac{1}{2}"), 2.5, "mixed number");
  assert.equal(evaluateMath("(1+2)(3)"), 9);
  assert.equal(evaluateMath("7 \\cdot 3"), 21);
  assert.equal(evaluateMath("1 000"), undefined, "two bare numbers are not a product");
  assert.equal(evaluateMath("2x"), undefined);
  assert.equal(evaluateMath("1/0"), undefined);
  assert.equal(evaluateMath("\\sin(2)"), undefined);
});

test("extraction: JSON answer (raw LaTeX kept, last value of a repeated key), boxed, answer lines", () => {
  assert.equal(jsonAnswer('```json\n{"reasoning": "r", "answer": "\\frac{1}{2}"}\n```'), "\\frac{1}{2}");
  assert.equal(jsonAnswer('{"reasoning": "a", "answer": "x", "reasoning": "b", "answer": "85"}'), "85");
  assert.equal(jsonAnswer('{"answer": 42}\n\n## Question: next\n{"answer": "___"}'), "42", "later invented questions are ignored");
  assert.equal(jsonAnswer('{"answer": "\\\\sqrt{2}"}'), "\\sqrt{2}", "escaped backslashes decoded");
  assert.equal(lastBoxed("a \\boxed{1} then \\boxed{\\frac{2}{3}}"), "\\frac{2}{3}");
  assert.equal(extractFinalAnswer('{"answer": "\\boxed{12}"}'), "12");
  assert.equal(extractFinalAnswer("so the result is $\\boxed{-221_3}$."), "-221_3");
  assert.equal(extractFinalAnswer("work...\nThe final answer is 17."), "17");
  assert.equal(extractFinalAnswer("work...\n**Answer:** 9"), "9");
  assert.equal(extractFinalAnswer("no answer here"), undefined);
});

test("normalisation strips presentation only", () => {
  assert.equal(normalizeAnswer("$\\text{12}$"), "12");
  assert.equal(normalizeAnswer("45^\\circ"), "45");
  assert.equal(normalizeAnswer("20\\%"), "20");
  assert.equal(normalizeAnswer("**7**"), "7");
  assert.equal(normalizeAnswer('"5"'), "5");
  assert.equal(normalizeAnswer("\\dfrac{1}{2}"), "\\frac{1}{2}");
  assert.equal(normalizeAnswer("-221_3"), "-221_3");
});

test("answersMatch: numbers, fractions, units, base-n, and the strict cases", () => {
  const yes: Array<[string, string]> = [
    ["1,200", "1200"], ["$1,200.00", "1200"], ["$118 000", "118000"], ["12.0", "12"], ["\\frac{6}{2}", "3"],
    ["6/2", "3"], ["48g", "48"], ["5 pounds/day", "5"], ["€77", "77"], ["2:00 pm", "2"], ["−128", "-128"],
    ["2 + 8 + 6 = 16", "16"], ["27+18", "45"], ["Anne is 8 years old.", "8"], ["x = 5", "5"],
    ["-221_3", "-221_3"], ["-221_{3}", "-221_3"], ["-221", "-221_3"], ["100100_b", "100100"], ["1011_2", "11"],
    ["\\sqrt{16}", "4"], ["7^{6}", "117649"], ["4 (3 onions and 1 potato)", "4"],
  ];
  for (const [a, g] of yes) assert.equal(answersMatch(a, g), true, `${a} ~ ${g}`);
  const no: Array<[string, string]> = [
    ["6\\sqrt{2}", "6"], ["6√2", "6"], ["2, -1", "2"], ["12 or 13", "12"], ["-1 + i", "-1"], ["3/4 \\pi", "3/4"],
    ["2:10 pm", "2"], ["-25", "-221_3"], ["-221_{10}", "-221_3"], ["221_3", "-221_3"], ["31.\\overline{6}", "31"],
    ["It costs $3 more than $5", "3"], ["x = 5 or x = -1", "-1"], ["0.333", "\\frac{1}{3}"], ["", "0"],
    ["4x^2", "4"], ["-7k", "-7"], ["2016, which is 2^4 \\cdot 3^2", "2016"],
  ];
  for (const [a, g] of no) assert.equal(answersMatch(a, g), false, `${a} !~ ${g}`);
});

const row = (response: string | undefined, gold?: string): CanonicalRow => ({
  task: "t", item_id: "t-0", model: "m", sample: 0, provider: "p", ...(response === undefined ? {} : { response }), ...(gold === undefined ? {} : { gold }),
});

test("grader: sets answer and correct; no extractable answer is wrong; missing gold is an error", () => {
  const r = gradeMathRow(row('{"reasoning": "r", "answer": "$\\\\frac{10}{2}$"}', "5"));
  assert.equal(r.answer, "$\\frac{10}{2}$");
  assert.equal(r.correct, 1);
  const none = gradeMathRow(row("I do not know", "5"));
  assert.equal(none.correct, 0);
  assert.equal(none.answer, undefined);
  assert.throws(() => gradeMathRow(row("x", undefined)), /math grader: row for item "t-0", model "m" has no gold answer/);
  // A row without a response (source gave only the extracted answer) is graded on that answer.
  assert.equal(gradeMathRow({ ...row(undefined, "7"), answer: "7" }).correct, 1);
  assert.equal(grader([row('{"answer": "3"}', "3"), row('{"answer": "4"}', "3")], { options: {}, warn: () => {} }).map((x) => x.correct).join(), "1,0");
});
