// Command-line conventions: --version, exit codes by kind of error (documented in --help), --json on the verbs
// that print data, suggestions for mistyped names, and output that survives a reader closing the pipe.
// tier: slow
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { BASIC_FILES, BASIC_PIPELINE, makeProject, REPO, runCli, spawnCli } from "../support/engine-project.js";

const PIPELINE = BASIC_PIPELINE + `  memo:
    type: memo
    inputs: { results: [count.results, total.results] }
`;

const project = (async () => {
  const dir = await makeProject({ pipeline: PIPELINE, files: BASIC_FILES });
  const r = await runCli(dir, ["run", "--jobs", "2", "--json"]);
  assert.equal(r.code, 0, r.stderr);
  return { dir, run: JSON.parse(r.stdout) as { exitCode: number; headline: string[]; outcomes: { stage: string; status: string }[]; message: string } };
})();

test("--version, and --help documents the exit codes", async () => {
  const { dir } = await project;
  const { version } = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string };
  const v = await runCli(dir, ["--version"]);
  assert.deepEqual([v.code, v.stdout.trim()], [0, version]);
  const help = await runCli(dir, ["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Exit codes:\n {2}0 {2}success\n {2}1 {2}a stage failed.*\n {2}2 {2}usage error.*\n {2}3 {2}explain --verify.*\n {2}4 {2}data or spec error/);
});

test("usage errors exit 2 with a suggestion; data errors exit 4", async () => {
  const { dir } = await project;
  const cmd = await runCli(dir, ["staus"]);
  assert.equal(cmd.code, 2);
  assert.match(cmd.stderr, /unknown command 'staus'\n\(Did you mean status\?\)/);
  const opt = await runCli(dir, ["run", "--jbos", "2"]);
  assert.equal(opt.code, 2);
  assert.match(opt.stderr, /unknown option '--jbos'\n\(Did you mean --jobs\?\)/);
  const target = await runCli(dir, ["run", "totl"]);
  assert.equal(target.code, 2);
  assert.match(target.stderr, /^error: unknown target "totl" \(did you mean "total"\?\)/);
  const certifyFlag = await runCli(dir, ["certify", join(REPO, "test/fixtures/data/generic/results.csv"), "--level", "2"]);
  assert.equal(certifyFlag.code, 2, certifyFlag.stderr);
  assert.match(certifyFlag.stderr, /--level must be a number in \(0, 1\)/);
  await writeFile(join(dir, "bad.csv"), "item_id,model,sample,correct\nq1,m,0,maybe\n");
  const certifyData = await runCli(dir, ["certify", join(dir, "bad.csv")]);
  assert.equal(certifyData.code, 4, certifyData.stderr);
  assert.match(certifyData.stderr, /bad\.csv.*line 2/);
  await writeFile(join(dir, "broken.yaml"), PIPELINE.replace("dataset:texts", "dataset:txts"));
  const spec = await runCli(dir, ["-f", join(dir, "broken.yaml"), "status"]);
  assert.equal(spec.code, 4);
  assert.match(spec.stderr, /broken\.yaml:\d+:\d+: stages\.count\.inputs\.files: unknown dataset "txts" \(did you mean "texts"\?\)/);
});

test("--json on run and dag; the run names its headline output last", async () => {
  const { dir, run } = await project;
  assert.equal(run.exitCode, 0);
  assert.deepEqual(run.headline, ["build/memo/memo.txt"]);
  assert.deepEqual(run.outcomes.map((o) => o.status), ["ran", "ran", "ran", "ran", "ran", "ran"]);
  const again = await runCli(dir, ["run"]);
  assert.deepEqual(again.stdout.trimEnd().split("\n"), ["nothing to do: 5 stages up to date", "output: build/memo/memo.txt"]);
  const one = await runCli(dir, ["run", "total"]);
  assert.equal(one.stdout.trimEnd().split("\n").pop(), "output: build/total/", "without a headline stage, the targets' outputs");
  const dag = JSON.parse((await runCli(dir, ["dag", "--json"])).stdout) as { stages: { id: string; layer: number; upstream: string[] }[] };
  assert.deepEqual(dag.stages.map((s) => `${s.id}@${s.layer}<-${s.upstream.join("+")}`), ["count@0<-", "flag@0<-", "total@1<-count", "memo@2<-count+total", "report@3<-count+flag+memo+total"]);
});

/** Run the CLI with its stdout pipe closed by the reader before it writes (`cofail ... | head -0`). */
function closedPipe(dir: string, args: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawnCli(dir, args);
    child.stdout!.destroy();
    let stderr = "";
    child.stderr!.on("data", (c) => { stderr += String(c); });
    child.on("close", (code, signal) => resolve({ code, signal, stderr }));
  });
}

test("a closed pipe ends the command quietly with exit 0, no stack trace", async () => {
  const { dir } = await project;
  for (const args of [["explain", "total.sum", "--depth", "all"], ["status"], ["dag", "--json"], ["--help"]]) {
    const r = await closedPipe(dir, args);
    assert.deepEqual([r.code, r.signal, r.stderr], [0, null, ""], args.join(" "));
  }
});
