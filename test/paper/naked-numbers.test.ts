import { test } from "node:test";
import assert from "node:assert/strict";
import { findNakedNumbers, findNakedNumbersInText } from "../../paper/render/naked-numbers.js";

const naked = (md: string, allow?: string[]) => findNakedNumbers(md, allow).map((n) => `${n.line}:${n.number}`);

test("plain numbers in prose are naked, wherever they hide", () => {
  assert.deepEqual(naked("We use k = 17 models."), ["1:17"]);
  assert.deepEqual(naked("beta was 5.2% (k=17)"), ["1:5.2", "1:17"]);
  assert.deepEqual(naked("a 2.5× underpricing, 2x faster, 3rd best"), ["1:2.5", "1:2x", "1:3rd"]);
  assert.deepEqual(naked("from 1,319 items; 90 percent CI 1.7 to 3.4."), ["1:1,319", "1:90", "1:1.7", "1:3.4"]);
  assert.deepEqual(naked("Observed beta is 0.052."), ["1:0.052"]);
  assert.deepEqual(naked("**17** models and _0.5_"), ["1:17", "1:0.5"]);
  assert.deepEqual(naked("| pool | 43 |\n|---|---|"), ["1:43"]);
  assert.deepEqual(naked("> quoted 12 without a published marker"), ["1:12"]);
  assert.deepEqual(naked("- item with 3 models"), ["1:3"]);
  assert.deepEqual(naked("Section 3 says"), ["1:3"]);
});

test("years, citations, section refs, headings, list markers and names are allowed", () => {
  assert.deepEqual(naked("(Clopper and Pearson, 1934; Hendrycks et al. 2021a) and 2019-2024 and AIME 2025."), []);
  assert.deepEqual(naked("see §3 and §4.2"), []);
  assert.deepEqual(naked("## 3. Results\n### 3.2 Method"), []);
  assert.deepEqual(naked("1. first\n2) second\n  10. tenth"), []);
  assert.deepEqual(naked("GPT-4o, Llama-3.1-405B, o1-preview, gsm8k, math-l5, Qwen2.5-72B-Instruct, GPQA-Diamond, top-1."), []);
});

test("headings are checked after their own numbering", () => {
  assert.deepEqual(naked("## 3. Results on 43 models"), ["1:43"]);
});

test("code, comments, placeholders, links and published blocks are not prose", () => {
  assert.deepEqual(naked("`k = 17` and {{math-l5.n.models}} and {{math-l5.beta|pct:1}}"), []);
  assert.deepEqual(naked("```\nx = 42\n```\n<!-- 0.5 -->\n<!--\n17\n-->"), []);
  assert.deepEqual(naked("[data](https://github.com/x/y/blob/8c1485e/a12.json) and <https://example.org/3>"), []);
  assert.deepEqual(naked(":::published Chen (2026)\nbeta is 0.052 versus 0.023\n:::\nafter 0.1"), ["4:0.1"]);
  assert.deepEqual(naked("escaped \\`17\\` is still prose"), ["1:17"]);
});

test("the allow-list masks whole phrases only", () => {
  assert.deepEqual(naked("Claude 3.5 Sonnet and Gemini 1.5 Pro"), []);
  assert.deepEqual(naked("Claude 3.5 is not on the list", []), ["1:3.5"]);
  assert.deepEqual(naked("Mistral 7 models", ["Mistral 7"]), []);
});

test("errors name the line, column and the number", () => {
  const [n] = findNakedNumbers("# T\n\nWe keep k = 17 here.");
  assert.deepEqual({ line: n!.line, column: n!.column, number: n!.number, context: n!.context }, { line: 3, column: 13, number: "17", context: "We keep k = 17 here." });
});

test("captions are checked on their own", () => {
  assert.deepEqual(findNakedNumbersInText("Beta of the best k models (2025 data)").map((n) => n.number), []);
  assert.deepEqual(findNakedNumbersInText("k = 17").map((n) => n.number), ["17"]);
});
