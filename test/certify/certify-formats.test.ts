// `cofail certify` input conventions: the format told from the content (and a clear error naming what was seen,
// never the bytes of a binary file), `-` for standard input, CSV or TSV by content, --option checked against the
// adapter, and the small-n warning.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { certifyCommand } from "../../certify/command.js";
import { detectFormat } from "../../certify/detect-format.js";
import { fixtureDir } from "../support/adapter-harness.js";

const dir = mkdtempSync(join(tmpdir(), "cofail-formats-"));
process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
const put = (name: string, content: string | Buffer) => { const p = join(dir, name); writeFileSync(p, content); return p; };
const cli = { level: "0.95", side: "two-sided", samplePolicy: "first" };

const CSV = "item_id,model,sample,correct\nq1,m1,0,1\nq1,m2,0,0\nq2,m1,0,0\nq2,m2,0,0\nq3,m1,0,1\nq3,m2,0,1\n";

test("CSV and TSV by content, whatever the extension; the same certificate", async () => {
  const csv = JSON.parse(await certifyCommand([put("a.txt", CSV)], { ...cli, json: true }));
  const tsv = JSON.parse(await certifyCommand([put("b.csv", CSV.replace(/,/g, "\t"))], { ...cli, json: true }));
  const jsonl = JSON.parse(await certifyCommand([put("c.csv", CSV.split("\n").slice(1).filter(Boolean).map((l) => { const [i, m, s, c] = l.split(","); return JSON.stringify({ item_id: i, model: m, sample: Number(s), correct: Number(c) }); }).join("\n"))], { ...cli, json: true }));
  for (const c of [csv, tsv, jsonl]) {
    assert.equal(c.beta, 1 / 3);
    assert.equal(c.nItems, 3);
  }
  assert.deepEqual({ ...tsv, source: "" }, { ...csv, source: "" });
  assert.ok(csv.warnings.some((w: string) => /only 3 items every model answered \(fewer than 30\)/.test(w)));
  // With 30 or more items there is no warning.
  const many = ["item_id,model,sample,correct", ...Array.from({ length: 30 }, (_, i) => [`q${i},m1,0,${i % 2}`, `q${i},m2,0,${i % 3 === 0 ? 1 : 0}`]).flat()].join("\n");
  assert.deepEqual(JSON.parse(await certifyCommand([put("many.csv", many)], { ...cli, json: true })).warnings, []);
  assert.match(await certifyCommand([put("d.csv", CSV)], { ...cli }), /warning: only 3 items every model answered/);
});

test("- reads standard input (CSV, and an Inspect .json log), named stdin", async () => {
  const c = JSON.parse(await certifyCommand(["-"], { ...cli, json: true }, { stdin: Readable.from([Buffer.from(CSV)]) }));
  assert.equal(c.beta, 1 / 3);
  assert.equal(c.source, "stdin");
  const { readFileSync, readdirSync } = await import("node:fs");
  const log = join(fixtureDir, "inspect", readdirSync(join(fixtureDir, "inspect")).find((n) => n.endsWith(".json"))!);
  const i = JSON.parse(await certifyCommand(["-"], { ...cli, json: true }, { stdin: Readable.from([readFileSync(log)]) }));
  assert.equal(i.nItems, 5);
  await assert.rejects(certifyCommand(["-"], { ...cli }, { stdin: Readable.from([]) }), /-: standard input is empty/);
  await assert.rejects(certifyCommand(["-", "-"], { ...cli }, { stdin: Readable.from([]) }), /"-" \(standard input\) may be given once/);
});

test("what was seen is named: zip, binary (hex only), JSON of another kind, JSONL of another kind, mixed formats", async () => {
  const zip = put("results.csv", Buffer.concat([Buffer.from([0x50, 0x4b, 0x05, 0x06]), Buffer.alloc(18)]));
  await assert.rejects(certifyCommand([zip], { ...cli }), (e: Error) => /results\.csv: binary content \(first bytes: 50 4b 05 06 00 00 00 00\)/.test(e.message));
  const pdf = put("paper.csv", Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.from([0, 1, 2, 0xff, 0xfe, 7, 8])]));
  await assert.rejects(certifyCommand([pdf], { ...cli }), (e: Error) => /paper\.csv: binary content, a PDF document \(first bytes: 25 50 44 46/.test(e.message) && !/[\u0000-\u0008\ufffd]/.test(e.message));
  await assert.rejects(detectFormat(put("x.json", '{"foo": 1, "bar": [1, 2]}'), "x.json"), /x\.json: a JSON object with keys foo, bar: not a format certify reads/);
  await assert.rejects(detectFormat(put("y.jsonl", '{"question": "q", "score": 1}\n'), "y.jsonl"), /y\.jsonl: a JSON object with keys question, score|JSON lines whose first record has keys question, score/);
  await assert.rejects(detectFormat(put("e.csv", ""), "e.csv"), /e\.csv: empty file/);
  const evalplus = join(fixtureDir, "evalplus/humaneval/gpt-4o-2024-08-06_openai_temp_0.0_eval_results.json");
  await assert.rejects(certifyCommand([put("g.csv", CSV), evalplus], { ...cli }), /the files are of different formats: .*g\.csv \(the generic long format \(CSV\)\), .*gpt-4o-2024-08-06_openai_temp_0\.0_eval_results\.json \(EvalPlus eval results\)/);
  assert.equal((await detectFormat(evalplus, "e")).adapter, "evalplus");
});

test("--option on the generic format is an error (it takes none); --option needs key=value once", async () => {
  await assert.rejects(certifyCommand([put("h.csv", CSV)], { ...cli, option: ["metric=acc"] }), /--option: adapter "generic" has no option "metric"; it takes no options/);
  await assert.rejects(certifyCommand([put("i.csv", CSV)], { ...cli, option: ["metric"] }), /--option expects key=value, got metric/);
  await assert.rejects(certifyCommand([put("j.csv", CSV)], { ...cli, adapter: "generic", option: ["a=1", "a=2"] }), /--option a given twice/);
});
