// `cofail certify`: the fast generic reader agrees with the generic adapter + pool stage on every sample policy
// and edge of the format; the certificate equals what the pipeline's `cofailure` stage computes for the same
// pool — on a real pool (math-l5, ZeroEval's own verdicts) exported to the generic format.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { materializeAll } from "../../engine/fetch.js";
import { loadManifest, matchManifest } from "../../engine/manifest.js";
import type { InputFile } from "../../engine/types.js";
import generic from "../../ingest/adapters/generic.js";
import type { CanonicalTable } from "../../core/canonical-table.js";
import { cofailureRow } from "../../stages/cofailure.js";
import { ingestTable } from "../../ingest/ingest-table.js";
import { loadAdapter } from "../../ingest/adapters/index.js";
import { readGenericVerdicts, MISSING } from "../../certify/read-verdicts.js";
import { certifyFiles, certifyTable } from "../../certify/certificate.js";
import { certificateText } from "../../certify/report.js";
import { certifyCommand } from "../../certify/command.js";
import { certifiedMaxGain, overheadVerdict, preSpecifiedMaxGain } from "../../stats/router-certificate.js";
import { rowVerdict } from "../../core/sample-policy.js";
import { buildPoolMatrix } from "../../core/build-pool.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const mirror = join(root, "../shared/data");
let dir: string;
before(async () => { dir = await mkdtemp(join(tmpdir(), "cofail-certify-")); });
after(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

const file = async (name: string, text: string) => { const p = join(dir, name); await writeFile(p, text); return p; };

/** The pipeline's view of a generic file: generic adapter -> ingest checks -> pool matrix. */
async function pipelineMatrix(path: string, policy: "first" | "majority" | "any") {
  const f: InputFile = { name: path.split("/").pop()!, path, sha256: "" };
  const table = await ingestTable({ adapter: generic, adapterName: "generic", task: "t", files: [f], options: {}, models: { models: {}, byAlias: new Map() }, warn: () => {} });
  return buildPoolMatrix([table], { name: "t", sample_policy: policy, models: {}, items: "common" });
}

const MULTI = `item_id,model,sample,correct,answer
"q,1",m1,0,1,"a ""quoted""
answer"
"q,1",m1,1,0,x
"q,1",m1,2,0,x
"q,1",m2,0,0,x
q2,m1,1,1,x
q2,m1,0,false,x
q2,m2,0,TRUE,x
q2,m2,1,0,x
q3,m1,0,0,x
q3,m2,0,0,x
q3,m2,3,1,x
q4,m2,0,1,x
`;

test("the fast reader reduces samples exactly as the pool stage does, for every policy", async () => {
  const p = await file("multi.csv", MULTI);
  for (const policy of ["first", "majority", "any"] as const) {
    const fast = await readGenericVerdicts(p, { samplePolicy: policy });
    const pool = await pipelineMatrix(p, policy);
    assert.deepEqual(fast.items, ["q,1", "q2", "q3", "q4"]);
    const common = fast.items.map((_, i) => i).filter((i) => fast.cells.every((r) => r[i] !== MISSING));
    assert.deepEqual(common.map((i) => fast.items[i]), pool.items, policy);
    for (const [m, name] of pool.models.entries()) {
      const k = fast.models.indexOf(name);
      assert.deepEqual(common.map((i) => fast.cells[k]![i]), pool.correct[m], `${policy} ${name}`);
    }
    assert.equal(fast.samples, 4);
  }
});

test("the fast reader rejects what the generic adapter rejects, naming file and line", async () => {
  await assert.rejects(readGenericVerdicts(await file("d.csv", "item_id,model,sample,correct\na,m,0,1\nb,m,0,1\na,m,0,0\n"), { samplePolicy: "first" }), /d\.csv: line 4: duplicate row for item "a", model "m", sample 0/);
  await assert.rejects(readGenericVerdicts(await file("v.csv", "item_id,model,sample,correct\na,m,0,maybe\n"), { samplePolicy: "first" }), /v\.csv: line 2: column "correct": "maybe" is not one of 0, 1, true, false/);
  await assert.rejects(readGenericVerdicts(await file("s.csv", "item_id,model,sample,correct\na,m,-1,1\n"), { samplePolicy: "first" }), /line 2: column "sample": "-1" is not a non-negative integer/);
  await assert.rejects(readGenericVerdicts(await file("h.csv", "item,model,sample,correct\na,m,0,1\n"), { samplePolicy: "first" }), /header has no column "item_id"/);
  await assert.rejects(readGenericVerdicts(await file("t.csv", "item_id,model,sample,correct,task\na,m,0,1,x\nb,m,0,1,y\n"), { samplePolicy: "first" }), /rows of 2 tasks \(x, y\); choose one with --task/);
  const t = await readGenericVerdicts(join(dir, "t.csv"), { samplePolicy: "first", task: "y" });
  assert.equal(t.rows, 1);
  assert.match(t.warnings[0]!, /skipped 1 rows whose task column is not "y"/);
  // Samples >= 32 are still guarded against duplicates.
  await assert.rejects(readGenericVerdicts(await file("hi.csv", "item_id,model,sample,correct\na,m,40,1\na,m,40,1\n"), { samplePolicy: "any" }), /duplicate row .* sample 40/);
});

test("JSONL and CSV give the same certificate; --side upper gives the one-sided statements", async () => {
  const rows = [["a", "m1", 1], ["a", "m2", 0], ["b", "m1", 0], ["b", "m2", 0], ["c", "m1", 1], ["c", "m2", 1], ["d", "m1", 0], ["d", "m2", 1]] as const;
  const csv = await file("x.csv", "item_id,model,sample,correct\n" + rows.map((r) => `${r[0]},${r[1]},0,${r[2]}`).join("\n"));
  const jsonl = await file("x.jsonl", rows.map((r) => JSON.stringify({ item_id: r[0], model: r[1], sample: 0, correct: r[2] === 1 })).join("\n") + "\n");
  const a = await certifyFiles([csv], { samplePolicy: "first", level: 0.95, side: "two-sided" });
  const b = await certifyFiles([jsonl], { samplePolicy: "first", level: 0.95, side: "two-sided" });
  assert.deepEqual({ ...a, source: "" }, { ...b, source: "" });
  assert.equal(a.beta, 0.25);
  assert.equal(a.best.model, "m1"); // tie at 50%: by name
  const up = await certifyFiles([csv], { samplePolicy: "first", level: 0.95, side: "upper" });
  assert.equal(up.betaInterval.lower, 0);
  assert.ok(up.betaInterval.upper < a.betaInterval.upper);
  // The gain bound is one-sided whatever --side prints for beta.
  assert.equal(up.maxGain, a.maxGain);
  assert.equal(a.certificate.method, "bonferroni-in-sample");
  assert.match(certificateText(a), /beta \(all models wrong\) +0\.2500 {2}\(1 of 4 items\)/);
});

test("certify: in-sample and --pre-specified certificates, --overhead verdict, --json fields, bad flag values", async () => {
  // 3 models x 6 items: m1 right on 5, m2 on 3, m3 on 2; item f defeats all three.
  const v: Record<string, string> = { m1: "111110", m2: "110100", m3: "001100" };
  const rows = Object.entries(v).flatMap(([m, bits]) => [...bits].map((b, i) => `${"abcdef"[i]},${m},0,${b}`));
  const csv = await file("pre.csv", "item_id,model,sample,correct\n" + rows.join("\n") + "\n");
  const base = { level: "0.9", side: "two-sided", samplePolicy: "first" };
  const j = JSON.parse(await certifyCommand([csv], { ...base, preSpecified: "m2", overhead: "0.02", json: true }));
  const inSample = certifiedMaxGain({ allWrong: 1, n: 6, correct: [5, 3, 2], models: ["m1", "m2", "m3"], delta: 1 - 0.9 });
  const fixed = preSpecifiedMaxGain({ allWrong: 1, n: 6, correct: 3, nModels: 3, name: "m2", delta: 1 - 0.9 });
  for (const k of ["method", "betaLo", "bestLo", "maxGain"] as const) {
    assert.equal(j.certificate[k], inSample[k], k);
    assert.equal(j.preSpecified[k], fixed[k], k);
  }
  assert.equal(j.maxGain, inSample.maxGain);
  assert.equal(j.certificate.method, "bonferroni-in-sample");
  assert.equal(j.preSpecified.method, "pre-specified");
  assert.deepEqual(j.certificate.verdict, overheadVerdict(inSample.maxGain, 0.02));
  assert.equal(j.overhead, 0.02);
  const text = await certifyCommand([csv], { ...base, preSpecified: "m2", overhead: "0.9" });
  assert.match(text, /largest possible gain .*method bonferroni-in-sample/);
  assert.match(text, /largest gain, m2 fixed .*method pre-specified/);
  const verdict = overheadVerdict(inSample.maxGain, 0.9);
  assert.equal(verdict.kind, "cannot-pay");
  assert.ok(text.includes(`< overhead 90.0 points: ${verdict.text}`), text);
  assert.doesNotMatch(await certifyCommand([csv], base), /verdict|pre-specified/);
  await assert.rejects(certifyCommand([csv], { ...base, preSpecified: "nope" }), /--pre-specified expects one of the 3 model names .*got "nope"/);
  await assert.rejects(certifyCommand([csv], { ...base, overhead: "lots" }), /--overhead must be a number in \[0, 1\].*got lots/);
  await assert.rejects(certifyCommand([csv], { ...base, overhead: "-0.1" }), /--overhead/);
  await assert.rejects(certifyCommand([csv], { ...base, overhead: "" }), /--overhead/);
  await assert.rejects(certifyCommand([csv], { ...base, seed: "x" }), /--seed must be a non-negative integer; got x/);
  await assert.rejects(certifyCommand([csv], { ...base, level: "95" }), /--level must be a number in \(0, 1\)/);
});

test("certify on math-l5 exported to the generic format = the cofailure stage on the same pool", { skip: !existsSync(mirror) && "no data mirror" }, async () => {
  const manifest = await loadManifest(join(root, "data/manifest.json"));
  const opts = { mirror, downloadsDir: "data/downloads", projectDir: root, concurrency: 2 };
  const files = await materializeAll(matchManifest(manifest, ["zeroeval-math-l5/raw/result_dirs/math-l5/*.json"]), opts);
  const table: CanonicalTable = await ingestTable({
    adapter: await loadAdapter("zeroeval"), adapterName: "zeroeval", task: "math-l5", files, options: {}, models: { models: {}, byAlias: new Map() }, warn: () => {},
  });
  const matrix = buildPoolMatrix([table], { name: "math-l5", sample_policy: "first", models: {}, items: "common" });
  const { row } = cofailureRow(matrix);

  // The generic export: one row per graded response, ZeroEval's own verdict as `correct` (no verdict: no row).
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = ["item_id,model,sample,correct"];
  for (const r of table.rows) {
    const v = rowVerdict(r);
    if (v === 0 || v === 1) lines.push(`${q(r.item_id)},${q(r.model)},${r.sample},${v}`);
  }
  const csv = await file("math-l5.csv", lines.join("\n") + "\n");
  const two = await certifyFiles([csv], { samplePolicy: "first", level: 0.95, side: "two-sided" });
  assert.equal(two.nModels, row.nModels);
  assert.equal(two.nItems, row.nItems);
  assert.equal(two.allWrong, row.allWrong);
  assert.equal(two.beta, row.beta);
  assert.deepEqual(two.betaInterval, row.cp95);
  assert.equal(two.ceiling, row.ceiling);
  assert.deepEqual(two.best, row.best);
  assert.equal(two.maxGain, row.certificate95.maxGain);
  assert.equal(two.certificate.betaLo, row.certificate95.betaLower);
  assert.equal(two.certificate.bestLo, row.certificate95.bestAccuracyLower);
  assert.equal(two.ceilingUpper, row.certificate95.ceilingUpper);
  const one = await certifyFiles([csv], { samplePolicy: "first", level: 0.95, side: "upper" });
  assert.equal(one.betaInterval.upper, row.upper95OneSided);
  assert.equal(one.maxGain, row.certificate95.maxGain);
  // The adapter path (certify --adapter zeroeval on the raw files) agrees too.
  const viaAdapter = await certifyTable(table, { samplePolicy: "first", level: 0.95, side: "two-sided" }, "math-l5");
  assert.equal(viaAdapter.beta, row.beta);
  assert.equal(viaAdapter.maxGain, row.certificate95.maxGain);
  assert.equal(row.nModels, 43);
});
