// Strict params without opt-in: unknown keys at any depth of any zod schema, the closest valid name, resource bounds
// and their `allow_large` override; the real pipeline.yaml validates under them and a misspelled param does not.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { closestName, resourceOverLimits, unknownKeys } from "../../engine/strict-keys.js";
import { resourceLimit } from "../../engine/types.js";
import { loadSpec, SpecError } from "../../engine/spec.js";
import { stageCatalog } from "../../stages/index.js";
import { REPO } from "../support/engine-project.js";

const Params = z.object({
  sample_policy: z.enum(["first", "majority"]).default("first"),
  models: z.object({ exclude: z.array(z.string()).default([]) }).default({ exclude: [] }),
  options: z.record(z.string(), z.unknown()).default({}),
  loose: z.object({ a: z.number() }).passthrough().optional(),
  list: z.array(z.object({ label: z.string() })).optional(),
  B_sf: resourceLimit(z.number().int().positive(), 1000, "replicates").default(10),
  orthant: z.object({ max_points: resourceLimit(z.number().int(), 50, "points").default(5) }).default({ max_points: 5 }),
  either: z.union([z.object({ files: z.array(z.string()) }), z.object({ local: z.array(z.string()) })]).optional(),
});

test("unknown keys at any depth are found with the closest valid name; records and passthrough objects are open", () => {
  const u = unknownKeys(Params, {
    sample_polcy: "majority", models: { exlude: ["x"] }, options: { anything: 1 }, loose: { a: 1, extra: 2 },
    list: [{ label: "a" }, { lable: "b" }], Bsf: 20,
  });
  assert.deepEqual(u.map((x) => [x.path.join("."), x.suggestion]), [
    ["sample_polcy", "sample_policy"], ["models.exlude", "exclude"], ["list.1.lable", "label"], ["Bsf", "B_sf"],
  ]);
  assert.deepEqual(u[0]!.known, ["B_sf", "either", "list", "loose", "models", "options", "orthant", "sample_policy"]);
  assert.deepEqual(unknownKeys(Params, { sample_policy: "first" }), []);
  // A name far from every valid one gets no suggestion (but the list of valid names).
  assert.equal(unknownKeys(Params, { zzzzzzzz: 1 })[0]!.suggestion, undefined);
  // A union: the option the value fits decides; with none fitting, a key no option declares is named.
  assert.deepEqual(unknownKeys(Params, { either: { local: ["a"] } }), []);
  const bad = unknownKeys(Params, { either: { fils: ["a"] } });
  assert.deepEqual(bad.map((x) => [x.path.join("."), x.suggestion]), [["either.fils", "files"]]);
  // .strict() objects are reported the same way (zod would only say "unrecognized key").
  assert.equal(unknownKeys(z.object({ pools: z.array(z.string()) }).strict(), { pool: [] })[0]!.suggestion, "pools");
});

test("closestName: case-insensitive exact match first, then within a typo's distance", () => {
  assert.equal(closestName("Sample_Policy", ["sample_policy", "name"]), "sample_policy");
  assert.equal(closestName("itmes", ["items", "name"]), "items");
  assert.equal(closestName("completely_different", ["items", "name"]), undefined);
  assert.equal(closestName("x", []), undefined);
});

test("resource bounds: numbers above a declared limit, at any depth, inside defaults", () => {
  assert.deepEqual(resourceOverLimits(Params, { B_sf: 1000 }), []);
  assert.deepEqual(resourceOverLimits(Params, { B_sf: 1001, orthant: { max_points: 51 } }).map((o) => [o.path.join("."), o.max, o.what]),
    [["B_sf", 1000, "replicates"], ["orthant.max_points", 50, "points"]]);
});

async function specErrors(yaml: string): Promise<string> {
  // Inside the project (paths are confined to it), in .cofail/, which a clone that never ran has not made yet.
  const file = join(REPO, ".cofail", `strict-keys-${process.pid}.yaml`);
  await import("node:fs/promises").then((fs) => fs.mkdir(join(REPO, ".cofail"), { recursive: true }));
  await writeFile(file, yaml);
  try {
    await loadSpec({ projectDir: REPO, file, catalog: stageCatalog });
    return "";
  } catch (e) {
    assert.ok(e instanceof SpecError, String(e));
    return e.message;
  } finally {
    await import("node:fs/promises").then((fs) => fs.rm(file, { force: true }));
  }
}

test("the real pipeline.yaml validates under strict params; sample_polcy and Bsf are errors naming the right param", async () => {
  const real = await readFile(join(REPO, "pipeline.yaml"), "utf8");
  assert.equal(await specErrors(real), "");
  const typo = real.replace("params: { name: lcb, sample_policy: majority, items: common }", "params: { name: lcb, sample_polcy: majority, items: common }");
  assert.notEqual(typo, real);
  const line = typo.split("\n").findIndex((l) => l.includes("sample_polcy")) + 1;
  const msg = await specErrors(typo);
  assert.match(msg, new RegExp(`:${line}:\\d+: stages\\.pool-lcb\\.params\\.sample_polcy: unknown param "sample_polcy" of stage type "pool"; did you mean "sample_policy"\\?`));
  assert.doesNotMatch(msg, /unknown stage/, "a param error must not cause follow-on errors for references to that stage");
  const bsf = real.replace("inputs: { matrix: pool-lcb.matrix, replicates: copula-lcb-bootstrap.replicates }\n    params: { k: 17, B_sf: 1000,", "inputs: { matrix: pool-lcb.matrix, replicates: copula-lcb-bootstrap.replicates }\n    params: { k: 17, Bsf: 20,");
  assert.notEqual(bsf, real);
  assert.match(await specErrors(bsf), /stages\.copula-lcb\.params\.Bsf: unknown param "Bsf" of stage type "copula"; did you mean "B_sf"\?/);
});

test("a resource param above its bound is refused unless the stage lists it under allow_large; allow_large names must exist", async () => {
  const head = "version: 1\nseed: 1\nstages:\n  c:\n    type: non-identifiability\n    params: { error_rates: [0.2, 0.2, 0.2], phi: 0.3, prefix: x }\n";
  assert.equal(await specErrors(head), "");
  const m = await specErrors(head + "  b:\n    type: fig-beta-k-all\n    inputs: { curves: [] }\n    params: { columns: 3, bogus: 1 }\n");
  assert.match(m, /stages\.b\.params\.bogus: unknown param "bogus" of stage type "fig-beta-k-all"/);
  const copula = (extra: string) => `version: 1\nseed: 1\nstages:\n  c:\n    type: non-identifiability\n    params: { error_rates: [0.2, 0.2, 0.2], phi: 0.3, prefix: x }\n` +
    `  k:\n    type: copula\n    inputs: { matrix: c.results }\n${extra}`;
  const over = await specErrors(copula("    params: { B_sf: 1000000000 }\n"));
  assert.match(over, /:10:\d+: stages\.k\.params\.B_sf: 1000000000 is above the bound 100000 for single-factor bootstrap replicates; .*add "allow_large: \[B_sf\]" to stage k/);
  const allowed = await specErrors(copula("    params: { B_sf: 1000000000 }\n    allow_large: [B_sf]\n"));
  assert.doesNotMatch(allowed, /above the bound/);
  const typo = await specErrors(copula("    params: { B_sf: 10 }\n    allow_large: [Bsf]\n"));
  assert.match(typo, /stages\.k\.allow_large\.0: "Bsf" is not a resource param of stage type "copula"; did you mean "B_sf"\?/);
});
