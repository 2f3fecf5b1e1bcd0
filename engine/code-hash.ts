// The code ingredient of a cache key: every local file a stage module (and its codeFiles) transitively
// imports, found with ONE esbuild bundle pass (metafile only, nothing written), plus the lockfile versions
// of the npm packages those files import. A file nothing imports never counts; a local file reached only
// through a lazy `import()` counts only when the stage lists it in codeFiles(params). A module's hash is of its
// syntax tree (./code-normalize.ts: comments and formatting do not count); any other file's is of its bytes.
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { builtinModules } from "node:module";
import { join } from "node:path";
import type { FileHasher } from "./file-hasher.js";
import { isModuleFile, openNormalizedHashes } from "./code-normalize.js";

export interface CodeIngredients {
  /** project-relative path -> sha256 of its syntax tree (modules) or of its bytes (other files) */
  files: Record<string, string>;
  /** npm package -> version from package-lock.json */
  packages: Record<string, string>;
}

const isModule = isModuleFile;

interface MetaInput { imports: { path: string; kind: string; external?: boolean }[] }

/**
 * @param groups name -> entry points (project-relative). Returns the ingredients of each group.
 */
export async function codeIngredients(options: {
  projectDir: string;
  groups: Map<string, string[]>;
  hasher: FileHasher;
  /** Told once when package versions cannot be recorded (no or unreadable package-lock.json, a package missing from it). */
  onWarning?: (message: string) => void;
}): Promise<Map<string, CodeIngredients>> {
  const all = [...new Set([...options.groups.values()].flat())].sort();
  const result = new Map<string, CodeIngredients>();
  if (!all.length) return result;
  // A codeFiles entry that is not a module (a rule written in Markdown, a grammar) is hashed as it is, with no imports.
  const entryPoints = all.filter(isModule);
  const inputs: Record<string, MetaInput> = entryPoints.length ? { ...(await importGraph(options.projectDir, entryPoints)) } : {};
  for (const f of all) if (!isModule(f)) inputs[normalise(f)] = { imports: [] };
  const versions = await lockfileVersions(options.projectDir);
  const unknown = new Set<string>();
  const fileHash = new Map<string, string>();
  const normalized = await openNormalizedHashes(join(options.projectDir, ".cofail", "code-hash.json"));
  for (const f of Object.keys(inputs)) {
    const abs = join(options.projectDir, f);
    const h = await options.hasher.hashFile(abs);
    if (h) fileHash.set(f, isModule(f) ? await normalized.hash(f, abs, h.sha256) : h.sha256);
  }
  await normalized.save();
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
          if (pkg) {
            packages[pkg] = versions?.[pkg] ?? "unknown";
            if (versions?.[pkg] === undefined) unknown.add(pkg);
          }
        } else if (imp.kind !== "dynamic-import") stack.push(imp.path);
        // A local module reached only by a lazy import() (a registry of adapters, say) is not followed: the
        // stage names the one it loads in codeFiles(params), so the key holds that module and not its siblings.
      }
    }
    result.set(group, { files: sortObject(files), packages: sortObject(packages) });
  }
  if (unknown.size) {
    const names = [...unknown].sort().join(", ");
    options.onWarning?.(versions === undefined
      ? `package-lock.json is missing or unreadable in ${options.projectDir}: the versions of ${names} are recorded as "unknown", so upgrading them will not invalidate cached results (run \`npm install\` to create it)`
      : `package-lock.json does not list ${names}: recorded as version "unknown" (run \`npm install\`)`);
  }
  return result;
}

/**
 * The import graph of the entry points (esbuild metafile inputs). esbuild costs a few hundred ms of a no-op run,
 * so the graph is kept in .cofail/import-graph.json with the size, mtime and inode of every file in it and reused
 * while none of those changed: a file's imports can only change when the file does. The graph only says WHICH
 * files count; their content hashes, computed every time, are what enters the key.
 */
async function importGraph(projectDir: string, entryPoints: string[]): Promise<Record<string, MetaInput>> {
  const cacheFile = join(projectDir, ".cofail", "import-graph.json");
  const stamp = async (f: string) => {
    try {
      const st = await stat(join(projectDir, f));
      return `${st.size}:${st.mtimeMs}:${st.ino}`;
    } catch {
      return "missing";
    }
  };
  try {
    const cached = JSON.parse(await readFile(cacheFile, "utf8")) as { entryPoints: string[]; inputs: Record<string, MetaInput>; stamps: Record<string, string> };
    if (cached.entryPoints.join("\n") === entryPoints.join("\n")) {
      const files = Object.keys(cached.stamps);
      const now = await Promise.all(files.map(stamp));
      if (files.every((f, i) => cached.stamps[f] === now[i])) return cached.inputs;
    }
  } catch {
    // no cache, or an unreadable one: rebuild it
  }
  const { build } = await import("esbuild");
  let inputs: Record<string, MetaInput>;
  try {
    const r = await build({
      entryPoints, absWorkingDir: projectDir, bundle: true, write: false, metafile: true,
      platform: "node", format: "esm", packages: "external", logLevel: "silent", outdir: ".cofail/esbuild-out",
    });
    inputs = r.metafile.inputs;
  } catch (e) {
    const errors = (e as { errors?: { text: string; location?: { file: string; line: number; column: number } }[] }).errors;
    const msg = errors?.map((x) => (x.location ? `${x.location.file}:${x.location.line}:${x.location.column}: ` : "") + x.text).join("\n");
    throw new Error(`cannot analyse stage code: ${msg ?? (e as Error).message}`);
  }
  const files = Object.keys(inputs).sort();
  const stamps = Object.fromEntries(await Promise.all(files.map(async (f) => [f, await stamp(f)] as const)));
  try {
    await mkdir(join(projectDir, ".cofail"), { recursive: true });
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify({ entryPoints, inputs, stamps }));
    await rename(tmp, cacheFile);
  } catch {
    // a read-only project still works, just without the shortcut
  }
  return inputs;
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

async function lockfileVersions(projectDir: string): Promise<Record<string, string> | undefined> {
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
    return undefined;
  }
}

function sortObject<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
