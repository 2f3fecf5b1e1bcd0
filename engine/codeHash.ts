// The code ingredient of a cache key: every local file a stage module (and its codeFiles) transitively
// imports, found with ONE esbuild bundle pass (metafile only, nothing written), plus the lockfile versions
// of the npm packages those files import. A file nothing imports never counts.
import { readFile } from "node:fs/promises";
import { builtinModules } from "node:module";
import { join } from "node:path";
import type { FileHasher } from "./hash.js";

export interface CodeIngredients {
  /** project-relative path -> sha256 */
  files: Record<string, string>;
  /** npm package -> version from package-lock.json */
  packages: Record<string, string>;
}

interface MetaInput { imports: { path: string; kind: string; external?: boolean }[] }

/**
 * @param groups name -> entry points (project-relative). Returns the ingredients of each group.
 */
export async function codeIngredients(options: {
  projectDir: string;
  groups: Map<string, string[]>;
  hasher: FileHasher;
}): Promise<Map<string, CodeIngredients>> {
  const entryPoints = [...new Set([...options.groups.values()].flat())].sort();
  const result = new Map<string, CodeIngredients>();
  if (!entryPoints.length) return result;
  const { build } = await import("esbuild");
  let inputs: Record<string, MetaInput>;
  try {
    const r = await build({
      entryPoints, absWorkingDir: options.projectDir, bundle: true, write: false, metafile: true,
      platform: "node", format: "esm", packages: "external", logLevel: "silent", outdir: ".cofail/esbuild-out",
    });
    inputs = r.metafile.inputs;
  } catch (e) {
    const errors = (e as { errors?: { text: string; location?: { file: string; line: number; column: number } }[] }).errors;
    const msg = errors?.map((x) => (x.location ? `${x.location.file}:${x.location.line}:${x.location.column}: ` : "") + x.text).join("\n");
    throw new Error(`cannot analyse stage code: ${msg ?? (e as Error).message}`);
  }
  const versions = await lockfileVersions(options.projectDir);
  const fileHash = new Map<string, string>();
  for (const f of Object.keys(inputs)) {
    const h = await options.hasher.hashFile(join(options.projectDir, f));
    if (h) fileHash.set(f, h.sha256);
  }
  for (const [group, entries] of options.groups) {
    const files: Record<string, string> = {};
    const packages: Record<string, string> = {};
    const stack = entries.map(normalise);
    const seen = new Set<string>();
    while (stack.length) {
      const f = stack.pop()!;
      if (seen.has(f)) continue;
      seen.add(f);
      const meta = inputs[f];
      if (!meta) continue;
      files[f] = fileHash.get(f) ?? "missing";
      for (const imp of meta.imports) {
        if (imp.external) {
          const pkg = packageName(imp.path);
          if (pkg) packages[pkg] = versions[pkg] ?? "unknown";
        } else stack.push(imp.path);
      }
    }
    result.set(group, { files: sortObject(files), packages: sortObject(packages) });
  }
  return result;
}

function normalise(p: string): string {
  return p.replace(/^\.\//, "").split("\\").join("/");
}

const builtins = new Set(builtinModules);

function packageName(specifier: string): string | undefined {
  if (specifier.startsWith("node:") || builtins.has(specifier) || builtins.has(specifier.split("/")[0]!)) return undefined;
  if (specifier.startsWith(".") || specifier.startsWith("/")) return undefined;
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

async function lockfileVersions(projectDir: string): Promise<Record<string, string>> {
  try {
    const lock = JSON.parse(await readFile(join(projectDir, "package-lock.json"), "utf8")) as { packages?: Record<string, { version?: string }> };
    const out: Record<string, string> = {};
    for (const [path, p] of Object.entries(lock.packages ?? {})) {
      if (!path.startsWith("node_modules/") || !p.version) continue;
      const name = path.slice("node_modules/".length);
      if (!name.includes("/node_modules/")) out[name] = p.version;
    }
    return out;
  } catch {
    return {};
  }
}

function sortObject<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
