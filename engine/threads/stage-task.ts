// One stage task, run on a thread of the pool (./thread-pool.ts): loads the inputs (validating json inputs
// against the stage's schemas), calls run(ctx), checks every output against its schema and writes the files.
// ctx.progress/log/warn reach the scheduler as events; ctx.parallel runs the stage's own parallel work on a
// pool of further threads, started on first use and kept for the later tasks of this thread (sharedPool).
import { createHash } from "node:crypto";
import { availableParallelism } from "node:os";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { declaredOutputs } from "../catalog.js";
import type { PublishedResult, StageEvent, StageTaskResult, WorkerInput, WorkerTask } from "./protocol.js";
import { createThreadPool, type ThreadPool } from "./thread-pool.js";
import type { InputSpec, PublishOptions, StageContext, StageType } from "../types.js";

/** Registry ids: lower-case, dot-separated parts of [a-z0-9_+-]. */
export const RESULT_ID = /^[a-z0-9][a-z0-9_+-]*(\.[a-z0-9_+-]+)*$/;

/** The publish() of a stage context and what it collected, with the engine's rules (id pattern, finite, once). */
export function resultPublisher(stage: string) {
  const results = new Map<string, PublishedResult>();
  return {
    results,
    publish(id: string, value: number, options?: PublishOptions) {
      if (!RESULT_ID.test(id)) throw engineError(`publish: result id "${id}" must be lower-case, dot-separated (e.g. "math-l5.beta")`);
      if (typeof value !== "number" || !Number.isFinite(value)) throw engineError(`publish: result ${id} must be a finite number, got ${value}`);
      if (results.has(id)) throw engineError(`publish: result ${id} published twice by stage ${stage}`);
      results.set(id, { id, value, ...options });
    },
    sorted: () => [...results.values()].sort((a, b) => (a.id < b.id ? -1 : 1)),
  };
}

/**
 * ctx.parallel's pools, one per thread count, shared by the tasks this thread runs one after another: starting
 * threads costs ~0.15 s of CPU each (isolate, bundle import, WebAssembly compile), which a bootstrap block paid twice
 * per task. Safe to share because what they run is pure — a call's result depends on its arguments alone (the
 * ParallelMap contract) — and a thread that fails leaves its pool (thread-pool.ts). Idle threads do not keep the
 * process alive; they end with this thread.
 */
const pools = new Map<number, ThreadPool>();
function sharedPool(threads: number): ThreadPool {
  let pool = pools.get(threads);
  if (!pool) pools.set(threads, (pool = createThreadPool({ threads })));
  return pool;
}

export async function runStageTask(task: WorkerTask, emit: (e: StageEvent) => void): Promise<StageTaskResult> {
  const stage = (await import(task.moduleUrl)).default as StageType;
  const params = stage.params.parse(task.params);
  const inputs: Record<string, unknown> = {};
  for (const [name, input] of Object.entries(task.inputs)) {
    inputs[name] = await loadInput(name, input, stage.inputs[name]!);
  }
  const warnings: string[] = [];
  const publisher = resultPublisher(task.stage);
  const threads = task.threads ?? availableParallelism();
  const ctx: StageContext = {
    id: task.stage, partition: task.partition, ...(task.block ? { block: task.block } : {}), params, inputs, seed: task.seed, projectDir: task.projectDir,
    gitCommit: task.gitCommit,
    progress: (done, total, label) => emit({ type: "progress", done, total, label }),
    log: (message) => emit({ type: "log", message }),
    warn: (message) => { warnings.push(message); emit({ type: "warn", message }); },
    publish: publisher.publish,
    parallel: {
      threads,
      map: <A, R>(fn: { module: string; export: string }, args: A[]) => sharedPool(threads).map<A, R>(fn, args),
    },
  };
  const values = await stage.run(ctx);
  const outputs = declaredOutputs(stage, params);
  for (const name of Object.keys(values)) {
    if (!outputs[name]) throw engineError(`stage returned output "${name}", which its type does not declare (declared: ${Object.keys(outputs).join(", ")})`);
  }
  for (const [name, spec] of Object.entries(outputs)) {
    const value = values[name];
    if (value === undefined) throw engineError(`stage did not return declared output "${name}" (${spec.file})`);
    let bytes: string | Uint8Array;
    if (spec.kind === "json") {
      if (spec.schema) {
        const r = spec.schema.safeParse(value);
        if (!r.success) throw engineError(`output "${name}" (${spec.file}) fails its schema: ${formatIssues(r.error.issues)}`);
      }
      bytes = JSON.stringify(value, null, 2) + "\n";
    } else if (spec.kind === "text") {
      if (typeof value !== "string") throw engineError(`output "${name}" (${spec.file}) must be a string`);
      if (spec.schema) {
        const r = spec.schema.safeParse(value);
        if (!r.success) throw engineError(`output "${name}" (${spec.file}) fails its schema: ${formatIssues(r.error.issues)}`);
      }
      bytes = value;
    } else {
      if (!(value instanceof Uint8Array)) throw engineError(`output "${name}" (${spec.file}) must be a Uint8Array`);
      bytes = value;
    }
    await writeFile(join(task.outDir, spec.file), bytes);
  }
  const sorted = publisher.sorted();
  await writeFile(join(task.outDir, "results.json"), JSON.stringify(sorted, null, 2) + "\n");
  return { results: sorted, warnings };
}

async function loadInput(name: string, input: WorkerInput, spec: InputSpec): Promise<unknown> {
  if (input.kind === "files") {
    return input.groups.flatMap((g) => g.items.map(({ partition: _p, ...file }) => file));
  }
  const parse = async (path: string, label: string, expected: string) => {
    let value: unknown;
    const bytes = await readFile(path);
    // Verified on use: the bytes read are the ones the key was computed from, or the stage does not run.
    const got = createHash("sha256").update(bytes).digest("hex");
    if (got !== expected) throw engineError(`input "${name}": ${label} changed on disk (sha256 ${got.slice(0, 12)}…, expected ${expected.slice(0, 12)}…); run again to recompute it`);
    try {
      value = JSON.parse(bytes.toString("utf8"));
    } catch (e) {
      throw engineError(`input "${name}": ${label} is not valid JSON: ${(e as Error).message.slice(0, 200)}`);
    }
    if (!spec.schema) return value;
    const r = spec.schema.safeParse(value);
    if (!r.success) throw engineError(`input "${name}": ${label} fails the input schema: ${formatIssues(r.error.issues)}`);
    return r.data;
  };
  const groupValue = async (g: WorkerInput["groups"][number]) => {
    if (g.partitioned) {
      const out: Record<string, unknown> = {};
      for (const it of g.items) out[it.partition!] = await parse(it.path, it.name, it.sha256);
      return out;
    }
    const values = [];
    for (const it of g.items) values.push(await parse(it.path, it.name, it.sha256));
    return values.length === 1 ? values[0] : values;
  };
  const values = [];
  for (const g of input.groups) values.push(await groupValue(g));
  return input.multi ? values : values[0];
}

function formatIssues(issues: { path: PropertyKey[]; message: string }[]): string {
  const shown = issues.slice(0, 5).map((i) => `${i.path.map(String).join(".") || "(root)"}: ${i.message}`);
  return shown.join("; ") + (issues.length > 5 ? `; and ${issues.length - 5} more` : "");
}

function engineError(message: string): Error {
  return Object.assign(new Error(message), { fromEngine: true });
}
