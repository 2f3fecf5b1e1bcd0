// `cofail run`: schedule the selected stages in dependency order, independent ones in parallel worker
// threads, restoring every task whose key the run-cache has seen. A failure skips only its downstream.
import { randomBytes } from "node:crypto";
import { availableParallelism } from "node:os";
import { mkdir, readFile, rm, rmdir, writeFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { pathToFileURL } from "node:url";
import {
  commitToCache, installWorkspace, loadCacheRecord, makeRunTempDir, prunePartitions, quarantine, readCacheRecord, sweepTemp,
  verifyCacheEntry, workspaceDir, workspaceProblems, type CacheRecord, type EntryProblem,
} from "./cache.js";
import { sha256 } from "./canonical-json.js";
import { errorText } from "./errors.js";
import { downstreamOf } from "./dag.js";
import { materializeDatasetFile } from "./datasets.js";
import { lockEntryOf, writeLockFile, type LockEntry, type LockFile, type OutputRecord, type StageLock } from "./lockfile.js";
import { blockOf, partitionsOf, planTask, type PlannedTask } from "./plan.js";
import { createThreadPool, type ThreadPool } from "./threads/thread-pool.js";
import { runnableModuleUrl } from "./threads/runnable-module.js";
import { plainReporter, type Reporter } from "./progress.js";
import { buildRegistry, writeRegistry } from "./registry.js";
import { snapshotRun, type RunSnapshot } from "./snapshot.js";
import { acquireRunLock } from "./run-lock.js";
import { dropNoopStamp, noopInputsBefore, writeNoopStamp, type NoopCommand } from "./noop-stamp.js";
import { openSession, type Session, type SessionOptions } from "./session.js";
import { computeStatus, planContext, restampOf, selectedOrder, taskLabel, workspaceHolds } from "./status.js";
import { stampBytes, stampedFiles, stampPath, stampWorkspace, writeStamps } from "./stamp.js";
import { stageOutputs } from "./catalog.js";
import type { StageEvent, WorkerInput } from "./threads/protocol.js";
import { localExecutor, type Executor } from "./executors/executor.js";
import { slurmExecutor } from "./executors/slurm.js";
import { formatBytes, mapLimit, openRemote, type RemoteCache } from "./remote.js";

export interface RunOptions extends SessionOptions {
  jobs?: number;
  /** Rerun even when cached: the named targets, or every stage when no target is named. */
  force?: boolean;
  dry?: boolean;
  /** Seconds to wait for another run's lock before giving up. */
  lockWaitS?: number;
  reporter?: Reporter;
  /** A plain `cofail run` (no targets or flags): on success, stamp the no-op state for the next one (./noop-stamp.ts). */
  noop?: NoopCommand;
  /** Where tasks run: worker threads here (default) or one SLURM job each (pipeline.yaml executor.slurm). */
  executor?: "local" | "slurm";
  /** false: do not read from or write to the remote cache even when one is configured (--no-remote). */
  remote?: boolean;
}

export type TaskOutcomeStatus = "ran" | "restored" | "up-to-date" | "failed" | "skipped";

export interface TaskOutcome {
  stage: string;
  partition?: string;
  status: TaskOutcomeStatus;
  key?: string;
  /** Epoch milliseconds (fractional) when the stage code started / finished, for tasks that ran. */
  startedAt?: number;
  endedAt?: number;
  durationMs?: number;
  warnings: string[];
  error?: string;
  /** Restored from the remote cache (read-through), not from this checkout's run-cache. */
  remote?: boolean;
  /** Files that failed verification and were moved to .cofail/quarantine/ (project-relative), with why. */
  quarantined?: string[];
}

export interface RunSummary {
  runId: string;
  outcomes: TaskOutcome[];
  exitCode: number;
  message: string;
  recordFile?: string;
  /**
   * Project-relative build/ paths of the outputs declared `headline` by the stages this run covered and left in
   * the workspace (the paper), else of the named targets' output directories.
   */
  headline: string[];
  /** Lock entries whose results are not in this workspace's run-cache (stages never built here): left out of the registry. */
  notBuilt: string[];
}

const now = () => performance.timeOrigin + performance.now();

/** Checks the numeric run options before anything is locked or started (the CLI checks them too, naming the flag). */
export function checkRunOptions(options: Pick<RunOptions, "jobs" | "lockWaitS">): void {
  if (options.jobs !== undefined && !(Number.isSafeInteger(options.jobs) && options.jobs >= 1 && options.jobs <= MAX_JOBS)) {
    throw new Error(`jobs must be an integer from 1 to ${MAX_JOBS}; got ${options.jobs}`);
  }
  if (options.lockWaitS !== undefined && !(Number.isFinite(options.lockWaitS) && options.lockWaitS >= 0 && options.lockWaitS <= MAX_WAIT_S)) {
    throw new Error(`wait must be a number of seconds from 0 to ${MAX_WAIT_S}; got ${options.lockWaitS}`);
  }
}

/** Upper bounds of --jobs (threads) and --wait (seconds: one day). */
export const MAX_JOBS = 1024;
export const MAX_WAIT_S = 86_400;

export async function runPipeline(options: RunOptions): Promise<RunSummary> {
  checkRunOptions(options);
  const reporter = options.reporter ?? plainReporter();
  if (options.noop && !options.dry) dropNoopStamp(options.noop.projectDir);
  const noopBefore = options.noop && !options.dry ? await noopInputsBefore(options.noop) : undefined;
  const session = await openSession(options);
  for (const w of session.warnings) reporter.line(`warning: ${w}`);
  const runId = randomBytes(4).toString("hex");
  if (options.dry) return dryRun(session, runId, reporter, options.remote !== false);
  const lockHandle = await acquireRunLock({
    path: session.paths.runLock, timeoutS: options.lockWaitS ?? 60,
    onWait: (who) => reporter.line(`waiting for another cofail run (${who}) to finish...`),
    onTakeOver: (m) => reporter.line(`warning: ${m}`),
  });
  const slurm = options.executor === "slurm";
  const jobs = options.jobs ?? (slurm ? 256 : availableParallelism());
  let pool: ThreadPool | undefined;
  let executor: Executor | undefined;
  let remote: RemoteCache | undefined;
  const startedAt = new Date();
  // Ctrl-C / SIGTERM during a SLURM run: scancel this run's jobs, release the lock, then exit as signalled.
  let onSignal: ((sig: NodeJS.Signals) => void) | undefined;
  try {
    await sweepTemp(session.paths);
    if (slurm) {
      const conf = session.spec.executor?.slurm;
      executor = slurmExecutor({
        jobDir: join(session.paths.cofailDir, "slurm", runId), projectDir: session.paths.projectDir,
        defaults: conf?.default, types: conf?.types, pollS: conf?.poll_s, commandTimeoutS: conf?.command_timeout_s,
        onNotice: (m) => reporter.line(`slurm: ${m}`),
      });
      const ex = executor;
      onSignal = (sig) => {
        reporter.line(`${sig}: cancelling this run's SLURM jobs`);
        void ex.cancel().finally(() => lockHandle.release()).finally(() => process.exit(sig === "SIGINT" ? 130 : 143));
      };
      process.once("SIGINT", onSignal);
      process.once("SIGTERM", onSignal);
    } else {
      pool = createThreadPool({ threads: Math.max(1, jobs) });
      executor = localExecutor({ pool, stageTaskModule });
    }
    if (options.remote !== false) {
      try {
        remote = await openRemote({ paths: session.paths, specRemote: session.spec.cache?.remote, transfers: session.spec.cache?.transfers, hasher: session.hasher });
      } catch (e) {
        if ((e as Error).name === "UsageError") throw e;
        reporter.line(`warning: remote cache not available (${errorText(e)}); running with the local run-cache only`);
      }
    }
    const forced = new Set(options.force ? (session.targets.length ? session.targets : session.selected) : []);
    const outcomes = await schedule(session, { executor, reporter, jobs, forced, remote: remote ? remoteState(remote, reporter) : undefined });
    const restamped = await restampWorkspace(session, outcomes.list);
    await writeStamps(session.paths, session.stamps);
    const newLock = mergeLock(session, outcomes.stageLocks);
    if (session.lockProblem) {
      const kept = await quarantine(session.paths, session.paths.lockFile).catch(() => undefined);
      if (kept) reporter.line(`the unreadable cofail.lock was moved to ${kept}; writing a fresh one`);
    }
    await writeLockFile(session.paths.lockFile, newLock);
    const registry = await buildRegistry(session.paths, newLock);
    const errors = [...registry.errors];
    if (!registry.errors.length) await writeRegistry(session.paths, registry.results);
    if (registry.notBuilt.length) {
      reporter.line(`registry: ${registry.notBuilt.length} stage run(s) of cofail.lock are not built in this workspace (${abbreviate(registry.notBuilt, 3)}); their results are left out until they run`);
    }
    await session.hasher.save();
    const failed = outcomes.list.filter((o) => o.status === "failed").length;
    const exitCode = failed || errors.length ? 1 : 0;
    const counts = countBy(outcomes.list.map((o) => o.status));
    const stampNote = restamped.length ? ` (commit ${session.gitCommit} stamped into ${restamped.join(", ")})` : "";
    const message = failed === 0 && outcomes.list.every((o) => o.status === "up-to-date") && !errors.length
      ? `nothing to do: ${session.selected.size} stages up to date${stampNote}`
      : summaryLine(counts) + stampNote + errors.map((e) => `\nerror: ${e}`).join("");
    const recordFile = await writeRunRecord(session, {
      runId, startedAt, outcomes: outcomes.list, counts, errors, targets: options.targets ?? [],
      jobs, force: !!options.force, executor: executor.name, remote: remote?.url,
      snapshot: registry.errors.length ? undefined : await snapshotRun(session.paths, newLock, (stage) => snapshotOutputs(session, stage),
        (stage, file, bytes) => stampSnapshot(session, stage, file, bytes)),
    });
    if (options.noop && noopBefore && exitCode === 0 && !options.force) {
      writeNoopStamp({
        command: options.noop, paths: session.paths, lock: newLock, before: noopBefore,
        message: `nothing to do: ${session.selected.size} stages up to date`,
        extraInputs: [join(session.spec.projectDir, session.spec.data.manifest), ...[...session.datasets.values()].flat().flatMap((f) => (f.localPath ? [f.localPath] : []))],
      });
    }
    return { runId, outcomes: outcomes.list, exitCode, message, recordFile, headline: headlinePaths(session, outcomes.list), notBuilt: registry.notBuilt };
  } finally {
    if (onSignal) { process.off("SIGINT", onSignal); process.off("SIGTERM", onSignal); }
    reporter.close();
    await executor?.close();
    // The job dirs of tasks that succeeded are gone; the run's dir stays only when a failed job's log is in it.
    if (slurm) await rmdir(join(session.paths.cofailDir, "slurm", runId)).catch(() => undefined);
    await pool?.close();
    remote?.close();
    await lockHandle.release();
  }
}

/** The remote cache as the scheduler uses it: read-through, write-through (pushes awaited before the run ends). */
interface RemoteState {
  cache: RemoteCache;
  /** Write-through of a task that ran; errors become warnings (the run's results are sound without the remote). */
  push(label: string, record: CacheRecord): void;
  settle(): Promise<{ pushed: number; failed: number }>;
  /** Read-through failures are reported once, then the remote is no longer asked for the rest of the run. */
  readable: boolean;
}

function remoteState(cache: RemoteCache, reporter: Reporter): RemoteState {
  const pending: Promise<void>[] = [];
  let pushed = 0, failed = 0, writable = true;
  return {
    cache, readable: true,
    push(label, record) {
      // After the first failure the rest are not tried (and counted): `cofail push` uploads them when the remote is back.
      if (!writable) { failed++; return; }
      pending.push(cache.push(record).then((r) => {
        if (r.state === "pushed") { pushed++; reporter.line(`pushed ${label} to ${cache.url} (${r.blobs} objects, ${formatBytes(r.bytes)})`); }
      }, (e: unknown) => {
        failed++;
        if (writable) reporter.line(`warning: could not push ${label} to ${cache.url}: ${errorText(e)}; not trying again in this run`);
        writable = false;
      }));
    },
    async settle() {
      await Promise.all(pending);
      if (failed) reporter.line(`warning: ${failed} task(s) computed here are not on ${cache.url}; \`cofail push\` uploads them`);
      return { pushed, failed };
    },
  };
}

async function dryRun(session: Session, runId: string, reporter: Reporter, useRemote: boolean): Promise<RunSummary> {
  // A task to run whose key the remote cache has would be restored from it (if it verifies).
  const remote = useRemote ? await openRemote({ paths: session.paths, specRemote: session.spec.cache?.remote }).catch((e: unknown) => {
    reporter.line(`warning: remote cache not available (${errorText(e)})`);
    return undefined;
  }) : undefined;
  const status = await computeStatus(session, { upstreamFromLock: remote !== undefined });
  const todo = status.filter((s) => s.state !== "up-to-date");
  const onRemote = new Set<string>();
  if (remote) {
    try {
      const keys = todo.filter((s) => s.state === "run" && s.key).map((s) => s.key!);
      const found = await mapLimit(keys, session.spec.cache?.transfers ?? 8, (k) => remote.has(k));
      keys.forEach((k, i) => { if (found[i]) onRemote.add(k); });
    } catch (e) { reporter.line(`warning: remote cache ${remote.url} not readable (${errorText(e)})`); } finally { remote.close(); }
  }
  for (const s of todo) {
    const fromRemote = s.state === "run" && s.key !== undefined && onRemote.has(s.key);
    reporter.line(`would ${fromRemote ? "restore" : s.state === "run" ? "run    " : "restore"} ${taskLabel(s.stage, s.partition)}: ${s.reasons.join("; ")}${fromRemote ? `; the remote cache ${remote!.url} has it` : ""}`);
  }
  for (const s of status) if (s.restamp) reporter.line(`would stamp commit ${s.restamp.to} into ${taskLabel(s.stage, s.partition)}'s outputs in build/ (nothing recomputed)`);
  const remoteRestores = todo.filter((s) => s.state === "run" && s.key !== undefined && onRemote.has(s.key)).length;
  const message = todo.length ? `dry run: ${todo.filter((s) => s.state === "run").length - remoteRestores} to run, ${todo.filter((s) => s.state === "restore").length + remoteRestores} to restore` +
    (remoteRestores ? ` (${remoteRestores} from the remote cache)` : "") : `nothing to do: ${session.selected.size} stages up to date`;
  return { runId, outcomes: [], exitCode: 0, message, headline: [], notBuilt: [] };
}

interface ScheduleOptions { executor: Executor; reporter: Reporter; jobs: number; forced: Set<string>; remote?: RemoteState }

const stageTaskModule = new URL("./threads/stage-task.ts", import.meta.url).href;

async function schedule(session: Session, opts: ScheduleOptions): Promise<{ list: TaskOutcome[]; stageLocks: Map<string, StageLock> }> {
  const order = selectedOrder(session);
  const records = new Map<string, CacheRecord>();
  const ctx = planContext(session, records);
  const stageLocks = new Map<string, StageLock>();
  const list: TaskOutcome[] = [];
  const state = new Map<string, "waiting" | "active" | "done" | "failed" | "skipped">(order.map((id) => [id, "waiting"]));
  const slots = semaphore(Math.max(1, opts.jobs));
  opts.reporter.plan({ tasks: Object.fromEntries(order.map((id) => [id, partitionsOf(ctx, id)?.length ?? 1])) });
  const settle = (o: TaskOutcome) => { list.push(o); opts.reporter.settled(taskLabel(o.stage, o.partition), o.status); };

  const runStage = async (stage: string): Promise<boolean> => {
    const decl = session.spec.stages[stage]!;
    const parts = partitionsOf(ctx, stage);
    const results = await Promise.all((parts ?? [undefined]).map(async (p) => {
      // Anything thrown outside the stage itself (restore I/O, planning) fails this task, never the scheduler.
      const outcome = await runOne(session, ctx, records, stage, p, opts, slots).catch((e: unknown): TaskOutcome => {
        const error = errorText(e);
        opts.reporter.line(`FAILED ${taskLabel(stage, p)}: ${error}`);
        return { stage, partition: p, status: "failed", warnings: [], error };
      });
      settle(outcome);
      return outcome;
    }));
    const failed = results.some((r) => r.status === "failed");
    const entry = (p: string | undefined) => records.get(taskLabel(stage, p))?.entry;
    if (parts) {
      // The lock describes the workspace: fresh entries for partitions that succeeded, the previous
      // entry (if any) for those that failed, whose old outputs are still in build/.
      const partitions: Record<string, LockEntry> = {};
      for (const p of parts) {
        const e = entry(p) ?? lockEntryOf(session.lock, stage, p);
        if (e) partitions[p] = e;
      }
      if (!failed) {
        const previous = Object.fromEntries(Object.entries(session.lock.stages[stage]?.partitions ?? {}).map(([p, e]) => [p, e.outputs]));
        const moved = await prunePartitions(session.paths, stage, new Set(parts), previous, session.hasher);
        if (moved.length) opts.reporter.line(`${stage}: files in removed partitions did not match their records: moved to ${moved.join(", ")}`);
      }
      stageLocks.set(stage, { type: decl.type, partitions });
    } else if (!failed) stageLocks.set(stage, { type: decl.type, entry: entry(undefined)! });
    return !failed;
  };

  await new Promise<void>((resolve) => {
    const active = new Set<string>();
    const pump = () => {
      for (const id of order) {
        if (state.get(id) !== "waiting") continue;
        const ups = [...session.spec.deps.get(id)!];
        if (!ups.every((u) => state.get(u) === "done")) continue;
        state.set(id, "active");
        active.add(id);
        runStage(id).catch((e: unknown) => { opts.reporter.line(`FAILED ${id}: ${errorText(e)}`); return false; }).then((ok) => {
          active.delete(id);
          state.set(id, ok ? "done" : "failed");
          if (!ok) {
            for (const d of downstreamOf(session.spec.deps, new Set([id]))) {
              if (state.get(d) !== "waiting") continue;
              state.set(d, "skipped");
              for (const p of partitionsOf(ctx, d) ?? [undefined]) settle({ stage: d, partition: p, status: "skipped", warnings: [], error: `upstream ${id} failed` });
              opts.reporter.line(`skipped ${d} (upstream ${id} failed)`);
            }
          }
          pump();
        });
      }
      if (active.size === 0) resolve();
    };
    pump();
  });
  list.sort((a, b) => order.indexOf(a.stage) - order.indexOf(b.stage) || String(a.partition ?? "").localeCompare(String(b.partition ?? "")));
  if (opts.remote) await opts.remote.settle();
  return { list, stageLocks };
}

async function runOne(
  session: Session, ctx: ReturnType<typeof planContext>, records: Map<string, CacheRecord>, stage: string,
  partition: string | undefined, opts: ScheduleOptions, slots: Semaphore,
): Promise<TaskOutcome> {
  const label = taskLabel(stage, partition);
  const plan = planTask(ctx, stage, partition);
  if ("waitingFor" in plan) throw new Error(`internal: ${label} scheduled before ${plan.waitingFor.map((w) => w.stage).join(", ")}`);
  const { task } = plan;
  const { paths, hasher } = session;
  const oldEntry = lockEntryOf(session.lock, stage, partition);
  const quarantined: string[] = [];
  // An entry that fails verification is moved aside (reported once, with the stage and the file) and recomputed.
  const setAside = async (problems: EntryProblem[]) => {
    const where = await quarantine(paths, join(paths.cacheDir, task.key));
    const what = problems.map((p) => `${p.file}: ${p.reason}`).join("; ");
    quarantined.push(`${where} (${what})`);
    opts.reporter.line(`corrupt run-cache entry of ${label} (key ${task.key.slice(0, 12)}): ${what}; moved to ${where}; recomputing`);
  };
  for (let attempt = 0; !opts.forced.has(stage) && attempt < 2; attempt++) {
    // Second pass: the entry was just pulled from the remote cache into the local run-cache (read-through).
    let from = "run-cache";
    if (attempt === 1) {
      const r = opts.remote;
      if (!r?.readable) break;
      let pulled;
      try { pulled = await r.cache.pull(task.key); } catch (e) {
        if (r.readable) opts.reporter.line(`warning: remote cache ${r.cache.url} not readable (${errorText(e)}); not asked again in this run`);
        r.readable = false;
        break;
      }
      if (pulled.state === "refused") {
        const what = `remote entry of ${label} (key ${task.key.slice(0, 12)}) refused: ${pulled.reason}${pulled.quarantined ? `; the downloaded bytes are in ${pulled.quarantined}` : ""}; recomputing (and pushing a good copy)`;
        quarantined.push(what);
        opts.reporter.line(what);
        break;
      }
      if (pulled.state !== "pulled") break;
      from = `remote cache ${r.cache.url}`;
    }
    const loaded = await loadCacheRecord(paths, task.key);
    let rec = loaded.state === "ok" ? loaded.record : undefined;
    if (loaded.state === "corrupt") await setAside([{ file: "record.json", reason: loaded.reason }]);
    if (rec) {
      const problems = await verifyCacheEntry({ paths, record: rec, hasher, lockOutputs: oldEntry?.key === task.key ? oldEntry.outputs : undefined });
      if (problems.length) { await setAside(problems); rec = undefined; }
    }
    if (rec) {
      const intact = oldEntry?.key === task.key && await workspaceHolds(session, stage, partition, task.key, rec.entry.outputs);
      if (intact) {
        records.set(label, rec);
        return { stage, partition, status: "up-to-date", key: task.key, warnings: rec.entry.warnings };
      }
      try {
        const moved = await installTask(session, stage, partition, task.key, rec.entry.outputs, oldEntry?.outputs);
        records.set(label, rec);
        if (moved.length) {
          quarantined.push(...moved.map((m) => `${m} (did not match any recorded output)`));
          opts.reporter.line(`${relativeBuild(session, stage, partition)} held files that match no record: moved to ${moved.join(", ")}`);
        }
        opts.reporter.line(`restored ${label} from ${from}`);
        return { stage, partition, status: "restored", key: task.key, warnings: rec.entry.warnings, ...(attempt === 1 ? { remote: true } : {}), ...(quarantined.length ? { quarantined } : {}) };
      } catch (e) {
        if (!(e as { corruptCopy?: boolean }).corruptCopy) throw e;
        await setAside([{ file: (e as Error).message.split(": ")[0]!.split("/").pop()!, reason: "changed while it was being restored" }]);
      }
    }
  }
  const release = await slots.acquire();
  const warnings: string[] = [];
  let tempDir: string | undefined;
  const startedAt = now();
  try {
    tempDir = await makeRunTempDir(session.paths, task.key);
    const inputs = await workerInputs(session, task, label);
    opts.reporter.start(label);
    const t0 = now();
    const decl = session.spec.stages[stage]!;
    const moduleUrl = await runnableModuleUrl(pathToFileURL(join(session.paths.projectDir, decl.modulePath)).href);
    const block = blockOf(decl.blocks, partition);
    const done = await opts.executor.run({
      label, type: decl.type, key: task.key,
      task: {
        moduleUrl, stage, partition, ...(block ? { block } : {}), params: decl.params, inputs, seed: task.seed,
        projectDir: session.paths.projectDir, gitCommit: task.gitCommit, outDir: join(tempDir, "out"),
      },
      onEvent: (ev: StageEvent) => {
        if (ev.type === "progress") opts.reporter.progress(label, ev.done, ev.total, ev.label);
        else if (ev.type === "log") opts.reporter.line(`  ${label}: ${ev.message}`);
        else { warnings.push(ev.message); opts.reporter.line(`  warning ${label}: ${ev.message}`); }
      },
    });
    const endedAt = now();
    const entry = await sealEntry(session, task, tempDir, done.warnings);
    await commitToCache(session.paths, tempDir, { key: task.key, stage, partition, entry }, hasher);
    tempDir = undefined;
    const moved = await installTask(session, stage, partition, task.key, entry.outputs, oldEntry?.outputs);
    if (moved.length) {
      quarantined.push(...moved.map((m) => `${m} (did not match any recorded output)`));
      opts.reporter.line(`${relativeBuild(session, stage, partition)} held files that match no record: moved to ${moved.join(", ")}`);
    }
    records.set(label, { key: task.key, stage, partition, entry });
    opts.remote?.push(label, { key: task.key, stage, partition, entry });
    const durationMs = endedAt - t0;
    opts.reporter.end(label, `ran ${label} (${(durationMs / 1000).toFixed(1)}s)`);
    return { stage, partition, status: "ran", key: task.key, startedAt: t0, endedAt, durationMs, warnings, ...(quarantined.length ? { quarantined } : {}) };
  } catch (e) {
    const message = errorText(e);
    opts.reporter.end(label, `FAILED ${label}: ${message.split("\n").slice(0, 6).join("\n")}`);
    return { stage, partition, status: "failed", key: task.key, startedAt, endedAt: now(), warnings, error: message, ...(quarantined.length ? { quarantined } : {}) };
  } finally {
    release();
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  }
}

function relativeBuild(session: Session, stage: string, partition: string | undefined): string {
  return relative(session.paths.projectDir, workspaceDir(session.paths, stage, partition)).split(sep).join("/");
}

/**
 * The inputs as the stage task receives them, each verified on use: an upstream output in the run-cache and a
 * local file against the sha256 the key was computed from (dataset files are verified by materialisation).
 */
async function workerInputs(session: Session, task: PlannedTask, label: string): Promise<Record<string, WorkerInput>> {
  const out: Record<string, WorkerInput> = {};
  for (const [name, input] of Object.entries(task.inputs)) {
    const groups = [];
    for (const g of input.groups) {
      const items = [];
      for (const it of g.items) {
        if (it.dataset) {
          if (it.dataset.localPath) {
            const v = await session.hasher.verifyFile(it.dataset.localPath, it.sha256);
            if (!v.ok) throw new Error(`input ${name} of ${label}: local file ${it.name} changed since this run read it (${v.reason}); run again`);
          }
          items.push(await materializeDatasetFile(session.spec, it.dataset));
        } else {
          const v = await session.hasher.verifyFile(it.path!, it.sha256);
          if (!v.ok) {
            const where = it.upstream ? await quarantine(session.paths, join(session.paths.cacheDir, it.upstream.key)).catch(() => undefined) : undefined;
            throw new Error(`input ${name} of ${label}: ${it.name} in the run-cache no longer matches its record (${v.reason})` +
              `${where ? `; moved to ${where}` : ""}; run again to recompute it`);
          }
          items.push({ name: it.name, path: it.path!, sha256: it.sha256, partition: it.partition });
        }
      }
      groups.push({ partitioned: g.partitioned, items });
    }
    out[name] = { kind: input.kind, multi: input.multi, groups };
  }
  return out;
}

/** Hash the outputs, write provenance.json (the entry without its own hash) and return the lock entry. */
async function sealEntry(session: Session, task: PlannedTask, tempDir: string, warnings: string[]): Promise<LockEntry> {
  const decl = session.spec.stages[task.stage]!;
  const outDir = join(tempDir, "out");
  const outputs: Record<string, OutputRecord> = {};
  for (const [name, spec] of Object.entries(stageOutputs(decl.stageType, decl.parsedParams))) {
    if (name === "provenance") continue;
    const bytes = await readFile(join(outDir, spec.file));
    outputs[name] = { file: spec.file, sha256: sha256(bytes), bytes: bytes.length };
  }
  const entry: LockEntry = { ...task.ingredients, key: task.key, outputs, warnings };
  const provenance = JSON.stringify(entry, null, 2) + "\n";
  await writeFile(join(outDir, "provenance.json"), provenance);
  entry.outputs = { ...outputs, provenance: { file: "provenance.json", sha256: sha256(provenance), bytes: Buffer.byteLength(provenance) } };
  return entry;
}

/** Copy a cached run into build/, with the commit stamped into the files of a stamping stage. */
/**
 * Install a task's outputs into build/ from the run-cache (verified while copied), then stamp the commit into the
 * stamped ones. Files of the old copy that match no record are quarantined (returned); the stamped copies the stamp
 * state knows are ours, not someone's edits.
 */
async function installTask(session: Session, stage: string, partition: string | undefined, key: string, outputs: Record<string, OutputRecord>, previous?: Record<string, OutputRecord>): Promise<string[]> {
  const decl = session.spec.stages[stage]!;
  const stamped = stampedFiles(decl.stageType, decl.parsedParams);
  const stampedNow: Record<string, OutputRecord> = {};
  for (const f of stamped) {
    const s = session.stamps[stampPath(stage, partition, f)];
    if (s) stampedNow[`stamped:${f}`] = { file: f, sha256: s.sha256, bytes: 0 };
  }
  const moved = await installWorkspace({ paths: session.paths, key, stage, partition, outputs, hasher: session.hasher, previous: { ...(previous ?? {}), ...stampedNow } });
  if (stamped.size) await stampWorkspace(session.paths, { stage, partition, key, outputs, stamped, commit: session.gitCommit ?? "unknown", state: session.stamps });
  return moved;
}

/** Rewrite the stamped files of up-to-date tasks whose stamp is of another commit; returns their build/ dirs. */
async function restampWorkspace(session: Session, outcomes: TaskOutcome[]): Promise<string[]> {
  const done: string[] = [];
  for (const o of outcomes) {
    if (o.status !== "up-to-date" || !o.key || !restampOf(session, o.stage, o.partition, o.key)) continue;
    const rec = await readCacheRecord(session.paths, o.key);
    if (!rec) continue;
    const decl = session.spec.stages[o.stage]!;
    await stampWorkspace(session.paths, {
      stage: o.stage, partition: o.partition, key: o.key, outputs: rec.entry.outputs,
      stamped: stampedFiles(decl.stageType, decl.parsedParams), commit: session.gitCommit!, state: session.stamps,
    });
    done.push(relative(session.paths.projectDir, workspaceDir(session.paths, o.stage, o.partition)));
  }
  return done;
}

/** A snapshotted output of a stamping stage is kept as build/ has it: with this run's commit. */
function stampSnapshot(session: Session, stage: string, file: string, bytes: Buffer): Buffer {
  const decl = session.spec.stages[stage];
  return decl && stampedFiles(decl.stageType, decl.parsedParams).has(file) ? stampBytes(bytes, session.gitCommit ?? "unknown") : bytes;
}

/** Where the run's headline outputs are (see RunSummary.headline). */
function headlinePaths(session: Session, outcomes: TaskOutcome[]): string[] {
  const ok = new Set(["ran", "restored", "up-to-date"]);
  const rel = (stage: string, partition: string | undefined, file?: string) =>
    relative(session.paths.projectDir, join(workspaceDir(session.paths, stage, partition), file ?? "")) + (file ? "" : "/");
  const flagged = outcomes.filter((o) => ok.has(o.status)).flatMap((o) => {
    const decl = session.spec.stages[o.stage]!;
    return Object.values(stageOutputs(decl.stageType, decl.parsedParams)).filter((s) => s.headline).map((s) => rel(o.stage, o.partition, s.file));
  });
  if (flagged.length) return [...new Set(flagged)];
  const targets = new Set(session.targets);
  return [...new Set(outcomes.filter((o) => targets.has(o.stage) && ok.has(o.status)).map((o) => rel(o.stage, undefined)))];
}

function abbreviate(xs: string[], n: number): string {
  return xs.length <= n ? xs.join(", ") : `${xs.slice(0, n).join(", ")} and ${xs.length - n} more`;
}

/** Names of a stage's outputs declared with `snapshot: true` (none for stages no longer in the spec). */
function snapshotOutputs(session: Session, stage: string): Set<string> {
  const decl = session.spec.stages[stage];
  if (!decl) return new Set();
  return new Set(Object.entries(stageOutputs(decl.stageType, decl.parsedParams)).filter(([, o]) => o.snapshot).map(([n]) => n));
}

/** New lock: previous entries for stages not (successfully) processed, fresh ones for the rest; only stages in the spec. */
function mergeLock(session: Session, fresh: Map<string, StageLock>): LockFile {
  const stages: Record<string, StageLock> = {};
  for (const id of Object.keys(session.spec.stages)) {
    const s = fresh.get(id) ?? session.lock.stages[id];
    if (s) stages[id] = s;
  }
  return { version: 1, stages };
}

async function writeRunRecord(session: Session, r: {
  runId: string; startedAt: Date; outcomes: TaskOutcome[]; counts: Record<string, number>; errors: string[];
  targets: string[]; jobs: number; force: boolean; snapshot?: RunSnapshot;
  /** Where tasks ran, and the remote cache's s3:// URL (never a credential or an endpoint). */
  executor: string; remote?: string;
}): Promise<string> {
  const git = await session.git;
  const finishedAt = new Date();
  const record = {
    id: r.runId, startedAt: r.startedAt.toISOString(), finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - r.startedAt.getTime(), node: process.version,
    git: { commit: git.commit ?? null, dirty: git.dirty ?? null }, targets: r.targets, jobs: r.jobs, force: r.force,
    executor: r.executor, ...(r.remote ? { remote: r.remote } : {}),
    counts: r.counts, errors: r.errors,
    ran: r.outcomes.filter((o) => o.status === "ran").map((o) => taskLabel(o.stage, o.partition)),
    restored: r.outcomes.filter((o) => o.status === "restored").map((o) => taskLabel(o.stage, o.partition)),
    ...(r.remote ? { restoredFromRemote: r.outcomes.filter((o) => o.remote).map((o) => taskLabel(o.stage, o.partition)) } : {}),
    skipped: r.outcomes.filter((o) => o.status === "skipped").map((o) => taskLabel(o.stage, o.partition)),
    failed: r.outcomes.filter((o) => o.status === "failed").map((o) => taskLabel(o.stage, o.partition)),
    quarantined: r.outcomes.flatMap((o) => (o.quarantined ?? []).map((q) => `${taskLabel(o.stage, o.partition)}: ${q}`)),
    warnings: r.outcomes.flatMap((o) => o.warnings.map((w) => `${taskLabel(o.stage, o.partition)}: ${w}`)),
    tasks: r.outcomes,
    ...(r.snapshot ? { snapshot: r.snapshot } : {}),
  };
  await mkdir(session.paths.runsDir, { recursive: true });
  const file = join(session.paths.runsDir, `${r.startedAt.toISOString().replace(/[:.]/g, "-")}-${r.runId}.json`);
  await writeFile(file, JSON.stringify(record, null, 2) + "\n");
  return file;
}

function summaryLine(counts: Record<string, number>): string {
  return ["ran", "restored", "up-to-date", "failed", "skipped"].filter((k) => counts[k]).map((k) => `${counts[k]} ${k}`).join(", ") || "no stages selected";
}

function countBy(xs: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
}

interface Semaphore { acquire(): Promise<() => void> }

function semaphore(n: number): Semaphore {
  let free = n;
  const queue: (() => void)[] = [];
  const release = () => {
    const next = queue.shift();
    if (next) next(); else free++;
  };
  return {
    acquire: () => new Promise((resolve) => {
      if (free > 0) { free--; resolve(release); } else queue.push(() => resolve(release));
    }),
  };
}

