// The program a SLURM job runs (../executors/slurm.ts): `node -e 'import(bundle).then(m => m.runJobTask(task.json))'` (the bundle of
// this file, ./runnable-module.ts). It runs the one
// stage task the file describes exactly as a pool thread would (./stage-task.ts), with events as `::cofail-event`
// lines on stdout (the job log, which the engine tails for progress), and writes result.json next to the task file
// (through a temp name and a rename, so the engine never reads half a result). Exit code 0 when the stage
// succeeded, 1 when it failed (result.json then holds the error).
import { readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { runStageTask } from "./stage-task.js";
import type { WorkerTask } from "./protocol.js";

export const EVENT_PREFIX = "::cofail-event ";

export async function runJobTask(taskFile: string): Promise<number> {
  const task = JSON.parse(await readFile(taskFile, "utf8")) as WorkerTask;
  const resultFile = join(dirname(taskFile), "result.json");
  let out: unknown, code = 0;
  try {
    const r = await runStageTask(task, (e) => process.stdout.write(EVENT_PREFIX + JSON.stringify(e) + "\n"));
    out = { ok: true, ...r };
  } catch (e) {
    const err = e as Error & { fromEngine?: boolean };
    out = { ok: false, error: err?.message ?? String(e), stack: err?.stack };
    code = 1;
  }
  await writeFile(`${resultFile}.tmp`, JSON.stringify(out));
  await rename(`${resultFile}.tmp`, resultFile);
  return code;
}
