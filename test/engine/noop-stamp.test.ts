// The no-op fast path (engine/noop-stamp.ts, cli/main.ts) through the real entry point: a plain `cofail run` with
// nothing to do is answered from stat alone (no run record is written), and every kind of change — code, a touched
// input, a missing output, the environment, a failed run — sends the next run through the ordinary path.
// tier: slow
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { BASIC_FILES, BASIC_PIPELINE, makeProject, REPO } from "../support/engine-project.js";
import { noopStampPath, plainRunCommand } from "../../engine/noop-stamp.js";

const MAIN = join(REPO, "cli/main.ts");

function main(dir: string, env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => execFile(process.execPath, ["--import", "tsx", MAIN, "-C", dir, "--catalog", join(dir, "catalog.ts"), "run"],
    { cwd: dir, env: { ...process.env, ...env } },
    (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, stdout, stderr })));
}
const records = async (dir: string) => (await readdir(join(dir, ".cofail", "runs"))).length;

test("plainRunCommand: only `run` with global options qualifies", () => {
  const cwd = "/p";
  assert.deepEqual(plainRunCommand(["run"], cwd), { projectDir: "/p", specFile: "/p/pipeline.yaml", ...(process.env.COFAIL_CATALOG ? { catalog: process.env.COFAIL_CATALOG } : {}) });
  assert.equal(plainRunCommand(["-C", "q", "--catalog", "c.ts", "run"], cwd)!.projectDir, "/p/q");
  assert.equal(plainRunCommand(["-C", "q", "--catalog", "c.ts", "run"], cwd)!.catalog, "/p/c.ts");
  assert.equal(plainRunCommand(["-f", "x.yaml", "run"], cwd)!.specFile, "/p/x.yaml");
  for (const argv of [["run", "total"], ["run", "--force"], ["run", "--dry"], ["run", "--jobs", "2"], ["status"], ["-C"], [], ["--verbose", "run"]]) {
    assert.equal(plainRunCommand(argv, cwd), null, argv.join(" "));
  }
});

test("a no-op run is answered from the stamp, and every change goes through the ordinary path", async () => {
  const dir = await makeProject({ pipeline: BASIC_PIPELINE, files: BASIC_FILES });
  const first = await main(dir);
  assert.equal(first.code, 0, first.stderr);
  assert.ok(existsSync(noopStampPath(dir)), "a successful plain run leaves a stamp");
  const fast = async (what: string) => {
    const n = await records(dir);
    const r = await main(dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /nothing to do: 4 stages up to date/, what);
    assert.equal(await records(dir), n, `${what}: answered by the stamp (no run record)`);
  };
  const ordinary = async (what: string, env: Record<string, string> = {}) => {
    const n = await records(dir);
    const r = await main(dir, env);
    assert.equal(await records(dir), n + 1, `${what}: ran the ordinary path`);
    return r;
  };
  await fast("second run");

  // A code change: the stage reruns.
  const helper = join(dir, "lib", "arith.ts");
  await writeFile(helper, (await readFile(helper, "utf8")).replace("* scale;", "* scale + 1;"));
  assert.doesNotMatch((await ordinary("code edited")).stdout, /nothing to do/);
  await fast("after the code change");

  // Same content, new mtime: the ordinary path finds nothing to do and stamps again.
  const input = join(dir, "data", "one.txt");
  await utimes(input, new Date(), new Date(Date.now() + 5000));
  assert.match((await ordinary("input touched")).stdout, /nothing to do/);
  await fast("after the touch");

  // A workspace output removed: restored from the run-cache.
  const outDir = join(dir, "build", "total");
  const outputs = (await readdir(outDir)).filter((f) => f !== "provenance.json");
  await rm(join(outDir, outputs[0]!));
  assert.doesNotMatch((await ordinary("output removed")).stdout, /nothing to do/);
  assert.ok(existsSync(join(outDir, outputs[0]!)));
  await fast("after the restore");

  // The environment the engine reads.
  await ordinary("COFAIL_DATA_MIRROR set", { COFAIL_DATA_MIRROR: join(dir, "elsewhere") });
  await ordinary("COFAIL_DATA_MIRROR unset again");
  await fast("after the environment came back");

  // A failed run leaves no stamp.
  const spec = join(dir, "pipeline.yaml");
  await writeFile(spec, (await readFile(spec, "utf8")).replace("ok: true", "ok: false"));
  const failed = await ordinary("spec edited to fail");
  assert.notEqual(failed.code, 0);
  assert.ok(!existsSync(noopStampPath(dir)), "no stamp after a failed run");
  await ordinary("still failing, no stamp");
});
