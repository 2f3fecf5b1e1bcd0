// What the scheduler hands a stage task (./stage-task.ts) and what comes back. Plain data only (structured clone).
import type { InputFile, PublishOptions } from "../types.js";

export interface WorkerInputItem extends InputFile { partition?: string }
export interface WorkerInput {
  kind: "json" | "files";
  multi: boolean;
  groups: { partitioned: boolean; items: WorkerInputItem[] }[];
}

export interface WorkerTask {
  /** URL of the stage module as a thread can import it (./runnable-module.ts). */
  moduleUrl: string;
  stage: string;
  partition?: string;
  /** Block index and count of a `blocks: N` stage. */
  block?: { index: number; count: number };
  params: unknown;
  inputs: Record<string, WorkerInput>;
  seed: number;
  projectDir: string;
  gitCommit?: string;
  /** Directory the outputs are written to (inside the run's temp dir). */
  outDir: string;
  /** Threads of ctx.parallel (default: available CPUs). */
  threads?: number;
}

export interface PublishedResult extends PublishOptions { id: string; value: number }

export type StageEvent =
  | { type: "progress"; done: number; total: number; label?: string }
  | { type: "log"; message: string }
  | { type: "warn"; message: string };

export interface StageTaskResult { results: PublishedResult[]; warnings: string[] }
