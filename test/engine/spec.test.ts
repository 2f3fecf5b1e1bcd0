// Malformed pipeline.yaml files: each error names the file, line:column, key path and what was expected.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { loadSpec, SpecError, specJsonSchema } from "../../engine/spec.js";
import { stageCatalog } from "../fixtures/engine/catalog.js";
import { importStageType } from "../../engine/catalog.js";
import { makeProject, runCli } from "../support/engine-project.js";

let dir: string;
before(async () => {
  dir = await makeProject({ pipeline: "version: 1\nseed: 1\nstages: {}\n", files: { "data/a.txt": "a\n" } });
});

const HEAD = `version: 1
seed: 7
datasets:
  texts:
    local: [data/a.txt]
stages:
`;

async function specError(yaml: string): Promise<SpecError> {
  const file = join(dir, "bad.yaml");
  await writeFile(file, yaml);
  try {
    await loadSpec({ projectDir: dir, file, catalog: stageCatalog });
  } catch (e) {
    assert.ok(e instanceof SpecError, String(e));
    return e;
  }
  assert.fail("expected a SpecError");
}

function assertIssue(e: SpecError, expected: { line: number; col?: number; path: string; message: RegExp }) {
  const hit = e.issues.find((i) => i.path === expected.path && expected.message.test(i.message));
  assert.ok(hit, `no issue at ${expected.path} matching ${expected.message} in:\n${e.message}`);
  assert.equal(hit.line, expected.line, e.message);
  if (expected.col !== undefined) assert.equal(hit.col, expected.col, e.message);
  assert.match(e.message, new RegExp(`bad\\.yaml:${expected.line}:\\d+: ${expected.path.replace(/[.()]/g, "\\$&")}: `));
}

test("unreadable YAML names the line", async () => {
  const e = await specError(HEAD + "  a:\n    type: count\n    inputs: { files: [dataset:texts\n");
  assert.match(e.message, /bad\.yaml:\d+:\d+: .*invalid YAML/);
  assert.ok(e.issues[0]!.line >= 9);
});

test("unknown stage type lists the known ones", async () => {
  const e = await specError(HEAD + "  a:\n    type: cout\n");
  assertIssue(e, { line: 8, col: 11, path: "stages.a.type", message: /unknown stage type "cout" \(did you mean "count"\?\); expected one of: badout, combine, count, memo, report, resample, spin, total/ });
});

test("unknown upstream stage, unknown output and unknown dataset", async () => {
  const e1 = await specError(HEAD + "  t:\n    type: total\n    inputs: { counts: nope.counts }\n");
  assertIssue(e1, { line: 9, path: "stages.t.inputs.counts", message: /unknown stage "nope" in reference "nope\.counts"; expected one of: t/ });
  const e2 = await specError(HEAD + "  c:\n    type: count\n    inputs: { files: dataset:texts }\n  t:\n    type: total\n    inputs:\n      counts: c.cuonts\n");
  assertIssue(e2, { line: 13, col: 15, path: "stages.t.inputs.counts", message: /stage "c" has no output "cuonts" \(did you mean "counts"\?\); expected one of: counts, provenance, results/ });
  const e3 = await specError(HEAD + "  c:\n    type: count\n    inputs: { files: dataset:txts }\n");
  assertIssue(e3, { line: 9, path: "stages.c.inputs.files", message: /unknown dataset "txts" \(did you mean "texts"\?\); expected one of: texts/ });
});

test("an input the type does not declare", async () => {
  const e = await specError(HEAD + "  c:\n    type: count\n    inputs:\n      files: dataset:texts\n      extra: dataset:texts\n");
  assertIssue(e, { line: 11, col: 7, path: "stages.c.inputs.extra", message: /input "extra" is not declared by stage type "count"; expected one of: files/ });
});

test("missing required input", async () => {
  const e = await specError(HEAD + "  t:\n    type: total\n    params: { scale: 2 }\n");
  assertIssue(e, { line: 7, path: "stages.t.inputs", message: /missing required input "counts" \(json\) of stage type "total"/ });
});

test("dependency cycle prints the cycle", async () => {
  const e = await specError(HEAD + "  a:\n    type: spin\n    params: { iterations: 1, id: a.x }\n    inputs: { after: b.spin }\n" +
    "  b:\n    type: spin\n    params: { iterations: 1, id: b.x }\n    inputs: { after: a.spin }\n");
  assert.match(e.message, /dependency cycle: a -> b -> a/);
  assertIssue(e, { line: 10, path: "stages.a.inputs", message: /cycle/ });
});

test("wrong param type names the param and the expected type", async () => {
  const e = await specError(HEAD + "  s:\n    type: spin\n    params:\n      iterations: lots\n      id: s.x\n");
  assertIssue(e, { line: 10, col: 19, path: "stages.s.params.iterations", message: /expected number, received string/ });
});

test("duplicate key", async () => {
  const e = await specError(HEAD + "  s:\n    type: spin\n    params: { iterations: 1, id: s.x }\n  s:\n    type: count\n");
  assert.match(e.message, /bad\.yaml:10:3: .*duplicate key/);
});

test("bad foreach: not an input, and not partitionable", async () => {
  const e1 = await specError(HEAD + "  c:\n    type: count\n    inputs: { files: dataset:texts }\n    foreach: file\n");
  assertIssue(e1, { line: 10, col: 14, path: "stages.c.foreach", message: /foreach "file" is not an input of stage type "count"; expected one of: files/ });
  const e2 = await specError(HEAD + "  c:\n    type: count\n    inputs: { files: dataset:texts }\n  t:\n    type: total\n    inputs: { counts: c.counts }\n    foreach: counts\n");
  assertIssue(e2, { line: 13, path: "stages.t.foreach", message: /neither a dataset nor an output of a partitioned \(foreach\) stage/ });
});

test("unknown top-level key, wrong version, and a dataset with both files and local", async () => {
  const e1 = await specError("version: 2\nseed: 1\nstages: {}\nstagse: {}\n");
  assertIssue(e1, { line: 1, col: 10, path: "version", message: /expected 1/ });
  assertIssue(e1, { line: 4, col: 1, path: "stagse", message: /unknown key "stagse" in \(root\); did you mean "stages"\? Expected one of: cache, data, datasets, executor, seed, stages, version/ });
  const e2 = await specError("version: 1\nseed: 1\ndatasets:\n  d:\n    files: [x]\n    local: [y]\nstages: {}\n");
  assertIssue(e2, { line: 5, path: "datasets.d", message: /expected exactly one of files: \[globs\] or local: \[paths\]/ });
});

test("a seed that is not an integer, and a stage id that is not a name", async () => {
  const e = await specError("version: 1\nseed: 1.5\nstages:\n  bad.id:\n    type: spin\n");
  assertIssue(e, { line: 2, col: 7, path: "seed", message: /expected int/ });
  assertIssue(e, { line: 4, col: 3, path: "stages.bad.id", message: /invalid name "bad.id": expected a name of letters, digits/ });
});

test("a valid spec resolves globs sorted by stage id, excluding the consumer", async () => {
  const file = join(dir, "good.yaml");
  await writeFile(file, HEAD + "  c:\n    type: count\n    inputs: { files: dataset:texts }\n    foreach: files\n" +
    "  b:\n    type: badout\n    params: { ok: true }\n  r:\n    type: report\n    inputs: { results: \"*.results\" }\n");
  const spec = await loadSpec({ projectDir: dir, file, catalog: stageCatalog });
  assert.deepEqual(spec.stages.r!.inputs.results!.refs.map((r) => r.ref), ["b.results", "c.results"]);
  assert.equal(spec.stages.r!.inputs.results!.multi, true);
  assert.deepEqual([...spec.deps.get("r")!].sort(), ["b", "c"]);
});

test("a spec error exits 4 (data/spec) with the message; `cofail schema` is a JSON Schema with per-type params", async () => {
  await writeFile(join(dir, "pipeline.yaml"), HEAD + "  a:\n    type: cout\n");
  const r = await runCli(dir, ["status"]);
  assert.equal(r.code, 4);
  assert.match(r.stderr, /pipeline\.yaml:8:11: stages\.a\.type: unknown stage type "cout"/);
  const types = Object.fromEntries(await Promise.all(Object.entries(stageCatalog).map(async ([n, p]) => [n, await importStageType({ projectDir: dir, modulePath: p })])));
  const schema = JSON.stringify(specJsonSchema(types));
  assert.match(schema, /"iterations"/);
  assert.match(schema, /"const":"spin"/);
});

test("blocks: a stage runs either foreach an input or as blocks; cache and executor keys are checked strictly", async () => {
  const dir = await makeProject({ pipeline: "version: 1\nseed: 1\nstages: {}\n", files: { "data/a.txt": "a\n" } });
  const file = join(dir, "bad.yaml");
  await writeFile(file, `version: 1
seed: 1
datasets:
  t: { local: [data/a.txt] }
stages:
  c:
    type: count
    inputs: { files: dataset:t }
    foreach: files
    blocks: 2
`);
  const e = await loadSpec({ projectDir: dir, file, catalog: stageCatalog }).then(() => undefined, (x: unknown) => x as SpecError);
  assert.ok(e instanceof SpecError);
  assert.match(e.message, /bad\.yaml:10:\d+: stages\.c\.blocks: a stage runs either foreach an input or as blocks, not both/);
  await writeFile(file, `version: 1
seed: 1
cache: { remote: "http://x" }
executor: { slurm: { default: { mem: lots, cpu: 2 } } }
stages: {}
`);
  const e2 = await loadSpec({ projectDir: dir, file, catalog: stageCatalog }).then(() => undefined, (x: unknown) => x as SpecError);
  assert.ok(e2 instanceof SpecError);
  assert.match(e2.message, /cache\.remote: an s3:\/\/bucket\[\/prefix\] URL/);
  assert.match(e2.message, /executor\.slurm\.default\.mem: a SLURM memory size such as 4G/);
  assert.match(e2.message, /unknown key "cpu" in executor\.slurm\.default; did you mean "cpus"\?/);
});

test("seed_of: a stage draws from another stage's seed; unknown, self and chained seed_of are refused with the line", async () => {
  const { taskSeed } = await import("../../engine/plan.js");
  const file = join(dir, "seeds.yaml");
  const stages = (extra: string) => `${HEAD}  c:
    type: count
    inputs: { files: dataset:texts }
  d:
    type: count
    inputs: { files: dataset:texts }
    seed_of: c
  e:
    type: count
    inputs: { files: dataset:texts }
${extra}`;
  await writeFile(file, stages(""));
  const spec = await loadSpec({ projectDir: dir, file, catalog: stageCatalog });
  assert.equal(taskSeed(spec, "d"), taskSeed(spec, "c"));
  assert.notEqual(taskSeed(spec, "e"), taskSeed(spec, "c"));
  assertIssue(await specError(stages("    seed_of: cc\n")), { line: 17, path: "stages.e.seed_of", message: /unknown stage "cc" \(did you mean "c"/ });
  assertIssue(await specError(stages("    seed_of: e\n")), { line: 17, path: "stages.e.seed_of", message: /names the stage itself/ });
  assertIssue(await specError(stages("    seed_of: d\n")), { line: 17, path: "stages.e.seed_of", message: /stage "d" takes its own seed from "c"; name "c" instead/ });
});
