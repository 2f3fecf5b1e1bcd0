// `cofail status` text fits the terminal: reasons condensed and wrapped, nothing lost; "did you mean" picks the
// nearest names.
import { test } from "node:test";
import assert from "node:assert/strict";
import { condenseReasons, statusText } from "../../cli/status-text.js";
import { closest, didYouMean } from "../../engine/suggest.js";
import type { TaskStatus } from "../../engine/index.js";

test("on a terminal, status lines are wrapped to its width with a hanging indent, and a code change is listed once", () => {
  const files = Array.from({ length: 40 }, (_, i) => `stages/module-number-${i}.ts`);
  const inputs = `input results changed (upstream ${Array.from({ length: 60 }, (_, i) => `stage-${i}`).join(", ")})`;
  const status: TaskStatus[] = [
    { stage: "paper", state: "run", key: "k", reasons: [...files.map((f) => `code file ${f} changed`), "param allow: [] -> [\"x\"]", inputs] },
    { stage: "ingest", partition: "gpt-4o", state: "up-to-date", key: "k", reasons: [] },
    { stage: "grade", partition: "gpt-4o", state: "restore", key: "k", reasons: ["output missing or modified in build/"] },
  ];
  const text = statusText(status, 72);
  const lines = text.split("\n");
  assert.ok(lines.every((l) => l.length <= 72), text);
  assert.match(lines[0]!, /^ {2}will run {4}paper: code changed: stages\/module-number-0\.ts,/);
  assert.ok(lines.slice(1).findIndex((l) => !l.startsWith(" ".repeat(14))) > 0, "continuation lines are indented");
  const flat = text.replace(/\n {14}/g, " ");
  assert.match(flat, /and 37 more files; param allow: \[\] -> \["x"\]; input results changed \(upstream stage-0, .* stage-59\)/);
  assert.match(text, /\n {2}up to date {2}ingest\[gpt-4o\]\n {2}restorable {2}grade\[gpt-4o\]: output missing or modified in build\/\n2 of 3 tasks stale$/);
  assert.equal(statusText(status).split("\n").length, 4, "not a terminal: whole lines");
  assert.deepEqual(condenseReasons(["code file a changed", "code file b changed", "never run"]), ["code file a changed", "code file b changed", "never run"]);
});

test("did you mean: near names by edit distance or containment, closest first; nothing for a far one", () => {
  const ids = ["math-l5.beta", "math-l5.beta.cp95.upper", "math-l5.ceiling", "gsm.beta", "aime.beta"];
  assert.deepEqual(closest("math-l5.bta", ids), ["math-l5.beta"]);
  assert.deepEqual(closest("gsm.beat", ids), ["gsm.beta"]);
  assert.deepEqual(closest("MATH-L5.BETA", ["math-l5.beta", "x"]), [], "the same name in another case is not a suggestion");
  assert.deepEqual(closest("copula", ["copula-gsm", "copula-lcb", "beta-k-gsm"]), ["copula-gsm", "copula-lcb"]);
  assert.equal(didYouMean("totally-else", ids), "");
  assert.equal(didYouMean("grde", ["grade", "pool"]), ` (did you mean "grade"?)`);
  assert.equal(didYouMean("cofailur", ["cofailure", "cofailure-gsm"]), ` (did you mean "cofailure" or "cofailure-gsm"?)`);
});
