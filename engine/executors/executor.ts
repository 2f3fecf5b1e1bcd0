// Where a stage task runs. The scheduler (../run.ts) plans, restores, verifies and seals; an executor only runs one
// planned task (a WorkerTask: the stage module, its verified inputs, seed, and the temp out/ dir to write into) and
// reports its events. Local = a thread of the engine's pool (the default); slurm = one sbatch job per task
// (./slurm.ts), on a file system the submitting host shares with the nodes. Either way the outputs land in the
// run's temp dir and the engine does the same hashing, sealing and rename into the run-cache.
import type { StageEvent, StageTaskResult, WorkerTask } from "../threads/protocol.js";
import type { ThreadPool } from "../threads/thread-pool.js";

export interface ExecutorTask {
  /** "stage" or "stage[partition]", for messages. */
  label: string;
  /** The stage type (for per-type resources). */
  type: string;
  /** The cache key (job names). */
  key: string;
  task: WorkerTask;
  onEvent(e: StageEvent): void;
}

export interface Executor {
  readonly name: "local" | "slurm";
  /** How many tasks may run at once by default (threads, or jobs in the queue). */
  readonly defaultSlots: number;
  run(t: ExecutorTask): Promise<StageTaskResult>;
  /** Stops every task still running (Ctrl-C): scancel for slurm. Resolves when done. */
  cancel(): Promise<void>;
  close(): Promise<void>;
}

export function localExecutor(options: { pool: ThreadPool; stageTaskModule: string }): Executor {
  return {
    name: "local",
    defaultSlots: options.pool.threads,
    run: (t) => options.pool.call<StageTaskResult>({
      module: options.stageTaskModule, export: "runStageTask", args: [t.task],
      onEvent: (e) => t.onEvent(e as StageEvent),
    }),
    cancel: () => options.pool.close(),
    close: () => options.pool.close(),
  };
}
