// Inspect AI logs: `.eval` zip archives (header.json + samples/<id>_epoch_<n>.json) and `.json` EvalLogs.
// Fixture: test/fixtures/data/inspect/, three invented logs of task inspect_evals/arith_word, 5 samples x 2 epochs,
// scorer "match". The two .eval logs are kept unzipped (<name>.eval.src/, readable in review) and zipped here with
// fflate exactly as Inspect lays them out; the third is a .json log.
//   score values (epoch 1 | epoch 2) per sample 1..5
//   openai/gpt-4o-2024-08-06              C I C I N | C C C I I
//   anthropic/claude-3-5-sonnet-20241022  I I C C I | I C C C I
//   hf/my-org/tiny-7b (.json)             C I I I I | I I I I C
// Epoch 1 (sample policy first), C=1, I=0, N=0: all wrong on samples 2 and 5 -> beta 2/5.
// Majority over the two epochs (a tie counts as right): no sample is all wrong -> beta 0.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { zipSync } from "fflate";
import inspectAi from "../../ingest/adapters/inspect-ai.js";
import { loadAdapter } from "../../ingest/adapters/index.js";
import { certifyCommand } from "../../certify/command.js";
import { fixtureDir, models, runAdapter, tempFile } from "../support/adapter-harness.js";

const src = join(fixtureDir, "inspect");
const out = mkdtempSync(join(tmpdir(), "cofail-inspect-"));
process.on("exit", () => rmSync(out, { recursive: true, force: true }));

function zipDir(dir: string, target: string, skip: (entry: string) => boolean = () => false): string {
  const entries: Record<string, Uint8Array> = {};
  const walk = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (!skip(relative(dir, p))) entries[relative(dir, p)] = readFileSync(p);
    }
  };
  walk(dir);
  writeFileSync(target, zipSync(entries, { level: 6 }));
  return target;
}

const evalLogs = readdirSync(src).filter((n) => n.endsWith(".eval.src")).sort().map((n) => zipDir(join(src, n), join(out, n.replace(/\.src$/, ""))));
const jsonLog = join(src, readdirSync(src).find((n) => n.endsWith(".json"))!);
const asFile = (p: string) => ({ name: p.split("/").pop()!, path: p, sha256: "" });
const cli = { level: "0.95", side: "two-sided", samplePolicy: "first" };

test("Inspect .eval logs through cofail certify (format told from the zip): beta 2/5 on epoch 1, 0 by majority", async () => {
  const files = [...evalLogs, jsonLog];
  const c = JSON.parse(await certifyCommand(files, { ...cli, json: true }));
  assert.equal(c.nModels, 3);
  assert.equal(c.nItems, 5);
  assert.equal(c.allWrong, 2);
  assert.equal(c.beta, 2 / 5);
  assert.ok(c.notes.some((n: string) => /format: an Inspect AI \.eval log \(zip with header\.json\), told from the content/.test(n)), c.notes.join("\n"));
  const majority = JSON.parse(await certifyCommand(files, { ...cli, samplePolicy: "majority", json: true }));
  assert.equal(majority.beta, 0);
  // The two .eval logs alone: samples 2 and 5 are still the only all-wrong ones on epoch 1 (gpt-4o gets 1 and 3).
  const two = JSON.parse(await certifyCommand(evalLogs, { ...cli, adapter: "inspect-ai", json: true }));
  assert.equal(two.beta, 2 / 5);
  // By majority, gpt-4o and claude are both wrong on sample 5 only.
  const twoMajority = JSON.parse(await certifyCommand(evalLogs, { ...cli, adapter: "inspect-ai", samplePolicy: "majority", json: true }));
  assert.equal(twoMajority.beta, 1 / 5);
});

test("inspect-ai rows: ids <task>-<id>, epochs as samples, models through the registry, answers and targets kept", async () => {
  const { rows, warnings } = await runAdapter(inspectAi, [asFile(evalLogs[0]!)]);
  assert.equal(rows.length, 10);
  assert.deepEqual(rows.slice(0, 4).map((r) => [r.item_id, r.sample, r.correct, r.answer, r.gold]), [
    ["arith_word-1", 0, 1, "18", "18"], ["arith_word-1", 1, 1, "18", "18"], ["arith_word-2", 0, 0, "4", "3"], ["arith_word-2", 1, 1, "3", "3"],
  ]);
  assert.equal(rows[0]!.model, "GPT-4o-2024-08-06");
  assert.equal(rows[0]!.provider, "OpenAI");
  assert.deepEqual(warnings, []);
  assert.equal(rows.find((r) => r.item_id === "arith_word-5" && r.sample === 0)!.answer, undefined, "N: no answer");
  const json = await runAdapter(inspectAi, [asFile(jsonLog)]);
  assert.equal(json.rows.length, 10);
  assert.equal(json.rows[0]!.model, "hf/my-org/tiny-7b");
  assert.equal(json.rows[0]!.provider, "unknown");
});

test("inspect-ai score mapping: P is refused until mapped; scoreMap extends and overrides C/I/N; scorer and scoreKey", async () => {
  const log = JSON.parse(readFileSync(jsonLog, "utf8"));
  log.samples[0].scores.match.value = "P";
  const partial = tempFile("logs/partial.json", JSON.stringify(log));
  await assert.rejects(runAdapter(inspectAi, [partial]), /samples\[0\]: scores\.match\.value: score value "P" is not a binary verdict under the mapping C=1,I=0,N=0 \(P is partial credit: map it with option scoreMap/);
  const checked = await loadAdapter("inspect-ai");
  const asZero = await runAdapter(checked, [partial], { scoreMap: "P=0" });
  assert.equal(asZero.rows[0]!.correct, 0);
  const strictN = await runAdapter(checked, [partial], { scoreMap: "P=1,C=0" });
  assert.equal(strictN.rows[0]!.correct, 1);
  assert.equal(strictN.rows.find((r) => r.item_id === "arith_word-5" && r.sample === 1)!.correct, 0, "C mapped to 0 by the override");
  await assert.rejects(runAdapter(checked, [partial], { scoreMap: "P=half" }), /option "scoreMap" expects 0 or 1 for score value "P"/);

  const two = JSON.parse(readFileSync(jsonLog, "utf8"));
  for (const s of two.samples) s.scores.judge = { value: { accuracy: s.scores.match.value === "C" ? 1 : 0, style: 0.5 } };
  const multi = tempFile("logs/two-scorers.json", JSON.stringify(two));
  const first = await runAdapter(inspectAi, [multi]);
  assert.ok(first.warnings.some((w) => /2 scorers \(match, judge\); reading "match", the first/.test(w)));
  await assert.rejects(runAdapter(inspectAi, [multi], { scorer: "judge" }), /scores\.judge\.value is a dict \(keys accuracy, style\); choose one with option scoreKey/);
  const judged = await runAdapter(inspectAi, [multi], { scorer: "judge", scoreKey: "accuracy" });
  assert.deepEqual(judged.rows.map((r) => r.correct), first.rows.map((r) => r.correct));
  await assert.rejects(runAdapter(inspectAi, [multi], { scorer: "model_graded" }), /no scorer "model_graded" \(scorers in the log: match, judge\)/);
});

test("inspect-ai hostile: errored samples skipped and counted, no samples, a zip that is not a log, status warned", async () => {
  const log = JSON.parse(readFileSync(jsonLog, "utf8"));
  log.status = "error";
  log.samples[3].scores = null;
  log.samples[3].error = { message: "invented timeout", traceback: "" };
  const { rows, warnings } = await runAdapter(inspectAi, [tempFile("logs/err.json", JSON.stringify(log))]);
  assert.equal(rows.length, 9);
  assert.ok(warnings.some((w) => /log status is "error"/.test(w)));
  assert.ok(warnings.some((w) => /1 of 10 samples ended in an error and have no score: skipped/.test(w)));
  delete log.samples;
  await assert.rejects(runAdapter(inspectAi, [tempFile("logs/nosamples.json", JSON.stringify(log))]), /the log has no samples \(written with --no-log-samples\?\)/);
  const notLog = zipDir(join(src, readdirSync(src).find((n) => n.endsWith(".eval.src"))!), join(out, "not-a-log.eval"), (e) => e === "header.json" || e.startsWith("_journal"));
  await assert.rejects(runAdapter(inspectAi, [asFile(notLog)]), /zip archive without header\.json: not an Inspect \.eval log/);
  await assert.rejects(certifyCommand([notLog], { ...cli }), /a zip archive \(entries: .*samples\/1_epoch_1\.json.*\) but not an Inspect AI \.eval log/);
  assert.ok(models().byAlias.has("openai/gpt-4o-2024-08-06"));
});
