// The prebuilt entry bundle bin/cofail.js runs: cli/main.ts (the no-op fast path) and the few engine modules it
// imports, as one plain ES module, so a `cofail run` with nothing to do needs no TypeScript loader at all. Built with
// esbuild and the same import.meta rewriting as the worker bundles (engine/threads/runnable-module.ts: every bundled
// file keeps its own import.meta.url, so main.ts still finds ./index.ts beside its source). The manifest lists
// every input file with its size, mtime and sha256; bin/cofail.js checks them on each start (stat, and the hash of a
// file whose stat moved) and rebuilds through this module when any content changed.
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { stat } from "node:fs/promises";
import { join, relative } from "node:path";
import { importMetaOfSource } from "../engine/threads/runnable-module.js";

export const CLI_BUNDLE_DIR = "node_modules/.cache/cofail/cli";

export interface CliBundleManifest {
  version: 1;
  /** project-relative path -> stat and content hash at build time */
  inputs: Record<string, { size: number; mtimeMs: number; sha256: string }>;
}

/** Builds <root>/node_modules/.cache/cofail/cli/{main.mjs,manifest.json}; returns the bundle's path. */
export async function buildCliBundle(root: string): Promise<string> {
  const { build } = await import("esbuild");
  const result = await build({
    entryPoints: [join(root, "cli/main.ts")], bundle: true, write: false, platform: "node", format: "esm", target: "node20",
    packages: "external", logLevel: "silent", outfile: "main.mjs", legalComments: "none", metafile: true,
    // ./index.ts is loaded (through tsx) only when the fast path does not apply: never bundled.
    external: ["*/cli/index.ts"],
    plugins: [importMetaOfSource as never],
  });
  const inputs: CliBundleManifest["inputs"] = {};
  for (const rel of Object.keys(result.metafile!.inputs)) {
    const abs = join(process.cwd(), rel);
    const [bytes, st] = await Promise.all([readFile(abs), stat(abs)]);
    inputs[relative(root, abs)] = { size: st.size, mtimeMs: st.mtimeMs, sha256: createHash("sha256").update(bytes).digest("hex") };
  }
  const dir = join(root, CLI_BUNDLE_DIR);
  await mkdir(dir, { recursive: true });
  const out = join(dir, "main.mjs");
  const tag = `${process.pid}.${Math.random().toString(36).slice(2)}`;
  await writeFile(`${out}.${tag}.tmp`, result.outputFiles[0]!.contents);
  await rename(`${out}.${tag}.tmp`, out);
  const manifest: CliBundleManifest = { version: 1, inputs };
  await writeFile(join(dir, `manifest.json.${tag}.tmp`), JSON.stringify(manifest, null, 1));
  await rename(join(dir, `manifest.json.${tag}.tmp`), join(dir, "manifest.json"));
  return out;
}
