// Code ingredients: transitive local imports only (one esbuild pass), codeFiles entries, package versions.
import { test } from "node:test";
import { createHash } from "node:crypto";
import assert from "node:assert/strict";
import { copyFile, mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { codeIngredients } from "../../engine/code-hash.js";
import { normalizedHash } from "../../engine/code-normalize.js";
import { createFileHasher } from "../../engine/file-hasher.js";
import { findCycle, topoOrder, upstreamClosure, downstreamOf } from "../../engine/dag.js";
import { seedFor, partitionMap } from "../../engine/plan.js";
import { REPO, readJson } from "../support/engine-project.js";


test("a stage's code = its module + transitive local imports + codeFiles; unrelated files never count", async () => {
  const dir = await mkdtemp(join(tmpdir(), "cofail-code-"));
  await mkdir(join(dir, "lib"));
  await copyFile(join(REPO, "package-lock.json"), join(dir, "package-lock.json"));
  const files: Record<string, string> = {
    "a.ts": `import { z } from "zod";\nimport { h } from "./lib/helper.js";\nimport { readFile } from "node:fs/promises";\nexport default { z, h, readFile };\n`,
    "lib/helper.ts": `import { deep } from "./deep.js";\nimport type { T } from "./types.js";\nexport const h = deep + 1;\n`,
    "lib/deep.ts": `export const deep = 1;\n`,
    "lib/types.ts": `export type T = number;\n`,
    "b.ts": `export default 2;\n`,
    "adapter.ts": `import pLimit from "p-limit";\nexport default pLimit;\n`,
    "unrelated.ts": `export const u = 3;\n`,
  };
  for (const [p, t] of Object.entries(files)) await writeFile(join(dir, p), t);
  const hasher = await createFileHasher({ cacheFile: join(dir, ".cofail", "stat.json") });
  const groups = new Map([["a", ["a.ts"]], ["b", ["b.ts", "adapter.ts"]]]);
  const code = await codeIngredients({ projectDir: dir, groups, hasher });
  const lock = await readJson<{ packages: Record<string, { version: string }> }>(join(REPO, "package-lock.json"));
  const tree = (f: string) => normalizedHash(files[f]!, f);
  assert.deepEqual(code.get("a"), {
    files: { "a.ts": await tree("a.ts"), "lib/deep.ts": await tree("lib/deep.ts"), "lib/helper.ts": await tree("lib/helper.ts") },
    packages: { zod: lock.packages["node_modules/zod"]!.version },
  });
  assert.deepEqual(Object.keys(code.get("b")!.files), ["adapter.ts", "b.ts"]);
  assert.deepEqual(code.get("b")!.packages, { "p-limit": lock.packages["node_modules/p-limit"]!.version });
});

test("DAG: deterministic topological order, cycles as closed paths, closures", () => {
  const deps = new Map([["d", new Set(["b", "c"])], ["c", new Set(["a"])], ["b", new Set(["a"])], ["a", new Set<string>()], ["e", new Set<string>()]]);
  assert.deepEqual(topoOrder(deps), ["a", "b", "c", "d", "e"]);
  assert.equal(findCycle(deps), undefined);
  assert.deepEqual([...upstreamClosure(deps, ["c"])].sort(), ["a", "c"]);
  assert.deepEqual([...downstreamOf(deps, new Set(["b"]))], ["d"]);
  const cyclic = new Map([["x", new Set(["y"])], ["y", new Set(["z"])], ["z", new Set(["x"])]]);
  assert.deepEqual(findCycle(cyclic), ["x", "y", "z", "x"]);
  assert.throws(() => topoOrder(cyclic), /dependency cycle: x -> y -> z -> x/);
});

test("seeds depend on global seed, stage and partition only; partition keys are unique file stems", () => {
  assert.equal(seedFor(1, "s"), seedFor(1, "s"));
  assert.notEqual(seedFor(1, "s"), seedFor(2, "s"));
  assert.notEqual(seedFor(1, "s", "p"), seedFor(1, "s"));
  assert.ok(Number.isInteger(seedFor(1, "s")) && seedFor(1, "s") >= 0 && seedFor(1, "s") < 2 ** 31);
  const f = (name: string) => ({ name, sha256: "0" });
  assert.deepEqual([...partitionMap([f("x/a.json"), f("x/b.json")]).keys()], ["a", "b"]);
  assert.deepEqual([...partitionMap([f("x/a.json"), f("y/a.json")]).keys()], ["x__a", "y__a"]);
});

test("a module's code hash ignores comments and formatting and changes with any edit to what the code says", async () => {
  const src = `import { z } from "zod";
// Sums the values, times a scale.
export function weighted(values: number[], scale: number): number {
  return values.reduce((a, b) => a + b, 0) * scale;
}
export const Shape = z.object({ kind: z.enum(["json", "text"]), n: z.number().default(1) });
export type Kind = "json" | "text";
`;
  const h = await normalizedHash(src, "m.ts");
  const same: Record<string, string> = {
    "a line comment": src.replace("export const Shape", "// the shape\nexport const Shape"),
    "a block comment": src.replace("(values: number[]", "(/* the values */ values: number[]"),
    "a doc comment": `/** The module. */\n${src}`,
    "indentation and line breaks": src.replace("  return values", "      return values").replace(", scale: number)", ",\n  scale: number,\n)"),
    "quote style": src.replace(/"/g, "'"),
    "semicolons": src.replace(/;\n/g, "\n"),
    "trailing commas": src.replace('n: z.number().default(1) }', 'n: z.number().default(1), }'),
    "redundant parentheses": src.replace("* scale;", "* (scale);"),
    "number spelling": src.replace("default(1)", "default(1.0)"),
  };
  for (const [what, variant] of Object.entries(same)) assert.equal(await normalizedHash(variant, "m.ts"), h, what);
  const changed: Record<string, string> = {
    "an operator": src.replace("a + b", "a - b"),
    "a literal": src.replace("default(1)", "default(2)"),
    "an identifier": src.replace("scale;", "scale2;"),
    "a string": src.replace('"json", "text"]', '"json", "txt"]'),
    "a type": src.replace('"json" | "text"', '"json" & "text"'),
    "an annotation": src.replace("scale: number)", "scale: bigint)"),
    "parentheses that matter": src.replace("values.reduce((a, b) => a + b, 0) * scale", "values.reduce((a, b) => a + b, 0 * scale)"),
    "a statement": src.replace("return values", "values.sort();\n  return values"),
  };
  for (const [what, variant] of Object.entries(changed)) assert.notEqual(await normalizedHash(variant, "m.ts"), h, what);
  // A syntax error names the file and the position.
  await assert.rejects(normalizedHash("export const x = ;\n", "lib/bad.ts"), /cannot parse lib\/bad\.ts:1:18: Unexpected token/);
});

test("codeIngredients: a comment edit keeps the hash, an operator edit changes it; non-module files are hashed as bytes", async () => {
  const dir = await mkdtemp(join(tmpdir(), "cofail-code-"));
  await copyFile(join(REPO, "package-lock.json"), join(dir, "package-lock.json"));
  await writeFile(join(dir, "s.ts"), `export const f = (x: number) => x * 2;\n`);
  await writeFile(join(dir, "RULE.md"), `# the rule\n`);
  const groups = new Map([["s", ["s.ts", "RULE.md"]]]);
  const hash = async () => {
    const hasher = await createFileHasher({ cacheFile: join(dir, ".cofail", "stat.json") });
    return (await codeIngredients({ projectDir: dir, groups, hasher })).get("s")!.files;
  };
  const before = await hash();
  assert.equal(before["RULE.md"], createHash("sha256").update("# the rule\n").digest("hex"));
  await writeFile(join(dir, "s.ts"), `// doubles\nexport const f = (x: number) =>\n  x * 2;\n`);
  await writeFile(join(dir, "RULE.md"), `# the rule\n\n`);
  const comment = await hash();
  assert.equal(comment["s.ts"], before["s.ts"]);
  assert.notEqual(comment["RULE.md"], before["RULE.md"], "a Markdown rule is hashed byte for byte");
  await writeFile(join(dir, "s.ts"), `// doubles\nexport const f = (x: number) =>\n  x + 2;\n`);
  assert.notEqual((await hash())["s.ts"], before["s.ts"]);
});
