// Parameter sweeps (engine/sweep.ts): a stage declared once with `sweep:` expands into variants with stable,
// readable ids; ${var} is replaced in params and inputs; whole-sweep references, pairing, globs, seeds, errors.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { SpecError, specJsonSchema, type PipelineSpec } from "../../engine/spec.js";
import { expandSweep } from "../../engine/sweep.js";
import { taskSeed } from "../../engine/plan.js";
import { importStageType } from "../../engine/catalog.js";
import { stageCatalog } from "../fixtures/engine/catalog.js";
import { BASIC_FILES, BASIC_PIPELINE, loadSpecText, makeProject } from "../support/engine-project.js";

// BASIC_PIPELINE's datasets and its partitioned count stage, then the stages of each test.
const HEAD = BASIC_PIPELINE.slice(0, BASIC_PIPELINE.indexOf("  total:"));
let dir: string;
before(async () => { dir = await makeProject({ pipeline: HEAD, files: BASIC_FILES }); });

/** A total swept over scale in {1, 2}. */
const TOTAL = `  total:
    type: total
    inputs: { counts: count.counts }
    params: { scale: "\${scale}", id: "total.s\${scale}" }
    sweep: { scale: [1, 2] }
`;

const load = (yaml: string): Promise<PipelineSpec> => loadSpecText(dir, yaml, "sweep.yaml");

async function specError(yaml: string): Promise<SpecError> {
  const e = await load(yaml).then(() => undefined, (x: unknown) => x);
  assert.ok(e instanceof SpecError, `expected a SpecError, got ${String(e)}`);
  return e;
}

test("a grid expands into one variant per combination, ids <name>@<var>=<label>,... in the order written", () => {
  const { sweep, issues } = expandSweep("copula-lcb", { zero: [0, 0.1, 0.5], repair: ["higham", "clip"] });
  assert.deepEqual(issues, []);
  assert.deepEqual(sweep!.variants.map((v) => v.id), [
    "copula-lcb@zero=0,repair=higham", "copula-lcb@zero=0,repair=clip",
    "copula-lcb@zero=0.1,repair=higham", "copula-lcb@zero=0.1,repair=clip",
    "copula-lcb@zero=0.5,repair=higham", "copula-lcb@zero=0.5,repair=clip",
  ]);
  assert.deepEqual(sweep!.variants[2]!.values, { zero: 0.1, repair: "higham" });
  // A union of grids (one-at-a-time designs), and labelled values of any JSON type.
  const oat = expandSweep("s", [{ zero: [0, 0.1], repair: ["higham"] }, { zero: [0.5], repair: ["clip"] }]);
  assert.deepEqual(oat.sweep!.variants.map((v) => v.label), ["zero=0,repair=higham", "zero=0.1,repair=higham", "zero=0.5,repair=clip"]);
  const labelled = expandSweep("s", { verdicts: { raw: "pool.matrix", audited: ["a.matrix", "b.matrix"] } });
  assert.deepEqual(labelled.sweep!.variants.map((v) => [v.id, v.values.verdicts]), [["s@verdicts=raw", "pool.matrix"], ["s@verdicts=audited", ["a.matrix", "b.matrix"]]]);
});

test("sweep errors: a value an id cannot hold, a duplicate variant, grids with different variables", () => {
  assert.match(expandSweep("s", { tie: ["judge:x"] }).issues[0]!.message, /cannot be part of a variant id .*give it a label/);
  assert.match(expandSweep("s", [{ a: [1] }, { a: [1] }]).issues[0]!.message, /variant s@a=1 is declared twice/);
  assert.match(expandSweep("s", [{ a: [1] }, { b: [1] }]).issues[0]!.message, /same variables \(a\)/);
  assert.match(expandSweep("s", { "1x": [1] }).issues[0]!.message, /invalid sweep variable "1x"/);
});

test("variants are stages: ${var} replaced with its type kept, inputs interpolated, the declaration's seed shared", async () => {
  const spec = await load(HEAD + `  total:
    type: total
    inputs: { counts: count.counts }
    params: { scale: "\${scale}", id: "total.s\${scale}" }
    sweep: { scale: [1, 2.5] }
`);
  assert.deepEqual(Object.keys(spec.stages).sort(), ["count", "total@scale=1", "total@scale=2.5"]);
  const v = spec.stages["total@scale=2.5"]!;
  assert.deepEqual(v.params, { scale: 2.5, id: "total.s2.5" });
  assert.deepEqual(v.variant, { of: "total", label: "scale=2.5", labels: { scale: "2.5" } });
  assert.deepEqual(spec.sweeps.total!.variants.map((x) => x.id), ["total@scale=1", "total@scale=2.5"]);
  assert.equal(taskSeed(spec, "total@scale=1"), taskSeed(spec, "total@scale=2.5"));
  assert.notEqual(taskSeed(spec, "total@scale=1"), taskSeed(spec, "count"));
});

test("a whole-sweep reference is one keyed group; a variant of a sweep with the same variables pairs; globs need an @", async () => {
  const spec = await load(HEAD + TOTAL + `  again:
    type: total
    inputs: { counts: "\${up}" }
    params: { scale: "\${scale}", id: "again.s\${scale}" }
    sweep: { scale: [1, 2], up: { c: count.counts } }
  report:
    type: report
    inputs: { results: total.results }
  paired:
    type: report
    inputs: { results: total.results }
    sweep: { scale: [2] }
  byname:
    type: report
    inputs: { results: "total@scale=\${scale}.results" }
    sweep: { scale: [1] }
  byglob:
    type: report
    inputs: { results: "*.results" }
  variantglob:
    type: report
    inputs: { results: "total@*.results" }
`);
  const whole = spec.stages.report!.inputs.results!;
  assert.equal(whole.multi, false);
  assert.deepEqual(whole.refs.map((r) => (r.kind === "output" ? [r.stage, r.sweep] : r)), [
    ["total@scale=1", { ref: "total.results", key: "scale=1" }], ["total@scale=2", { ref: "total.results", key: "scale=2" }],
  ]);
  // `paired` has the variable scale too (its only value 2): it reads total@scale=2, a single value.
  assert.deepEqual(spec.stages["paired@scale=2"]!.inputs.results!.refs.map((r) => [r.ref, r.kind === "output" && r.sweep]), [["total@scale=2.results", undefined]]);
  assert.deepEqual([...spec.deps.get("paired@scale=2")!], ["total@scale=2"]);
  assert.deepEqual(spec.stages["byname@scale=1"]!.inputs.results!.refs.map((r) => r.ref), ["total@scale=1.results"]);
  assert.deepEqual(spec.stages["again@scale=2,up=c"]!.inputs.counts!.refs.map((r) => r.ref), ["count.counts"]);
  assert.deepEqual(spec.stages.byglob!.inputs.results!.refs.map((r) => r.ref), ["count.results", "report.results", "variantglob.results"]);
  assert.deepEqual(spec.stages.variantglob!.inputs.results!.refs.map((r) => r.ref), ["total@scale=1.results", "total@scale=2.results"]);
});

test("spec errors point at the declaration: unused and unknown variables, a variant's bad param, unknown sweep", async () => {
  const e1 = await specError(HEAD + "  t:\n    type: total\n    inputs: { counts: count.counts }\n    params: { scale: 2 }\n    sweep: { scale: [1, 2] }\n");
  assert.match(e1.message, /sweep\.yaml:15:\d+: stages\.t\.sweep: sweep variable "scale" is not used: write \$\{scale\} in params or inputs/);
  const e2 = await specError(HEAD + "  t:\n    type: total\n    inputs: { counts: count.counts }\n    params: { scale: \"${sclae}\" }\n    sweep: { scale: [1] }\n");
  assert.match(e2.message, /stages\.t\.params\.scale: unknown sweep variable "\$\{sclae\}"; the sweep has: scale/);
  const e3 = await specError(HEAD + "  t:\n    type: total\n    inputs: { counts: count.counts }\n    params: { scale: \"${scale}\" }\n    sweep: { scale: [1, lots] }\n");
  const hit = e3.issues.find((i) => i.path === "stages.t@scale=lots.params.scale");
  assert.ok(hit, e3.message);
  assert.equal(hit.line, 14, e3.message); // the declaration's params line
  const e4 = await specError(HEAD + "  r:\n    type: report\n    inputs: { results: \"total@scale=${s}.results\" }\n    sweep: { s: [1] }\n");
  assert.match(e4.message, /unknown stage "total@scale=1"/);
});

test("`cofail schema` documents sweep and accepts ${var} for any param", async () => {
  const types = Object.fromEntries(await Promise.all(Object.entries(stageCatalog).map(async ([n, p]) => [n, await importStageType({ projectDir: dir, modulePath: p })])));
  const schema = specJsonSchema(types) as { properties: { stages: { additionalProperties: { anyOf: { properties: Record<string, { anyOf?: unknown[]; properties?: Record<string, { anyOf?: { pattern?: string }[] }> }> }[] } } } };
  const total = schema.properties.stages.additionalProperties.anyOf.find((v) => JSON.stringify(v.properties.type).includes("\"total\""))!;
  assert.ok(total.properties.sweep, "sweep is in the schema");
  assert.match(JSON.stringify(total.properties.sweep), /variant/);
  const scale = total.properties.params!.properties!.scale!.anyOf!;
  assert.equal(scale.length, 2);
  assert.ok(new RegExp(scale[1]!.pattern!).test("${zero}"));
  assert.ok(!new RegExp(scale[1]!.pattern!).test("zero"));
});
