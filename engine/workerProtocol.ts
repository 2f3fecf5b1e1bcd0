// Messages between the scheduler and a stage worker thread. Plain data only (structured clone).
import type { InputFile, PublishOptions } from "./types.js";

export interface WorkerInputItem extends InputFile { partition?: string }
export interface WorkerInput {
  kind: "json" | "files";
  multi: boolean;
  groups: { partitioned: boolean; items: WorkerInputItem[] }[];
}

export interface WorkerTask {
  type: "task";
  moduleUrl: string;
  stage: string;
  partition?: string;
  params: unknown;
  inputs: Record<string, WorkerInput>;
  seed: number;
  projectDir: string;
  gitCommit?: string;
  /** Directory the outputs are written to (inside the run's temp dir). */
  outDir: string;
}

export interface PublishedResult extends PublishOptions { id: string; value: number }

export type WorkerMessage =
  | { type: "progress"; done: number; total: number; label?: string }
  | { type: "log"; message: string }
  | { type: "warn"; message: string }
  | { type: "done"; results: PublishedResult[]; warnings: string[] }
  | { type: "error"; message: string };
