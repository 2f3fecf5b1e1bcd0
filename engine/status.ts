// What would a run do, and why: each task is up to date, restorable from the run-cache, or must run.
// Reasons compare this run's ingredients with the task's entry in cofail.lock.
import { loadCacheRecord, readCacheRecord, verifyCacheEntry, workspaceIntact, workspaceProblems, type CacheRecord } from "./cache.js";
import type { OutputRecord } from "./lockfile.js";
import { expectedInWorkspace, stampedCommit, stampedFiles } from "./stamp.js";
import { canonicalJson } from "./canonical-json.js";
import { topoOrder } from "./dag.js";
import { lockEntryOf, type LockEntry } from "./lockfile.js";
import { partitionsOf, planTask, taskSeed, type PlanContext, type PlannedTask } from "./plan.js";
import type { Session } from "./session.js";

export type TaskState = "up-to-date" | "restore" | "run";

export interface TaskStatus {
  stage: string;
  partition?: string;
  state: TaskState;
  key?: string;
  reasons: string[];
  /** Up to date, but build/ carries another commit stamp: the next run rewrites the stamped files (nothing recomputed). */
  restamp?: { from?: string; to: string };
}

/** Whether build/ holds this run of the task (stamped files as stamped from it, with any commit). */
export async function workspaceHolds(session: Session, stage: string, partition: string | undefined, key: string, outputs: Record<string, OutputRecord>): Promise<boolean> {
  const decl = session.spec.stages[stage]!;
  const expected = expectedInWorkspace({ outputs, stamped: stampedFiles(decl.stageType, decl.parsedParams), state: session.stamps, stage, partition, key });
  return workspaceIntact({ paths: session.paths, stage, partition, outputs: expected, hasher: session.hasher });
}

/** The stamp refresh an up-to-date task needs, if its stage stamps the commit and build/ carries another one. */
export function restampOf(session: Session, stage: string, partition: string | undefined, key: string): TaskStatus["restamp"] {
  const decl = session.spec.stages[stage]!;
  const stamped = stampedFiles(decl.stageType, decl.parsedParams);
  if (!stamped.size || session.gitCommit === undefined) return undefined;
  const from = stampedCommit({ stamped, state: session.stamps, stage, partition, key });
  return from === session.gitCommit ? undefined : { ...(from !== undefined ? { from } : {}), to: session.gitCommit };
}

export function taskLabel(stage: string, partition?: string): string {
  return partition === undefined ? stage : `${stage}[${partition}]`;
}

/** Selected stage ids in deterministic topological order. */
export function selectedOrder(session: Session): string[] {
  const sub = new Map([...session.spec.deps].filter(([id]) => session.selected.has(id)));
  return topoOrder(sub);
}

export function planContext(session: Session, records: Map<string, CacheRecord>): PlanContext {
  return {
    spec: session.spec, paths: session.paths, code: session.code, datasets: session.datasets,
    upstream: (stage, partition) => records.get(taskLabel(stage, partition)),
  };
}

/**
 * `upstreamFromLock`: a task whose run-cache entry is missing but whose key is the lock's lends the lock's record to
 * its downstream's planning (as a corrupt one does), so their keys are known too: for `run --dry` with a remote cache,
 * which may hold them all.
 */
export async function computeStatus(session: Session, options: { upstreamFromLock?: boolean } = {}): Promise<TaskStatus[]> {
  const records = new Map<string, CacheRecord>();
  const ctx = planContext(session, records);
  const out: TaskStatus[] = [];
  for (const stage of selectedOrder(session)) {
    const parts = partitionsOf(ctx, stage);
    const old = session.lock.stages[stage];
    for (const p of parts ?? [undefined]) {
      const label = taskLabel(stage, p);
      const oldEntry = lockEntryOf(session.lock, stage, p);
      const plan = planTask(ctx, stage, p);
      if ("waitingFor" in plan) {
        const reasons = ingredientReasons(session, stage, p, oldEntry, undefined);
        for (const w of uniqueBy(plan.waitingFor, (x) => `${x.input}/${x.stage}`)) reasons.push(`input ${w.input} changed (upstream ${w.stage} will run)`);
        out.push({ stage, partition: p, state: "run", reasons: addPartitionReason(reasons, parts, old?.partitions, p) });
        continue;
      }
      const { task } = plan;
      // The entry is verified as a run would verify it: a corrupt one will be recomputed, so the task will run.
      const loaded = await loadCacheRecord(session.paths, task.key);
      let rec = loaded.state === "ok" ? loaded.record : undefined;
      const corrupt = loaded.state === "corrupt" ? [`record.json: ${loaded.reason}`] : [];
      if (rec) {
        const problems = await verifyCacheEntry({ paths: session.paths, record: rec, hasher: session.hasher, lockOutputs: oldEntry?.key === task.key ? oldEntry.outputs : undefined });
        if (problems.length) { corrupt.push(...problems.map((x) => `${x.file}: ${x.reason}`)); rec = undefined; }
      }
      if (corrupt.length) {
        // Downstream tasks plan against the lock's record of this task: a deterministic rerun reproduces it.
        if (oldEntry?.key === task.key) records.set(label, { key: task.key, stage, partition: p, entry: oldEntry });
        out.push({ stage, partition: p, state: "run", key: task.key, reasons: [`run-cache entry corrupt (${corrupt.join("; ")}): will be moved to .cofail/quarantine/ and recomputed`] });
        continue;
      }
      if (rec) records.set(label, rec);
      if (rec && oldEntry?.key === task.key) {
        const intact = await workspaceHolds(session, stage, p, task.key, rec.entry.outputs);
        const restamp = intact ? restampOf(session, stage, p, task.key) : undefined;
        if (intact) out.push({ stage, partition: p, state: "up-to-date", key: task.key, reasons: [], ...(restamp ? { restamp } : {}) });
        else {
          const decl = session.spec.stages[stage]!;
          const expected = expectedInWorkspace({ outputs: rec.entry.outputs, stamped: stampedFiles(decl.stageType, decl.parsedParams), state: session.stamps, stage, partition: p, key: task.key });
          const problems = await workspaceProblems({ paths: session.paths, stage, partition: p, outputs: expected, hasher: session.hasher });
          out.push({ stage, partition: p, state: "restore", key: task.key, reasons: problems.length ? problems.map((x) => `build/ copy of ${x.file} ${x.reason === "missing" ? "missing" : `modified (${x.reason})`}`) : ["output missing or modified in build/"] });
        }
        continue;
      }
      if (!rec && options.upstreamFromLock && oldEntry?.key === task.key) records.set(label, { key: task.key, stage, partition: p, entry: oldEntry });
      let reasons = ingredientReasons(session, stage, p, oldEntry, task);
      if (oldEntry?.key === task.key && !rec) reasons.push("run-cache entry missing");
      // Cached by an interrupted run or a run of other targets, but never recorded in the lock.
      if (!oldEntry && rec) reasons = ["not in cofail.lock yet (found in run-cache)"];
      out.push({ stage, partition: p, state: rec ? "restore" : "run", key: task.key, reasons: addPartitionReason(reasons, parts, old?.partitions, p) });
    }
    if (parts && old?.partitions) {
      const removed = Object.keys(old.partitions).filter((p) => !parts.includes(p)).sort();
      if (removed.length) {
        out.push({ stage, state: "restore", reasons: removed.map((p) => `partition ${p} removed`) });
      }
    }
  }
  return out;
}

function addPartitionReason(reasons: string[], parts: string[] | undefined, oldParts: Record<string, LockEntry> | undefined, p: string | undefined): string[] {
  if (p !== undefined && oldParts && !oldParts[p]) return ["partition added", ...reasons.filter((r) => r !== "never run")];
  return reasons;
}

/** Why a task's ingredients differ from its lock entry (empty when they do not, as far as is known). */
export function ingredientReasons(session: Session, stage: string, partition: string | undefined, old: LockEntry | undefined, task: PlannedTask | undefined): string[] {
  if (!old) return ["never run"];
  const decl = session.spec.stages[stage]!;
  const reasons: string[] = [];
  if (old.type !== decl.type) reasons.push(`type: ${old.type} -> ${decl.type}`);
  const code = session.code.get(stage)!;
  for (const [f, h] of Object.entries(code.files)) {
    if (!(f in old.code)) reasons.push(`code file ${f} added`);
    else if (old.code[f] !== h) reasons.push(`code file ${f} changed`);
  }
  for (const f of Object.keys(old.code)) if (!(f in code.files)) reasons.push(`code file ${f} no longer imported`);
  for (const [pkg, v] of Object.entries(code.packages)) {
    if (old.packages[pkg] !== v) reasons.push(`package ${pkg}: ${old.packages[pkg] ?? "(none)"} -> ${v}`);
  }
  const keys = [...new Set([...Object.keys(old.params), ...Object.keys(decl.params)])].sort();
  for (const k of keys) {
    const a = old.params[k], b = decl.params[k];
    if (canonicalJson(a) !== canonicalJson(b)) reasons.push(`param ${k}: ${show(a)} -> ${show(b)}`);
  }
  if (old.seed !== taskSeed(session.spec, stage, partition)) reasons.push(`seed: ${old.seed} -> ${taskSeed(session.spec, stage, partition)}`);
  if (task) {
    const names = [...new Set([...Object.keys(old.inputs), ...Object.keys(task.inputs)])].sort();
    for (const n of names) {
      const now = (task.inputs[n]?.groups ?? []).flatMap((g) => g.items.map((i) => ({ ref: i.ref, name: i.name, sha256: i.sha256, up: i.upstream?.stage })));
      const was = (old.inputs[n] ?? []).map((i) => ({ ref: i.ref, name: i.name, sha256: i.sha256 }));
      const sig = (xs: { name: string; sha256: string }[]) => canonicalJson(xs.map((x) => [x.name, x.sha256]));
      if (sig(now) === sig(was)) continue;
      const changedUp = [...new Set(now.filter((x) => !was.some((w) => w.name === x.name && w.sha256 === x.sha256)).flatMap((x) => (x.up ? [x.up] : [])))];
      reasons.push(`input ${n} changed${changedUp.length ? ` (upstream ${changedUp.join(", ")})` : ""}`);
    }
    if (!reasons.length && old.key !== task.key) reasons.push("engine format or package set changed");
  }
  return reasons;
}

function show(v: unknown): string {
  return v === undefined ? "(unset)" : JSON.stringify(v);
}

function uniqueBy<T>(xs: T[], key: (x: T) => string): T[] {
  const seen = new Set<string>();
  return xs.filter((x) => (seen.has(key(x)) ? false : (seen.add(key(x)), true)));
}
