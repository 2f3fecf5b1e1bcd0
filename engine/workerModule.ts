/**
 * How a worker thread gets a TypeScript module. Node 20 cannot load .ts, and installing tsx's loader in
 * each worker (register() + on-the-fly transforms of every imported file through the loader's hooks
 * thread) cost ~0.7 s CPU and ~0.4 s wall per worker — most of a short bootstrap. Instead, the main
 * thread bundles the module with its local imports into one plain ES module (esbuild; npm packages
 * stay imports), once per process and module, and the workers import that. Stages hand this to
 * stats/bootstrap's worker pool as its `prepareModule` (stats/ itself does no file I/O).
 *
 * Bundles are content-addressed files under node_modules/.cache/cofail/worker-modules/ (inside the
 * project, so the bundle's bare imports resolve to the project's node_modules), written to a temp name
 * and renamed, so concurrent processes never see a partial file. The code run is the same code: same
 * arithmetic, bit-identical results.
 */
import { createHash } from "node:crypto";
import { mkdir, rename, stat, writeFile } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";

const cacheDir = new URL("../node_modules/.cache/cofail/worker-modules/", import.meta.url);
const bundles = new Map<string, Promise<string>>();

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

async function bundleModule(url: string): Promise<string> {
  const { build } = await import("esbuild");
  const entry = fileURLToPath(url);
  let result;
  try {
    result = await build({
      entryPoints: [entry], bundle: true, write: false, platform: "node", format: "esm", target: "node20",
      packages: "external", logLevel: "silent", outfile: "bundle.mjs", legalComments: "none",
    });
  } catch (e) {
    throw new Error(`cannot bundle ${entry} for a worker thread: ${(e as Error).message}`);
  }
  const code = result.outputFiles[0]!.contents;
  const name = `${createHash("sha256").update(code).digest("hex").slice(0, 24)}.mjs`;
  const file = new URL(name, cacheDir);
  const exists = await stat(file).then(() => true, () => false);
  if (!exists) {
    await mkdir(cacheDir, { recursive: true });
    const tmp = new URL(`${name}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`, cacheDir);
    await writeFile(tmp, code);
    await rename(tmp, file);
  }
  return pathToFileURL(fileURLToPath(file)).href;
}
