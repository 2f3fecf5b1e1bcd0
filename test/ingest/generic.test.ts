import { test } from "node:test";
import assert from "node:assert/strict";
import generic from "../../ingest/adapters/generic.js";
import { fixture, runAdapter, tempFile } from "../support/adapter-harness.js";

test("generic CSV: RFC 4180 quoting, registry names, unknown model accepted with the file's provider and a warning", async () => {
  const { rows, warnings } = await runAdapter(generic, [fixture("generic/results.csv")], {}, "toy");
  assert.equal(rows.length, 5);
  const [a, b] = rows;
  assert.equal(a.model, "GPT-4o-2024-08-06");
  assert.equal(a.provider, "OpenAI");
  assert.equal(a.response, "The answer, after some thought, is 42.");
  assert.equal(b.response, 'Line one\nline two with "quotes"');
  assert.equal(b.model, "my-lab/SuperModel-7B");
  assert.equal(b.provider, "My Lab");
  assert.deepEqual(rows.map((r) => r.correct), [1, 0, 1, 0, 1]);
  assert.deepEqual(rows.map((r) => r.source_verdict), [1, 0, 1, 0, 1]);
  assert.equal(rows[4].sample, 1);
  assert.equal(warnings.filter((w) => w.includes("my-lab/SuperModel-7B") && w.includes("unknown")).length, 1);
});

test("generic: unknown model without a provider column gets provider unknown", async () => {
  const f = tempFile("g/unknown.csv", "item_id,model,sample,correct\nx1,NoSuchModel-1B,0,1\n");
  const { rows, warnings } = await runAdapter(generic, [f]);
  assert.equal(rows[0].provider, "unknown");
  assert.equal(rows[0].model, "NoSuchModel-1B");
  assert.match(warnings[0], /NoSuchModel-1B.*not in the model registry/);
});

test("generic JSONL: aliases resolve to one canonical name, metadata kept, other tasks skipped with a warning", async () => {
  const { rows, warnings } = await runAdapter(generic, [fixture("generic/results.jsonl")], {}, "toy");
  assert.equal(rows.length, 2);
  assert.deepEqual(rows.map((r) => r.model), ["Claude-3-Haiku", "Claude-3-Haiku"]);
  assert.deepEqual(rows[0].meta, { subject: "arithmetic", difficulty: "easy" });
  assert.deepEqual(rows.map((r) => r.correct), [1, 0]);
  assert.ok(warnings.some((w) => /skipped 1 rows whose task column is not "toy"/.test(w)));
});

test("generic: an item missing for one model is simply absent (no error, no filler row)", async () => {
  const f = tempFile("g/missing.csv", "item_id,model,sample,correct\nq1,gpt-4o,0,1\nq1,Claude-3-Haiku,0,0\nq2,gpt-4o,0,1\n");
  const { rows } = await runAdapter(generic, [f]);
  assert.deepEqual(rows.map((r) => `${r.item_id}/${r.model}`), ["q1/GPT-4o", "q1/Claude-3-Haiku", "q2/GPT-4o"]);
});

test("generic: hostile inputs fail with file, line and column", async () => {
  const head = "item_id,model,sample,correct\n";
  await assert.rejects(runAdapter(generic, [tempFile("g/dup.csv", `${head}q1,gpt-4o,0,1\nq1,openai/gpt-4o,0,0\n`)]),
    /g\/dup\.csv: line 3: duplicate row for item "q1", model "GPT-4o", sample 0 \(first seen at g\/dup\.csv: line 2\)/);
  await assert.rejects(runAdapter(generic, [tempFile("g/verdict.csv", `${head}q1,gpt-4o,0,0.5\n`)]),
    /g\/verdict\.csv: line 2: column "correct": "0\.5" is not one of 0, 1, true, false/);
  await assert.rejects(runAdapter(generic, [tempFile("g/sample.csv", `${head}q1,gpt-4o,-1,1\n`)]),
    /g\/sample\.csv: line 2: column "sample"/);
  await assert.rejects(runAdapter(generic, [tempFile("g/nocol.csv", "item_id,model,correct\nq1,gpt-4o,1\n")]),
    /g\/nocol\.csv: missing column "sample"/);
  await assert.rejects(runAdapter(generic, [tempFile("g/empty.csv", "")]), /g\/empty\.csv: empty file/);
  await assert.rejects(runAdapter(generic, [tempFile("g/header-only.csv", head)]), /g\/header-only\.csv: no rows/);
  await assert.rejects(runAdapter(generic, [tempFile("g/quote.csv", `${head}q1,"gpt-4o,0,1\n`)]),
    /g\/quote\.csv: line 2: unterminated quoted field/);
  await assert.rejects(runAdapter(generic, [tempFile("g/ragged.csv", `${head}q1,gpt-4o,0\n`)]),
    /g\/ragged\.csv: line 2: 3 fields, expected 4/);
  await assert.rejects(runAdapter(generic, [tempFile("g/trunc.jsonl", '{"item_id":"q1","model":"gpt-4o","sample":0,"correct":1}\n{"item_id":"q2","mod')]),
    /g\/trunc\.jsonl: line 2: invalid JSON \(file looks truncated\)/);
  await assert.rejects(runAdapter(generic, [tempFile("g/miss.jsonl", '{"item_id":"q1","model":"gpt-4o","correct":1}\n')]),
    /g\/miss\.jsonl: line 1: column "sample": missing/);
  await assert.rejects(runAdapter(generic, [tempFile("g/empty.jsonl", "\n")]), /g\/empty\.jsonl: empty file/);
});
