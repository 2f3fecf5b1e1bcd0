// Test helpers for adapters: the real model registry, fixture and mirror InputFiles, and a runner collecting warnings.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import type { InputFile } from "../../engine/types.js";
import type { CanonicalRow } from "../../core/canonical-table.js";
import { parseModelRegistry, type ModelRegistry } from "../../core/model-registry.js";
import type { Adapter } from "../../ingest/adapters/types.js";

export const projectDir = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const fixtureDir = join(projectDir, "test/fixtures/data");
export const mirrorDir = resolve(projectDir, "../shared/data");

let registry: ModelRegistry | undefined;
export function models(): ModelRegistry {
  registry ??= parseModelRegistry(readFileSync(join(projectDir, "data/models.yaml"), "utf8"), "data/models.yaml");
  return registry;
}

/** A fixture file under test/fixtures/data, named by its relative path. */
export function fixture(rel: string): InputFile {
  return { name: rel, path: join(fixtureDir, rel), sha256: "" };
}

let scratch: string | undefined;
function scratchDir(): string {
  if (scratch === undefined) {
    const dir = mkdtempSync(join(tmpdir(), "cofail-adapters-"));
    // Gunzipped mirror copies are tens of MB: remove them when the test process ends.
    process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
    scratch = dir;
  }
  return scratch;
}

/** A file written for one test (hostile variants of fixtures); name is the logical path adapters see. */
export function tempFile(name: string, content: string): InputFile {
  const path = join(scratchDir(), "tmp", name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return { name, path, sha256: "" };
}

/** A real mirror file by its logical (manifest) path; `.gz` mirror copies are gunzipped, as the fetch layer does. */
export function mirror(rel: string): InputFile {
  const plain = join(mirrorDir, rel);
  if (existsSync(plain)) return { name: rel, path: plain, sha256: "" };
  const gz = `${plain}.gz`;
  if (!existsSync(gz)) throw new Error(`mirror file missing: ${rel}`);
  const out = join(scratchDir(), "mirror", rel);
  if (!existsSync(out)) {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, gunzipSync(readFileSync(gz)));
  }
  return { name: rel, path: out, sha256: "" };
}

export interface Run { rows: CanonicalRow[]; warnings: string[] }

export async function runAdapter(adapter: Adapter, files: InputFile[], options: Record<string, unknown> = {}, task = "t"): Promise<Run> {
  const warnings: string[] = [];
  const rows = await adapter({ task, files, options, models: models(), warn: (m) => warnings.push(m) });
  return { rows, warnings };
}

/** Items on which every model's verdict (by `verdictOf`) is 0, among items where `verdictOf` is defined for all. */
export function allWrongCount(rows: CanonicalRow[], verdictOf: (r: CanonicalRow) => number): number {
  const byItem = new Map<string, number[]>();
  for (const r of rows) byItem.set(r.item_id, [...(byItem.get(r.item_id) ?? []), verdictOf(r)]);
  return [...byItem.values()].filter((v) => v.every((x) => x === 0)).length;
}
