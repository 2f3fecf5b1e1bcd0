// Turns a stage (and partition) into a task: its inputs resolved to content hashes and its cache key.
// A key is computable only once every upstream task it reads has a known record (cached or just run).
import { basename, join } from "node:path";
import { cacheOutDir, type CacheRecord, type ProjectPaths } from "./cache.js";
import { sha256 } from "./canonical-json.js";
import type { CodeIngredients } from "./code-hash.js";
import type { DatasetFile } from "./datasets.js";
import { cacheKeyOf, type LockInput, type TaskIngredients } from "./lockfile.js";
import type { PipelineSpec, ResolvedRef } from "./spec.js";
import { stageOutputs } from "./catalog.js";
import { GIT_COMMIT_STAMP } from "./stamp.js";

export interface PlanContext {
  spec: PipelineSpec;
  paths: ProjectPaths;
  code: Map<string, CodeIngredients>;
  datasets: Map<string, DatasetFile[]>;
  /** The record of an upstream task whose outputs are known for this run, if any. */
  upstream(stage: string, partition: string | undefined): CacheRecord | undefined;
}

export interface TaskInputItem extends LockInput {
  dataset?: DatasetFile;
  /** Absolute path of an upstream output inside the run-cache. */
  path?: string;
  /** The upstream stage and the run of it this task reads (for this run only: never in the lock). */
  upstream?: { stage: string; key: string };
  partition?: string;
}

export interface TaskInputGroup { ref: string; partitioned: boolean; items: TaskInputItem[] }
export interface TaskInput { kind: "json" | "files"; multi: boolean; groups: TaskInputGroup[] }

export interface PlannedTask {
  stage: string;
  partition?: string;
  key: string;
  seed: number;
  inputs: Record<string, TaskInput>;
  code: CodeIngredients;
  /** GIT_COMMIT_STAMP for stage types that stamp the commit into their outputs (engine/stamp.ts), else undefined. */
  gitCommit?: string;
  /** The record the key is computed from; the lock entry stores it as is. */
  ingredients: TaskIngredients;
}

export type PlanResult = { task: PlannedTask } | { waitingFor: { stage: string; input: string }[] };

/** Deterministic per-task seed: from the global seed, stage id and partition, never from code. */
export function seedFor(globalSeed: number, stage: string, partition?: string): number {
  return parseInt(sha256(`cofail-seed\0${globalSeed}\0${stage}\0${partition ?? ""}`).slice(0, 8), 16) >>> 1;
}

/**
 * The seed of a task of the spec: a sweep's variants share their declaration's, and a stage with `seed_of: X` has X's
 * (common random numbers).
 */
export function taskSeed(spec: PipelineSpec, stage: string, partition?: string): number {
  const decl = spec.stages[stage];
  // Blocks share the stage's seed: a block draws the replicate streams of its own replicate indices, so the results
  // do not depend on how many blocks there are.
  const p = decl?.blocks !== undefined ? undefined : partition;
  const owner = decl?.seedOf !== undefined ? (spec.stages[decl.seedOf]?.variant?.of ?? decl.seedOf) : (decl?.variant?.of ?? stage);
  return seedFor(spec.seed, owner, p);
}

/** Partition keys of a foreach stage, sorted; undefined for a stage that runs once. */
export function partitionsOf(ctx: Pick<PlanContext, "spec" | "datasets">, stage: string): string[] | undefined {
  const decl = ctx.spec.stages[stage]!;
  if (decl.blocks !== undefined) return blockPartitions(decl.blocks);
  if (decl.foreach === undefined) return undefined;
  const ref = decl.inputs[decl.foreach]!.refs[0]!;
  if (ref.kind === "dataset") return [...partitionMap(ctx.datasets.get(ref.dataset) ?? []).keys()].sort();
  return partitionsOf(ctx, ref.stage) ?? [];
}

/** Partition keys of a `blocks: N` stage: block-0..block-(N-1), zero-padded so they sort in index order. */
export function blockPartitions(n: number): string[] {
  const w = String(n - 1).length;
  return Array.from({ length: n }, (_, i) => `block-${String(i).padStart(w, "0")}`);
}

/** {index, count} of a block partition key of a `blocks: N` stage. */
export function blockOf(n: number | undefined, partition: string | undefined): { index: number; count: number } | undefined {
  if (n === undefined || partition === undefined) return undefined;
  return { index: Number(partition.slice("block-".length)), count: n };
}

/** partition key -> file: the file's base name without extension, or its whole path when base names clash. */
export function partitionMap(files: DatasetFile[]): Map<string, DatasetFile> {
  const short = files.map((f) => safeKey(basename(f.name).replace(/\.[^.]*$/, "")));
  const unique = new Set(short).size === short.length;
  return new Map(files.map((f, i) => [unique ? short[i]! : safeKey(f.name.replace(/\.[^.]*$/, "").split("/").join("__")), f]));
}

function safeKey(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]/g, "_");
}

export function planTask(ctx: PlanContext, stage: string, partition: string | undefined): PlanResult {
  const decl = ctx.spec.stages[stage]!;
  const waitingFor: { stage: string; input: string }[] = [];
  const inputs: Record<string, TaskInput> = {};
  for (const [name, input] of Object.entries(decl.inputs)) {
    const spec = decl.stageType.inputs[name]!;
    const isForeach = decl.foreach === name;
    const groups: TaskInputGroup[] = [];
    for (const ref of input.refs) {
      const g = resolveGroup(ctx, ref, isForeach ? partition : undefined);
      if ("waiting" in g) waitingFor.push(...g.waiting.map((s) => ({ stage: s, input: name })));
      else if (ref.kind === "output" && ref.sweep) {
        // A whole-sweep reference is one group, keyed by variant label (the stage gets a Record, as for partitions).
        const item = { ...g.items[0]!, partition: ref.sweep.key };
        const last = groups[groups.length - 1];
        if (last && last.ref === ref.sweep.ref) last.items.push(item);
        else groups.push({ ref: ref.sweep.ref, partitioned: true, items: [item] });
      } else groups.push(g);
    }
    inputs[name] = { kind: spec.kind, multi: input.multi, groups };
  }
  if (waitingFor.length) return { waitingFor };
  const code = ctx.code.get(stage)!;
  const seed = taskSeed(ctx.spec, stage, partition);
  // The commit is never an ingredient: a stamping stage writes a placeholder that only build/ sees replaced.
  const gitCommit = decl.stageType.stampsGitCommit ? GIT_COMMIT_STAMP : undefined;
  const ingredients: TaskIngredients = {
    type: decl.type, ...(partition !== undefined ? { partition } : {}), seed,
    code: code.files, packages: code.packages, params: decl.params,
    inputs: Object.fromEntries(Object.entries(inputs).map(([n, i]) => [n, i.groups.flatMap((g) => g.items.map((it) => ({
      ref: it.ref, name: it.name, sha256: it.sha256, ...(it.url ? { url: it.url } : {}),
    })))])),
  };
  const key = cacheKeyOf(ingredients);
  return { task: { stage, partition, key, seed, inputs, code, gitCommit, ingredients } };
}

function resolveGroup(ctx: PlanContext, ref: ResolvedRef, onlyPartition: string | undefined): TaskInputGroup | { waiting: string[] } {
  if (ref.kind === "dataset") {
    const files = ctx.datasets.get(ref.dataset) ?? [];
    const picked = onlyPartition === undefined ? files : [partitionMap(files).get(onlyPartition)!];
    return { ref: ref.ref, partitioned: false, items: picked.map((f) => ({ ref: ref.ref, name: f.name, sha256: f.sha256, url: f.url, dataset: f })) };
  }
  const upParts = partitionsOf(ctx, ref.stage);
  const parts = onlyPartition !== undefined ? [onlyPartition] : upParts ?? [undefined];
  const items: TaskInputItem[] = [];
  const waiting: string[] = [];
  const up = ctx.spec.stages[ref.stage]!;
  const file = stageOutputs(up.stageType, up.parsedParams)[ref.output]!.file;
  for (const p of parts) {
    const rec = ctx.upstream(ref.stage, p);
    const out = rec?.entry.outputs[ref.output];
    if (!rec || !out) { waiting.push(ref.stage); continue; }
    items.push({
      ref: ref.ref, name: p === undefined ? `${ref.stage}/${file}` : `${ref.stage}/${p}/${file}`, sha256: out.sha256,
      upstream: { stage: ref.stage, key: rec.key }, path: join(cacheOutDir(ctx.paths, rec.key), out.file), partition: p,
    });
  }
  if (waiting.length) return { waiting: [...new Set(waiting)] };
  return { ref: ref.ref, partitioned: upParts !== undefined && onlyPartition === undefined, items };
}
