/**
 * The one way a worker thread gets a TypeScript module. Node 20 cannot load .ts, and installing tsx's loader in
 * each worker (register() + on-the-fly transforms of every imported file through the loader's hooks thread)
 * costs ~0.7 s CPU and ~0.4 s wall per worker. Instead, the module is bundled with its local imports into one
 * plain ES module (esbuild; npm packages stay imports), and workers import that. A bundle is built once and reused by
 * later processes while its inputs are unchanged (bundleModule: ~0.1-0.25 s of esbuild per module and process saved,
 * which every `cofail run` and every bootstrap's thread start paid).
 *
 * Bundling keeps module semantics: `import.meta.url` (and `.dirname`/`.filename`) of every bundled file is
 * replaced by that file's own location, so `new URL("./x.ts", import.meta.url)` and paths next to a source
 * file mean what they mean unbundled. The code run is the same code: same arithmetic, bit-identical results.
 *
 * Bundles are content-addressed files under node_modules/.cache/cofail/worker-modules/ (inside the project, so
 * the bundle's bare imports resolve to the project's node_modules), written to a temp name and renamed, so
 * concurrent processes never see a partial file.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const cacheDir = new URL("../../node_modules/.cache/cofail/worker-modules/", import.meta.url);
const bundles = new Map<string, Promise<string>>();
let builds = 0;

/** `url` itself unless it names a .ts file; then the URL of its plain-JS bundle (built on first request). */
export function runnableModuleUrl(url: string): Promise<string> {
  if (!/\.[cm]?ts$/.test(new URL(url).pathname)) return Promise.resolve(url);
  let bundle = bundles.get(url);
  if (!bundle) {
    bundle = bundleModule(url);
    bundles.set(url, bundle);
    bundle.catch(() => bundles.delete(url)); // a failed build is retried, not cached
  }
  return bundle;
}

/** Tests: how many esbuild builds this process ran, and forgetting the in-process memo (as a new process would). */
export const bundleCacheForTests = { builds: () => builds, forget: () => bundles.clear() };

const sha256 = (data: string | Uint8Array) => createHash("sha256").update(data).digest("hex");

/**
 * esbuild plugin: each local source file's import.meta.{url,dirname,filename} become literals of its own path.
 * `seen` (optional) receives each loaded file's sha256, the inputs a reused bundle is checked against.
 */
export function importMetaPlugin(seen?: Map<string, string>) {
  return {
    name: "cofail-import-meta",
    setup(build: { onLoad(o: { filter: RegExp }, cb: (a: { path: string }) => Promise<{ contents: string; loader: "ts" | "js"; resolveDir: string }>): void }) {
      build.onLoad({ filter: /\.[cm]?[jt]s$/ }, async ({ path }) => {
        const bytes = await readFile(path);
        seen?.set(path, sha256(bytes));
        const contents = bytes.toString("utf8")
          .replace(/\bimport\.meta\.url\b/g, JSON.stringify(pathToFileURL(path).href))
          .replace(/\bimport\.meta\.dirname\b/g, JSON.stringify(dirname(path)))
          .replace(/\bimport\.meta\.filename\b/g, JSON.stringify(path));
        return { contents, loader: /\.[cm]?ts$/.test(path) ? "ts" : "js", resolveDir: dirname(path) };
      });
    },
  };
}
export const importMetaOfSource = importMetaPlugin();

const BUILD_OPTIONS = {
  bundle: true, write: false, platform: "node", format: "esm", target: "node20",
  packages: "external", logLevel: "silent", outfile: "bundle.mjs", legalComments: "none",
} as const;
/** Bumped when the plugin's transformation changes (the bundles it made are then not reused). */
const PLUGIN_VERSION = 1;

/**
 * The bundle of `url`: reused across processes when an index entry names a bundle whose every input file still has
 * the content it was built from, and whose own bytes still hash to its name (both checked on every reuse, so a
 * stale or damaged cache is rebuilt, never run); otherwise built with esbuild and recorded. The index is keyed by the
 * entry file, the esbuild version and the build options.
 */
async function bundleModule(url: string): Promise<string> {
  const esbuild = await import("esbuild");
  const entry = fileURLToPath(url);
  const recipe = sha256(JSON.stringify({ entry, esbuild: esbuild.version, options: BUILD_OPTIONS, plugin: PLUGIN_VERSION }));
  const indexFile = new URL(`entry-${recipe.slice(0, 24)}.json`, cacheDir);
  const reused = await reusableBundle(indexFile);
  if (reused) return reused;
  const seen = new Map<string, string>();
  let result;
  try {
    builds++;
    result = await esbuild.build({ entryPoints: [entry], ...BUILD_OPTIONS, metafile: true, plugins: [importMetaPlugin(seen) as never] });
  } catch (e) {
    throw new Error(`cannot bundle ${entry} for a worker thread: ${(e as Error).message}`);
  }
  // Inputs esbuild loaded itself (not through the plugin, e.g. JSON) are hashed from disk.
  for (const input of Object.keys(result.metafile.inputs)) {
    const path = resolve(process.cwd(), input);
    if (!seen.has(path)) seen.set(path, sha256(await readFile(path)));
  }
  const code = result.outputFiles[0]!.contents;
  const name = `${sha256(code).slice(0, 24)}.mjs`;
  const file = new URL(name, cacheDir);
  await mkdir(cacheDir, { recursive: true });
  if (!(await bundleIntact(name))) await writeAtomically(file, code);
  await writeAtomically(indexFile, JSON.stringify({ bundle: name, inputs: Object.fromEntries(seen) }));
  return pathToFileURL(fileURLToPath(file)).href;
}

/** The bundle an index entry names, if the entry parses, every input is unchanged and the bundle is intact; else null. */
async function reusableBundle(indexFile: URL): Promise<string | null> {
  let index: { bundle?: unknown; inputs?: unknown };
  try {
    index = JSON.parse(await readFile(indexFile, "utf8"));
  } catch {
    return null;
  }
  if (typeof index.bundle !== "string" || !/^[0-9a-f]{24}\.mjs$/.test(index.bundle) || typeof index.inputs !== "object" || index.inputs === null) return null;
  for (const [path, hash] of Object.entries(index.inputs as Record<string, unknown>)) {
    const now = await readFile(path).then(sha256, () => null);
    if (now === null || now !== hash) return null;
  }
  return (await bundleIntact(index.bundle)) ? pathToFileURL(fileURLToPath(new URL(index.bundle, cacheDir))).href : null;
}

/** Whether the bundle file `<24 hex>.mjs` exists and its bytes still hash to its name. */
function bundleIntact(name: string): Promise<boolean> {
  return readFile(new URL(name, cacheDir)).then((b) => `${sha256(b).slice(0, 24)}.mjs` === name, () => false);
}

/** Written to a temp name and renamed, so concurrent processes never see a partial file. */
async function writeAtomically(file: URL, data: string | Uint8Array): Promise<void> {
  const tmp = new URL(`${fileURLToPath(file).split("/").at(-1)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`, cacheDir);
  await writeFile(tmp, data);
  await rename(tmp, file);
}
