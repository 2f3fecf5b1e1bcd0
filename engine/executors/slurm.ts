// The SLURM executor: each ready task (a stage run, a partition, a bootstrap block) is one `sbatch` job; the engine
// keeps the DAG order (a task is submitted only when its inputs are sealed), so no job dependency is ever needed.
// The job runs the stage module through the same bundle a pool thread loads (../threads/job-task.ts), on a file
// system shared with this host: it reads its verified inputs from the run-cache and writes its outputs into the run's
// temp dir; the engine then hashes, seals and renames them exactly as for a local run, so the bytes are the same.
//
// Polling never hangs: every squeue/sacct/scontrol/sbatch/scancel call has a timeout (executor.slurm.command_timeout_s)
// and is retried with backoff; completion is read from the job's result.json (written with a rename), and squeue only
// tells a job that vanished without one (then sacct, else scontrol, says how it ended). cancel() scancels every job
// this run submitted (Ctrl-C, SIGTERM). A failed job's message names the stage, the job id and its log.
import { execFile } from "node:child_process";
import { mkdir, open, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runnableModuleUrl } from "../threads/runnable-module.js";
import type { StageEvent, StageTaskResult } from "../threads/protocol.js";
import type { Executor, ExecutorTask } from "./executor.js";

export interface SlurmResources { partition?: string; account?: string; time?: string; mem?: string; cpus?: number }

export interface SlurmOptions {
  /** Where job scripts, task files and logs go (on the shared file system): .cofail/slurm/<run id>/. */
  jobDir: string;
  projectDir: string;
  defaults?: SlurmResources;
  types?: Record<string, SlurmResources>;
  /** Longest wait between two polls (s). */
  pollS?: number;
  /** Timeout of one squeue/sacct/sbatch/scancel call (s). */
  commandTimeoutS?: number;
  /** Told about a slow or failing controller (once per kind of trouble). */
  onNotice?: (message: string) => void;
  /** Extra environment for the commands (tests). */
  env?: NodeJS.ProcessEnv;
}

export const BUILTIN_RESOURCES: Required<Pick<SlurmResources, "time" | "mem" | "cpus">> = { time: "1:00:00", mem: "2G", cpus: 1 };

const jobTaskModule = new URL("../threads/job-task.ts", import.meta.url).href;
const EVENT_PREFIX = "::cofail-event ";

interface CommandResult { ok: boolean; stdout: string; stderr: string; timedOut: boolean; code: number | string | null }

function command(cmd: string, args: string[], timeoutS: number, env?: NodeJS.ProcessEnv): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutS * 1000, killSignal: "SIGKILL", env: { ...process.env, ...env }, maxBuffer: 1 << 22 }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { killed?: boolean; code?: number | string }) | null;
      resolve({ ok: !e, stdout: String(stdout), stderr: String(stderr), timedOut: !!e?.killed, code: e ? e.code ?? null : 0 });
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The resources of a stage type's jobs: the type's over the default over the built-in default. */
export function resourcesFor(type: string, defaults: SlurmResources = {}, types: Record<string, SlurmResources> = {}): SlurmResources {
  return { ...BUILTIN_RESOURCES, ...strip(defaults), ...strip(types[type] ?? {}) };
}

/** Seconds of a SLURM time limit: M, M:S, H:M:S, D-H, D-H:M, D-H:M:S. */
export function slurmTimeS(t: string): number {
  const m = /^(?:(\d+)-)?(\d+)(?::(\d+))?(?::(\d+))?$/.exec(t.trim());
  if (!m) return NaN;
  const [d, a, b, c] = [m[1], m[2], m[3], m[4]].map((x) => (x === undefined ? undefined : Number(x)));
  if (d !== undefined) return d * 86400 + a! * 3600 + (b ?? 0) * 60 + (c ?? 0);
  if (c !== undefined) return a! * 3600 + b! * 60 + c;
  if (b !== undefined) return a! * 60 + b;
  return a! * 60;
}

function strip(r: SlurmResources): SlurmResources {
  return Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as SlurmResources;
}

export function sbatchArgs(r: SlurmResources, job: { name: string; log: string; chdir: string; script: string }): string[] {
  return [
    "--parsable", `--job-name=${job.name}`, `--output=${job.log}`, `--chdir=${job.chdir}`,
    ...(r.partition ? [`--partition=${r.partition}`] : []), ...(r.account ? [`--account=${r.account}`] : []),
    ...(r.time ? [`--time=${r.time}`] : []), ...(r.mem ? [`--mem=${r.mem}`] : []), `--cpus-per-task=${r.cpus ?? 1}`,
    job.script,
  ];
}

export function slurmExecutor(options: SlurmOptions): Executor {
  const timeoutS = options.commandTimeoutS ?? 20;
  const pollS = options.pollS ?? 2;
  const live = new Map<string, string>(); // job id -> label
  const told = new Set<string>();
  let cancelled = false;
  let seq = 0;
  const notice = (kind: string, message: string) => { if (!told.has(kind)) { told.add(kind); options.onNotice?.(message); } };
  const run = (cmd: string, args: string[]) => command(cmd, args, timeoutS, options.env);

  /** A command that must succeed (sbatch): retried with backoff on timeouts and errors, up to ~5 tries. */
  const retrying = async (cmd: string, args: string[], what: string): Promise<string> => {
    let last: CommandResult | undefined;
    for (let i = 0; i < 5; i++) {
      if (cancelled) throw new Error(`${what}: run cancelled`);
      last = await run(cmd, args);
      if (last.ok) return last.stdout.trim();
      if (last.code === "ENOENT") throw new Error(`${what}: ${cmd} not found on PATH; --executor slurm needs the SLURM client commands (sbatch, squeue, scancel)`);
      notice(`${cmd}-retry`, `${cmd} ${last.timedOut ? `took more than ${timeoutS}s` : `failed (${last.stderr.trim().split("\n")[0] ?? last.code})`}; retrying`);
      await sleep(Math.min(10_000, 500 * 2 ** i));
    }
    throw new Error(`${what}: ${cmd} failed 5 times${last?.timedOut ? ` (each over ${timeoutS}s: is slurmctld up?)` : `: ${last?.stderr.trim().split("\n")[0] ?? ""}`}`);
  };

  /** Job state from squeue: a state word, "" when the job has left the queue, undefined when squeue could not say. */
  const queueState = async (id: string): Promise<string | undefined> => {
    const r = await run("squeue", ["-h", "-j", id, "-o", "%T"]);
    if (r.ok) return r.stdout.trim().split("\n")[0]?.trim() ?? "";
    // squeue -j on a job that already left the controller's memory exits 1 with "Invalid job id".
    if (/invalid job id/i.test(r.stderr)) return "";
    notice("squeue", `squeue ${r.timedOut ? `did not answer within ${timeoutS}s` : `failed (${r.stderr.trim().split("\n")[0] ?? r.code})`}; polling again with backoff`);
    return undefined;
  };

  /** How a job that left the queue ended: sacct (with accounting), else scontrol (while the controller remembers it). */
  const finalState = async (id: string): Promise<string> => {
    const a = await run("sacct", ["-n", "-P", "-X", "-j", id, "-o", "State,ExitCode"]);
    const line = a.ok ? a.stdout.trim().split("\n")[0]?.trim() : "";
    if (line) return line.replace("|", ", exit ");
    const s = await run("scontrol", ["show", "job", id]);
    const m = s.ok ? /JobState=(\S+).*?(?:ExitCode=(\S+))?/s.exec(s.stdout) : null;
    if (m) return `${m[1]}${m[2] ? `, exit ${m[2]}` : ""}`;
    return "unknown (not in squeue, sacct or scontrol)";
  };

  return {
    name: "slurm",
    defaultSlots: 256,
    async run(t: ExecutorTask): Promise<StageTaskResult> {
      if (cancelled) throw new Error(`${t.label}: run cancelled before submission`);
      const dir = join(options.jobDir, `${String(seq++).padStart(4, "0")}-${t.label.replace(/[^A-Za-z0-9._-]/g, "_")}`);
      await mkdir(dir, { recursive: true });
      const resources = resourcesFor(t.type, options.defaults, options.types);
      const taskFile = join(dir, "task.json");
      const log = join(dir, "job.log");
      const bundle = fileURLToPath(await runnableModuleUrl(jobTaskModule));
      await writeFile(taskFile, JSON.stringify({ ...t.task, threads: resources.cpus ?? 1 }));
      const script = join(dir, "job.sh");
      const runner = "import(process.argv[1]).then((m) => m.runJobTask(process.argv[2])).then((c) => process.exit(c), (e) => { console.error(e); process.exit(1); })";
      await writeFile(script, [
        "#!/bin/sh",
        `# cofail task ${t.label} (key ${t.key.slice(0, 12)}), written by cofail run --executor slurm`,
        `exec ${shq(process.execPath)} -e ${shq(runner)} ${shq(bundle)} ${shq(taskFile)}`, "",
      ].join("\n"), { mode: 0o755 });
      const name = `cofail-${t.label.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 40)}-${t.key.slice(0, 8)}`;
      const out = await retrying("sbatch", sbatchArgs(resources, { name, log, chdir: options.projectDir, script }), `submitting ${t.label}`);
      const id = out.split(";")[0]!.trim();
      if (!/^\d+(_\d+)?$/.test(id)) throw new Error(`submitting ${t.label}: sbatch printed "${out.slice(0, 80)}", expected a job id`);
      live.set(id, t.label);
      t.onEvent({ type: "log", message: `submitted as SLURM job ${id} (log ${log})` });
      const resultFile = join(dir, "result.json");
      let logOffset = 0;
      const tail = async () => {
        try {
          const fh = await open(log, "r");
          try {
            const { size } = await fh.stat();
            if (size <= logOffset) return;
            const buf = Buffer.alloc(size - logOffset);
            await fh.read(buf, 0, buf.length, logOffset);
            const text = buf.toString("utf8");
            const lastNl = text.lastIndexOf("\n");
            if (lastNl < 0) return;
            logOffset += Buffer.byteLength(text.slice(0, lastNl + 1));
            for (const line of text.slice(0, lastNl).split("\n")) {
              if (line.startsWith(EVENT_PREFIX)) { try { t.onEvent(JSON.parse(line.slice(EVENT_PREFIX.length)) as StageEvent); } catch { /* a torn line */ } }
            }
          } finally { await fh.close(); }
        } catch { /* no log yet */ }
      };
      const readResult = async () => { try { return JSON.parse(await readFile(resultFile, "utf8")) as { ok: boolean; error?: string } & StageTaskResult; } catch { return undefined; } };
      // squeue not answering for longer than the job could run (its time limit) and a margin: the job is given up.
      const silentLimitMs = ((Number.isFinite(slurmTimeS(resources.time ?? "")) ? slurmTimeS(resources.time!) : 86400) + Math.max(600, 30 * timeoutS)) * 1000;
      let lastAnswer = Date.now();
      try {
        let delay = 200, goneSince: number | undefined;
        for (;;) {
          if (cancelled) throw new Error(`${t.label}: cancelled (SLURM job ${id} scancelled; log ${log})`);
          await tail();
          const result = await readResult();
          if (result) {
            if (!result.ok) throw new Error(`${result.error ?? "failed"}\n(SLURM job ${id}, log ${log})`);
            await rm(dir, { recursive: true, force: true });
            return { results: result.results, warnings: result.warnings };
          }
          const state = await queueState(id);
          if (state !== undefined) lastAnswer = Date.now();
          else if (Date.now() - lastAnswer > silentLimitMs) {
            await run("scancel", [id]);
            throw new Error(`SLURM job ${id} of ${t.label}: squeue has not answered for ${Math.round((Date.now() - lastAnswer) / 1000)}s (longer than the job's time limit) and the job wrote no result; giving up (scancel sent); log ${log}`);
          }
          if (state === "") {
            // Left the queue without a result: allow the shared file system a few seconds to show the file.
            goneSince ??= Date.now();
            if (Date.now() - goneSince > 5_000) {
              const how = await finalState(id);
              let lastLines = "";
              try { lastLines = (await readFile(log, "utf8")).split("\n").filter((l) => !l.startsWith(EVENT_PREFIX)).slice(-6).join("\n").trim(); } catch { /* no log */ }
              throw new Error(`SLURM job ${id} of ${t.label} ended ${how} without a result; log ${log}${lastLines ? `:\n${lastLines}` : ""}`);
            }
          } else goneSince = undefined;
          await sleep(delay);
          delay = Math.min(pollS * 1000, Math.round(delay * 1.5));
        }
      } finally {
        live.delete(id);
      }
    },
    async cancel() {
      cancelled = true;
      const ids = [...live.keys()];
      if (!ids.length) return;
      for (let i = 0; i < 3; i++) {
        const r = await run("scancel", ids);
        if (r.ok) return;
        await sleep(500 * 2 ** i);
      }
      options.onNotice?.(`scancel ${ids.join(" ")} did not succeed; cancel them by hand: scancel ${ids.join(" ")}`);
    },
    async close() {
      if (live.size) await this.cancel();
    },
  };
}

function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
