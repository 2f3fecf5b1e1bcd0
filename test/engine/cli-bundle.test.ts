// bin/cofail.js runs cli/main.ts from a prebuilt bundle and keeps it in step with its sources: built on the first
// start, reused while the sources' content is unchanged (a touch is not a change), rebuilt when one changes.
// tier: slow
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, symlinkSync } from "node:fs";
import { cp, mkdtemp, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { REPO } from "../support/engine-project.js";

function start(dir: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => execFile(process.execPath, [join(dir, "bin", "cofail.js"), ...args], { cwd: dir },
    (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, stdout, stderr })));
}

test("the CLI bundle is built once, survives a touch, and is rebuilt when a source changes", async () => {
  const dir = await mkdtemp(join(tmpdir(), "cofail-bundle-"));
  try {
    for (const f of execFileSync("git", ["ls-files"], { cwd: REPO, encoding: "utf8" }).split("\n").filter(Boolean)) {
      mkdirSync(dirname(join(dir, f)), { recursive: true });
      await cp(join(REPO, f), join(dir, f));
    }
    // The packages, but a private node_modules/.cache (where the bundle lives).
    mkdirSync(join(dir, "node_modules"));
    for (const name of readdirSync(join(REPO, "node_modules"))) if (name !== ".cache") symlinkSync(join(REPO, "node_modules", name), join(dir, "node_modules", name));
    const bundle = join(dir, "node_modules", ".cache", "cofail", "cli", "main.mjs");
    const built = async () => (await stat(bundle)).mtimeMs;

    const r1 = await start(dir, ["--help"]);
    assert.equal(r1.code, 0, r1.stderr);
    assert.match(r1.stdout, /Usage: cofail/);
    const t1 = await built();
    assert.equal((await start(dir, ["--help"])).code, 0);
    assert.equal(await built(), t1, "fresh bundle reused");

    const main = join(dir, "cli", "main.ts");
    await utimes(main, new Date(), new Date(Date.now() + 10_000));
    assert.equal((await start(dir, ["--help"])).code, 0);
    assert.equal(await built(), t1, "a touch without a content change does not rebuild");

    await writeFile(main, (await readFile(main, "utf8")) + "\n// edited\n");
    assert.equal((await start(dir, ["--help"])).code, 0);
    assert.notEqual(await built(), t1, "a content change rebuilds");
    assert.match(await readFile(bundle, "utf8"), /checkNoopStamp/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
