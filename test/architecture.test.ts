// The import rules of ARCHITECTURE.md, checked on the real import graph (one esbuild metafile pass over every
// project module): a room imports only the rooms its arrows allow, stats/ does no I/O, no stage imports another
// stage, nothing imports test/, and lazy local imports (which the code hash does not follow) appear only where a
// stage declares what it loads through codeFiles.
import assert from "node:assert/strict";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { stageCatalog } from "../stages/index.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const ROOMS = ["cli", "engine", "stats", "core", "ingest", "audit", "certify", "stages", "figures", "paper", "bench", "scripts", "data", "test"] as const;

function tsFiles(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((n) => {
    const p = join(dir, n);
    if (n === "node_modules" || n === "fixtures") return [];
    return statSync(join(root, p)).isDirectory() ? tsFiles(p) : /\.ts$/.test(n) && !/\.as\.ts$/.test(n) ? [p] : [];
  });
}

const graph = (async () => {
  const entryPoints = ROOMS.flatMap((r) => tsFiles(r));
  const r = await build({
    entryPoints, absWorkingDir: root, bundle: true, write: false, metafile: true, platform: "node", format: "esm",
    packages: "external", logLevel: "silent", outdir: "out",
  });
  return r.metafile.inputs;
})();

const room = (f: string) => f.split("/")[0]!;

/** Which rooms (or engine files) a room may import. `engine-public` = engine/types.ts, engine/glob.ts, engine/index.ts. */
const ALLOWED: Record<string, string[]> = {
  engine: ["engine"],
  stats: ["stats"],
  core: ["core", "stats", "engine-public"],
  ingest: ["ingest", "core", "stats", "engine-public"],
  audit: ["audit", "ingest", "core", "stats", "engine-public"],
  certify: ["certify", "audit", "ingest", "core", "stats", "engine-public"],
  figures: ["figures", "core"],
  paper: ["paper", "engine-public"],
  stages: ["stages-self", "audit", "core", "ingest", "stats", "figures", "paper", "engine-public"],
  cli: ["cli", "engine", "paper", "certify", "stages-catalog"],
  bench: ["bench", "engine", "stats", "core", "ingest", "audit", "certify", "stages", "figures", "paper"],
  scripts: ["scripts"],
  data: ["data"],
};
const ENGINE_PUBLIC = new Set(["engine/types.ts", "engine/glob.ts", "engine/index.ts"]);

test("every import follows the room arrows of ARCHITECTURE.md", async () => {
  const inputs = await graph;
  const violations: string[] = [];
  for (const [file, meta] of Object.entries(inputs)) {
    const from = room(file);
    if (from === "test" || !ALLOWED[from]) continue;
    for (const imp of meta.imports) {
      if (imp.external) continue;
      const to = room(imp.path);
      const ok = ALLOWED[from]!.some((a) =>
        a === to ||
        (a === "engine-public" && ENGINE_PUBLIC.has(imp.path)) ||
        (a === "stages-catalog" && imp.path === "stages/index.ts") ||
        (a === "stages-self" && imp.path === file));
      if (!ok) violations.push(`${file} -> ${imp.path}`);
    }
  }
  assert.deepEqual(violations, []);
});

test("no stage module imports another stage module; nothing outside test/ imports test/", async () => {
  const inputs = await graph;
  const bad: string[] = [];
  for (const [file, meta] of Object.entries(inputs)) {
    for (const imp of meta.imports) {
      if (imp.external) continue;
      if (room(file) === "stages" && room(imp.path) === "stages") bad.push(`${file} -> ${imp.path}`);
      if (room(file) !== "test" && room(imp.path) === "test") bad.push(`${file} -> ${imp.path}`);
    }
  }
  assert.deepEqual(bad, []);
  // The catalog names every stage module, and every module under stages/ but the catalog is in it.
  const catalogued = new Set(Object.values(stageCatalog));
  assert.deepEqual(tsFiles("stages").filter((f) => f !== "stages/index.ts" && !catalogued.has(f)), []);
});

test("stats/ is pure: no Node built-ins (no fs, threads, processes, network) and no npm package with I/O", async () => {
  const inputs = await graph;
  const bad: string[] = [];
  for (const [file, meta] of Object.entries(inputs)) {
    if (room(file) !== "stats") continue;
    for (const imp of meta.imports) if (imp.external && !imp.path.startsWith("@stdlib/")) bad.push(`${file} -> ${imp.path}`);
  }
  assert.deepEqual(bad, []);
});

test("lazy local imports (not followed by the code hash) occur in a stage's code only in the adapter and grader registries", async () => {
  const inputs = await graph;
  const registries = new Set(["ingest/adapters/index.ts", "ingest/graders/index.ts"]);
  const closure = new Set<string>();
  const stack = Object.values(stageCatalog);
  while (stack.length) {
    const f = stack.pop()!;
    if (closure.has(f)) continue;
    closure.add(f);
    for (const imp of inputs[f]?.imports ?? []) if (!imp.external && imp.kind !== "dynamic-import") stack.push(imp.path);
  }
  const lazy = [...closure].flatMap((f) => (inputs[f]?.imports ?? [])
    .filter((imp) => !imp.external && imp.kind === "dynamic-import" && !registries.has(f)).map((imp) => `${f} -> ${imp.path}`));
  assert.deepEqual(lazy, []);
});
