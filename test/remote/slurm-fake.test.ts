// The SLURM executor against stand-in SLURM commands (no cluster needed): sbatch runs the job script in the
// background, while squeue, sacct and scontrol hang as a controller that does not answer. The run must not hang: every
// poll command is cut at executor.slurm.command_timeout_s, the run says so once, reads each job's result file, and
// finishes with output byte-identical to a local run.
// tier: slow
import { test } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { chmod, mkdtemp as mkdtempRaw, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BASIC_FILES, BASIC_PIPELINE, makeProject, runCli, treeContents } from "../support/engine-project.js";

const made: string[] = [];
process.on("exit", () => { for (const d of made) rmSync(d, { recursive: true, force: true }); });
const mkdtemp = async (prefix: string) => { const d = await mkdtempRaw(prefix); made.push(d); return d; };

// The engine tests' small pipeline (count per file, total, flag, report), run through the stand-in commands.
const pipeline = BASIC_PIPELINE.replace("seed: 42\n", "seed: 42\nexecutor:\n  slurm: { command_timeout_s: 1, poll_s: 0.5 }\n");
const files = BASIC_FILES;

async function fakeSlurm(): Promise<string> {
  const bin = await mkdtemp(join(tmpdir(), "cofail-fake-slurm-"));
  const sh = (name: string, body: string) => writeFile(join(bin, name), `#!/bin/sh\n${body}\n`).then(() => chmod(join(bin, name), 0o755));
  await sh("sbatch", `out=""; dir="."; for a in "$@"; do case "$a" in --output=*) out="\${a#--output=}";; --chdir=*) dir="\${a#--chdir=}";; esac; script="$a"; done
n=$(( $(cat "${bin}/seq" 2>/dev/null || echo 100) + 1 )); echo $n > "${bin}/seq"
(cd "$dir" && sh "$script" > "$out" 2>&1) &
echo $n`);
  for (const hang of ["squeue", "sacct", "scontrol"]) await sh(hang, "sleep 30");
  await sh("scancel", `echo "$@" >> "${bin}/scancelled"`);
  return bin;
}

test("squeue, sacct and scontrol not answering: the run still finishes (each call cut at its timeout), byte-identical to local", async () => {
  const bin = await fakeSlurm();
  const local = await makeProject({ pipeline, files });
  assert.equal((await runCli(local, ["run"])).code, 0);
  const dir = await makeProject({ pipeline, files });
  const t0 = Date.now();
  const r = await runCli(dir, ["run", "--executor", "slurm"], { PATH: `${bin}:${process.env.PATH}` });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(Date.now() - t0 < 60_000, "did not hang");
  assert.equal((r.stderr.match(/slurm: squeue did not answer within 1s; polling again with backoff/g) ?? []).length, 1, r.stderr);
  assert.equal((r.stderr.match(/submitted as SLURM job 10\d/g) ?? []).length, 5);
  assert.deepEqual(await treeContents(join(dir, "build")), await treeContents(join(local, "build")));
});

test("no sbatch on PATH: the task fails saying what --executor slurm needs", async () => {
  const dir = await makeProject({ pipeline, files });
  const empty = await mkdtemp(join(tmpdir(), "cofail-no-slurm-"));
  const r = await runCli(dir, ["run", "--executor", "slurm", "count"], { PATH: empty });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /submitting count\[one\]: sbatch not found on PATH; --executor slurm needs the SLURM client commands \(sbatch, squeue, scancel\)/);
});
