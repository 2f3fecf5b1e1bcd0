// How a run talks to the user: on a TTY, one line for the whole run (stages done of total, tasks, running,
// elapsed) above one bar per running task (cli-progress), plain lines otherwise. Messages (warnings included)
// are printed whole, wrapped to the terminal width, never cut. An ETA is shown only once a task has reported
// progress twice at least a second apart, from the rate since its first report (so the time spent loading inputs
// before the first report does not inflate it), and is withdrawn rather than counting down past zero.
import { wrapHanging } from "./wrap.js";

export interface RunPlan {
  /** stage id -> number of tasks (partitions) the run covers. */
  tasks: Record<string, number>;
}

export interface Reporter {
  /** What the run covers, once, before any task starts. */
  plan(plan: RunPlan): void;
  start(label: string): void;
  progress(label: string, done: number, total: number, note?: string): void;
  end(label: string, line: string): void;
  /** A task is finished, whatever the outcome (ran, restored, up-to-date, failed, skipped). */
  settled(label: string, status: string): void;
  line(message: string): void;
  close(): void;
}

// ---------------------------------------------------------------------------------------------- run counts

/** Stages and tasks done of the run's total; a stage is done when all its tasks are. */
export function runCounter() {
  let perStage: Record<string, number> = {};
  const settledByStage = new Map<string, number>();
  let tasksDone = 0;
  const running = new Set<string>();
  return {
    plan(p: RunPlan) { perStage = { ...p.tasks }; },
    start(label: string) { running.add(label); },
    settled(label: string) {
      running.delete(label);
      const stage = stageOf(label);
      settledByStage.set(stage, (settledByStage.get(stage) ?? 0) + 1);
      tasksDone++;
    },
    counts() {
      const stagesTotal = Object.keys(perStage).length;
      const stagesDone = Object.entries(perStage).filter(([s, n]) => (settledByStage.get(s) ?? 0) >= n).length;
      const tasksTotal = Object.values(perStage).reduce((a, b) => a + b, 0);
      return { stagesDone, stagesTotal, tasksDone, tasksTotal, running: running.size };
    },
  };
}

export type RunCounts = ReturnType<ReturnType<typeof runCounter>["counts"]>;

function stageOf(label: string): string {
  return label.replace(/\[.*\]$/, "");
}

export function countsText(c: RunCounts): string {
  const tasks = c.tasksTotal !== c.stagesTotal ? ` (tasks ${c.tasksDone}/${c.tasksTotal})` : "";
  return `stages ${c.stagesDone}/${c.stagesTotal} done${tasks}`;
}

// ---------------------------------------------------------------------------------------------- ETA

/** Progress of one task, for its ETA. Times in ms. */
export interface EtaState { t0?: number; d0?: number; t1?: number; d1?: number; total?: number; note?: string }

/** Below this span between the first and the last report, a rate is noise: no ETA. */
export const ETA_MIN_SPAN_MS = 1000;

/** Record a progress report; a new phase (other total or note, or fewer done) starts the estimate afresh. */
export function observe(s: EtaState, t: number, done: number, total: number, note?: string): void {
  const newPhase = s.t0 === undefined || total !== s.total || (note ?? "") !== (s.note ?? "") || done < (s.d1 ?? 0);
  if (newPhase) Object.assign(s, { t0: t, d0: done, t1: t, d1: done, total, note: note ?? "" });
  else Object.assign(s, { t1: t, d1: done });
}

/** Seconds left at time `now`, or undefined while there is no honest estimate. */
export function etaSeconds(s: EtaState, now: number): number | undefined {
  if (s.t0 === undefined || s.t1 === undefined || s.d0 === undefined || s.d1 === undefined || s.total === undefined) return undefined;
  const span = s.t1 - s.t0, gained = s.d1 - s.d0;
  if (gained <= 0 || span < ETA_MIN_SPAN_MS || s.d1 >= s.total) return undefined;
  const left = ((s.total - s.d1) * span) / gained - (now - s.t1);
  // Under half a second left (or overdue), a number would read "0s" while work goes on: none.
  return left >= 500 ? left / 1000 : undefined;
}

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

// ---------------------------------------------------------------------------------------------- plain

export function plainReporter(write: (s: string) => void = (s) => process.stderr.write(s)): Reporter {
  const lastPct = new Map<string, number>();
  const counter = runCounter();
  let lastTenth = 0;
  return {
    plan: (p) => counter.plan(p),
    start: (label) => { counter.start(label); write(`  start  ${label}\n`); },
    progress(label, done, total, note) {
      // Plain logs get a line per 10% step, not per call.
      const pct = total > 0 ? Math.floor((done / total) * 10) : 0;
      if (lastPct.get(label) === pct) return;
      lastPct.set(label, pct);
      write(`  ${label}: ${done}/${total}${note ? ` ${note}` : ""}\n`);
    },
    end: (_label, line) => write(`${line}\n`),
    settled(label) {
      counter.settled(label);
      const c = counter.counts();
      // A line per tenth of the stages, so a log shows how far the run got.
      const tenth = c.stagesTotal ? Math.floor((c.stagesDone / c.stagesTotal) * 10) : 10;
      if (tenth > lastTenth) { lastTenth = tenth; write(`  progress: ${countsText(c)}\n`); }
    },
    line: (m) => write(`${m}\n`),
    close() {},
  };
}

// ---------------------------------------------------------------------------------------------- TTY

/** A task's bar line: bar, done/total, ETA once known, label and note. */
export function barLine(options: { bar: string; done: number; total: number; eta?: number; label: string; note?: string }): string {
  const pct = options.total > 0 ? Math.floor((options.done / options.total) * 100) : 0;
  const eta = options.eta === undefined ? "" : ` | ETA ${formatDuration(options.eta)}`;
  return ` ${options.bar} ${String(pct).padStart(3)}% ${options.done}/${options.total}${eta} | ${options.label}${options.note ? ` ${options.note}` : ""}`;
}

/** The whole run's line: stages done of total, tasks, running, elapsed. */
export function runLine(c: RunCounts, elapsedS: number): string {
  return ` ${countsText(c)} · ${c.running} running · ${formatDuration(elapsedS)}`;
}

/** A message as printed above the bars: whole, wrapped to the width (continuation lines indented). */
export function wrapMessage(message: string, columns: number): string {
  const width = Math.max(40, columns - 1);
  return message.split("\n").map((l) => wrapHanging(l, width, /^\s*/.exec(l)![0].length + 4)).join("\n");
}

export async function ttyReporter(stream: NodeJS.WriteStream = process.stderr, clock: () => number = () => performance.now()): Promise<Reporter> {
  const { default: cliProgress } = await import("cli-progress");
  const t0 = clock();
  const counter = runCounter();
  const eta = new Map<string, EtaState>();
  type Payload = { kind: "run" } | { kind: "task"; label: string; note: string };
  const multi = new cliProgress.MultiBar({
    stream, hideCursor: true, clearOnComplete: true, stopOnComplete: false, barsize: 20,
    format: (options, params, payload: Payload) => {
      if (payload.kind === "run") return runLine(counter.counts(), (clock() - t0) / 1000);
      const state = eta.get(payload.label);
      return barLine({
        bar: cliProgress.Format.BarFormat(params.progress, options), done: params.value, total: params.total,
        eta: state ? etaSeconds(state, clock()) : undefined, label: payload.label, note: payload.note,
      });
    },
  }, cliProgress.Presets.shades_classic);
  // Bars (and cli-progress's redraw timer) start with the plan: a run that fails before it leaves nothing running.
  let overall: ReturnType<typeof multi.create> | undefined;
  const bars = new Map<string, ReturnType<typeof multi.create>>();
  const log = (m: string) => multi.log(`${wrapMessage(m, stream.columns || 80)}\n`);
  return {
    plan(p) {
      counter.plan(p);
      overall ??= multi.create(1, 0, { kind: "run" } satisfies Payload);
    },
    start(label) {
      counter.start(label);
      eta.set(label, {});
      bars.set(label, multi.create(1, 0, { kind: "task", label, note: "" } satisfies Payload));
    },
    progress(label, done, total, note) {
      const bar = bars.get(label);
      if (!bar) return;
      observe(eta.get(label)!, clock(), done, total, note);
      bar.setTotal(Math.max(total, 1));
      bar.update(done, { kind: "task", label, note: note ?? "" } satisfies Payload);
    },
    end(label, line) {
      const bar = bars.get(label);
      if (bar) { multi.remove(bar); bars.delete(label); }
      eta.delete(label);
      log(line);
    },
    settled(label) {
      counter.settled(label);
      overall?.update(0, { kind: "run" } satisfies Payload);
    },
    line(m) {
      if (overall) log(m);
      else stream.write(`${wrapMessage(m, stream.columns || 80)}\n`);
    },
    close() {
      if (!overall) return;
      // stop() drops what is still in the log buffer: draw once more first.
      multi.update();
      multi.stop();
      overall = undefined;
    },
  };
}
