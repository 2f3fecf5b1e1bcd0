// How a run talks to the user: a multi-bar with ETA on a TTY (cli-progress), plain lines otherwise.
export interface Reporter {
  start(label: string): void;
  progress(label: string, done: number, total: number, note?: string): void;
  end(label: string, line: string): void;
  line(message: string): void;
  close(): void;
}

export function plainReporter(write: (s: string) => void = (s) => process.stderr.write(s)): Reporter {
  const lastPct = new Map<string, number>();
  return {
    start: (label) => write(`  start  ${label}\n`),
    progress(label, done, total, note) {
      // Plain logs get a line per 10% step, not per call.
      const pct = total > 0 ? Math.floor((done / total) * 10) : 0;
      if (lastPct.get(label) === pct) return;
      lastPct.set(label, pct);
      write(`  ${label}: ${done}/${total}${note ? ` ${note}` : ""}\n`);
    },
    end: (_label, line) => write(`${line}\n`),
    line: (m) => write(`${m}\n`),
    close() {},
  };
}

export async function ttyReporter(): Promise<Reporter> {
  const { default: cliProgress } = await import("cli-progress");
  const multi = new cliProgress.MultiBar({
    format: " {bar} {percentage}% | ETA {eta_formatted} | {label} {note}",
    hideCursor: true, clearOnComplete: true, stopOnComplete: false, etaBuffer: 20,
  }, cliProgress.Presets.shades_classic);
  const bars = new Map<string, ReturnType<typeof multi.create>>();
  return {
    start(label) { bars.set(label, multi.create(1, 0, { label, note: "" })); },
    progress(label, done, total, note) {
      const bar = bars.get(label);
      if (!bar) return;
      bar.setTotal(Math.max(total, 1));
      bar.update(done, { label, note: note ?? "" });
    },
    end(label, line) {
      const bar = bars.get(label);
      if (bar) { multi.remove(bar); bars.delete(label); }
      multi.log(`${line}\n`);
    },
    line: (m) => multi.log(`${m}\n`),
    close: () => multi.stop(),
  };
}
