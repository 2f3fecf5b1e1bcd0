#!/usr/bin/env node
// Entry point for `npx cofail` and `make paper`. Runs cli/main.ts from its prebuilt plain-JS bundle
// (node_modules/.cache/cofail/cli/main.mjs, see cli/bundle.ts), so a `cofail run` with nothing to do starts without
// a TypeScript loader. The bundle is checked against its sources on every start — stat first, the sha256 of any file
// whose stat moved — and when a source changed (or there is no bundle yet) this start runs cli/main.ts through tsx
// and rebuilds the bundle for the next one.
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bundleDir = join(root, "node_modules/.cache/cofail/cli");

function fresh() {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(bundleDir, "manifest.json"), "utf8"));
    statSync(join(bundleDir, "main.mjs"));
  } catch {
    return false;
  }
  if (manifest.version !== 1) return false;
  for (const [rel, want] of Object.entries(manifest.inputs)) {
    const file = join(root, rel);
    let st;
    try { st = statSync(file); } catch { return false; }
    if (st.size === want.size && st.mtimeMs === want.mtimeMs) continue;
    if (createHash("sha256").update(readFileSync(file)).digest("hex") !== want.sha256) return false;
  }
  return true;
}

if (fresh()) {
  await import(pathToFileURL(join(bundleDir, "main.mjs")).href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  const { buildCliBundle } = await import(pathToFileURL(join(root, "cli/bundle.ts")).href);
  // Built before the command runs (a few hundred ms), so a command that exits early still leaves a fresh bundle.
  await buildCliBundle(root).catch((e) => console.error(`cofail: could not prebuild the CLI bundle (${e.message}); running from source`));
  await import(pathToFileURL(join(root, "cli/main.ts")).href);
}
