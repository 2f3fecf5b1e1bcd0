/**
 * The one way a worker thread gets a TypeScript module. Node 20 cannot load .ts, and installing tsx's loader in
 * each worker (register() + on-the-fly transforms of every imported file through the loader's hooks thread)
 * costs ~0.7 s CPU and ~0.4 s wall per worker. Instead, the module is bundled with its local imports into one
 * plain ES module (esbuild; npm packages stay imports), once per process and module, and workers import that.
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
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const cacheDir = new URL("../../node_modules/.cache/cofail/worker-modules/", import.meta.url);
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

/** esbuild plugin: each local source file's import.meta.{url,dirname,filename} become literals of its own path. */
export const importMetaOfSource = {
  name: "cofail-import-meta",
  setup(build: { onLoad(o: { filter: RegExp }, cb: (a: { path: string }) => Promise<{ contents: string; loader: "ts" | "js"; resolveDir: string }>): void }) {
    build.onLoad({ filter: /\.[cm]?[jt]s$/ }, async ({ path }) => {
      const source = await readFile(path, "utf8");
      const contents = source
        .replace(/\bimport\.meta\.url\b/g, JSON.stringify(pathToFileURL(path).href))
        .replace(/\bimport\.meta\.dirname\b/g, JSON.stringify(dirname(path)))
        .replace(/\bimport\.meta\.filename\b/g, JSON.stringify(path));
      return { contents, loader: /\.[cm]?ts$/.test(path) ? "ts" : "js", resolveDir: dirname(path) };
    });
  },
};

async function bundleModule(url: string): Promise<string> {
  const { build } = await import("esbuild");
  const entry = fileURLToPath(url);
  let result;
  try {
    result = await build({
      entryPoints: [entry], bundle: true, write: false, platform: "node", format: "esm", target: "node20",
      packages: "external", logLevel: "silent", outfile: "bundle.mjs", legalComments: "none",
      plugins: [importMetaOfSource as never],
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
