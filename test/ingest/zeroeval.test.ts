import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import type { InputFile } from "../../engine/types.js";
import zeroeval, { pctFixed2, zeroEvalDisplayName } from "../../ingest/adapters/zeroeval.js";
import { zeroEvalExtract, zeroEvalSanitize, zeroEvalVerdict } from "../../ingest/adapters/zeroeval-rule.js";
import { pyEvalArithmetic, pyFloatRepr, pyJsonLoads, pyStr } from "../../ingest/python.js";
import { parseModelRegistry } from "../../core/model-registry.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const fx = join(root, "test/fixtures/data/zeroeval");
const file = (name: string): InputFile => ({ name: `tiny/${name}`, path: join(fx, name), sha256: "0".repeat(64) });
const registry = parseModelRegistry(readFileSync(join(root, "test/fixtures/data/models.yaml"), "utf8"), "models.yaml");

test("Python compatibility: float repr, str of parsed JSON, arithmetic eval", () => {
  assert.equal(pyFloatRepr(0.75), "0.75");
  assert.equal(pyFloatRepr(42), "42.0");
  assert.equal(pyFloatRepr(1e16), "1e+16");
  assert.equal(pyFloatRepr(1.5e-5), "1.5e-05");
  assert.equal(pyFloatRepr(10 / 3), "3.3333333333333335");
  assert.equal(pyStr(pyJsonLoads('{"a": [1, 2.0, "x", null, true]}')), "{'a': [1, 2.0, 'x', None, True]}");
  assert.equal(pyStr(pyJsonLoads("12345678901234567890123")), "12345678901234567890123");
  assert.equal(pyStr(pyJsonLoads("NaN")), "nan");
  assert.throws(() => pyJsonLoads('{"a": "\\sqrt"}'), /Invalid \\escape/);
  assert.equal(pyEvalArithmetic("3/4"), 0.75);
  assert.equal(pyEvalArithmetic("-(1+2)/4**2"), -3 / 16);
  assert.equal(pyEvalArithmetic("7//2"), 3);
  assert.equal(pyEvalArithmetic("07/2"), undefined, "leading zero is a SyntaxError in Python 3");
  assert.equal(pyEvalArithmetic("1/0"), undefined);
  assert.equal(pyEvalArithmetic("3/4 \\pi"), undefined);
  assert.equal(pyEvalArithmetic("x/2"), undefined);
});

test("ZeroEval rule: extraction order and the lenient first-number comparison", () => {
  // First complete JSON object, newlines removed before parsing.
  assert.equal(zeroEvalExtract('blah {"reasoning": "a\nb", "answer": 12} {"answer": 13}', "m"), "12");
  // A first object that does not parse falls back to the regexes (first quoted "answer").
  assert.equal(zeroEvalExtract('{"answer": "\\sqrt{2}"} then {"answer": "9"}', "m"), "\\sqrt{2}");
  assert.equal(zeroEvalExtract("answer: 42, done", "m"), "42");
  // \boxed only for Llama-3.1 files, only if "boxed" is in the last 30 characters, only [\w\d]+ content.
  assert.equal(zeroEvalExtract("so $\\boxed{36}$", "Meta-Llama-3.1-8B-Instruct"), "36");
  assert.equal(zeroEvalExtract("so $\\boxed{36}$", "gemma-2-9b-it"), undefined);
  assert.equal(zeroEvalExtract("so $\\boxed{-36}$", "Meta-Llama-3.1-8B-Instruct"), undefined);
  assert.equal(zeroEvalSanitize(" $1,000$ "), "1000");
  assert.equal(zeroEvalSanitize("3/4"), "0.75");
  assert.equal(zeroEvalVerdict('{"answer": "3/4 \\\\pi"}', "3/4", "m").correct, 0, "3/4 -> 0.75 for the gold, 3 for the answer");
  assert.equal(zeroEvalVerdict('{"answer": "6\\\\sqrt{2}"}', "6", "m").correct, 1, "first number only");
  assert.equal(zeroEvalVerdict('{"answer": "-221_3"}', "-221_3", "m").correct, 1);
  assert.equal(zeroEvalVerdict('{"answer": "72"}', "# 72", "m").correct, 1);
  assert.equal(zeroEvalVerdict("no json", "5", "m").correct, 0);
});

test("display names follow ZeroEval's model_name_replacement", () => {
  assert.equal(zeroEvalDisplayName("Meta-Llama-3.1-405B-Instruct@hyperbolic"), "Llama-3.1-405B-Inst@hyperbolic");
  assert.equal(zeroEvalDisplayName("gemma-2-27b-it@together"), "gemma-2-27b-it");
  assert.equal(zeroEvalDisplayName("Qwen2-72B-Instruct"), "Qwen2-72B-Instruct");
  assert.equal(pctFixed2(2, 3), "66.67");
});

test("adapter on fixtures: rows, registry names, source verdicts, summary check", async () => {
  const warnings: string[] = [];
  const rows = await zeroeval({
    task: "tiny", options: {}, models: registry, warn: (m) => warnings.push(m),
    files: [file("Meta-Llama-3.1-8B-Instruct.json"), file("ModelA.json"), file("tiny.summary.json")],
  });
  assert.equal(rows.length, 7);
  const a = rows.filter((r) => r.model === "Model A");
  assert.deepEqual(a.map((r) => r.item_id), ["tiny-0", "tiny-1", "tiny-2", "tiny-3"]);
  assert.deepEqual(a.map((r) => r.source_verdict), [1, 1, 1, 0], "6\\sqrt{2} counts as 6 under the first-number rule");
  assert.equal(a[0]!.provider, "Acme");
  assert.equal(a[3]!.gold, "1,200");
  assert.equal(a[2]!.meta?.source_answer, "6\\sqrt{2}");
  const llama = rows.filter((r) => r.model === "Llama-3.1-8B-Instruct");
  assert.deepEqual(llama.map((r) => r.source_verdict), [1, 0, 1]);
  assert.deepEqual(warnings, [], "recomputed Acc matches the fixture summary");
});

test("adapter: a summary that disagrees is reported", async () => {
  const warnings: string[] = [];
  await zeroeval({ task: "tiny", options: {}, models: registry, warn: (m) => warnings.push(m), files: [file("Dup.json"), file("tiny.summary.json")] });
  assert.ok(warnings.some((w) => /no summary row for Dup/.test(w)), warnings.join("\n"));
});

test("adapter: truncated JSON names the file and the position; empty file is an error", async () => {
  const ctx = { task: "tiny", options: {}, models: registry, warn: () => {} };
  await assert.rejects(zeroeval({ ...ctx, files: [file("Truncated.json")] }),
    /tiny\/Truncated\.json: invalid JSON at line 3, column 33 \(char \d+\): file ends early \(truncated\?\)/);
  await assert.rejects(zeroeval({ ...ctx, files: [file("Empty.json")] }), /tiny\/Empty\.json: empty file/);
  await assert.rejects(zeroeval({ ...ctx, files: [file("tiny.summary.json")] }), /no model result files/);
});

// The re-implemented rule must reproduce the source's own summary, row for row, on the real data.
const mirror = join(root, "../shared/data");
for (const task of ["math-l5", "gsm"]) {
  const dir = join(mirror, `zeroeval-${task}/raw/result_dirs`);
  test(`ZeroEval rule reproduces Acc, No answer and Total of every ${task}.summary.json row`, { skip: !existsSync(dir) && "no data mirror" }, () => {
    const summary = new Map((JSON.parse(readFileSync(join(dir, `${task}.summary.json`), "utf8")) as Array<Record<string, unknown>>).map((r) => [r.Model, r]));
    const files = readdirSync(join(dir, task)).filter((f) => f.endsWith(".json.gz")).sort();
    assert.equal(files.length, task === "gsm" ? 44 : 43);
    for (const f of files) {
      const model = f.replace(/\.json\.gz$/, "");
      const data = JSON.parse(gunzipSync(readFileSync(join(dir, task, f))).toString("utf8")) as Array<{ output: string[]; answer: string }>;
      let solved = 0;
      let noAnswer = 0;
      for (const it of data) {
        const v = zeroEvalVerdict(it.output[0]!, it.answer, model);
        solved += v.correct;
        if (v.answer === undefined) noAnswer++;
      }
      const row = summary.get(zeroEvalDisplayName(model));
      assert.ok(row, `summary row for ${model}`);
      assert.deepEqual({ acc: pctFixed2(solved, data.length), noAnswer: pctFixed2(noAnswer, data.length), total: data.length },
        { acc: row.Acc, noAnswer: row["No answer"], total: row.Total }, model);
    }
  });
}
