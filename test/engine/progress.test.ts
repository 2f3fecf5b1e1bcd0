// The run's progress display: stages done of total, an ETA only once there is data for one (never a countdown past
// zero, never the time spent before the first report), and messages printed whole, wrapped to the terminal.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import {
  barLine, countsText, etaSeconds, formatDuration, observe, plainReporter, runCounter, runLine, ttyReporter, wrapMessage, type EtaState,
} from "../../engine/progress.js";

test("ETA: none before two reports a second apart, then the rate since the first report, withdrawn when overdue", () => {
  const s: EtaState = {};
  assert.equal(etaSeconds(s, 0), undefined, "no report yet");
  observe(s, 5_000, 0, 100); // the task spent 5 s loading its inputs before its first report
  assert.equal(etaSeconds(s, 5_000), undefined, "one report is no rate");
  observe(s, 5_500, 10, 100);
  assert.equal(etaSeconds(s, 5_500), undefined, "half a second is noise");
  observe(s, 7_000, 20, 100); // 20 items in 2 s since the first report: 10 items/s, 80 left
  assert.equal(etaSeconds(s, 7_000), 8);
  assert.equal(etaSeconds(s, 9_000), 6, "counts down between reports");
  assert.equal(etaSeconds(s, 14_600), undefined, "under half a second left: no \"ETA 0s\"");
  assert.equal(etaSeconds(s, 15_000), undefined, "past the estimate: no ETA rather than 0s");
  observe(s, 15_000, 100, 100);
  assert.equal(etaSeconds(s, 15_000), undefined, "done");
});

test("ETA: a new phase (other total or note, or a count going back) starts the estimate afresh", () => {
  const s: EtaState = {};
  observe(s, 0, 0, 1000, "full pool bootstrap");
  observe(s, 2_000, 1000, 1000, "full pool bootstrap");
  observe(s, 2_000, 0, 1000, "best 17 bootstrap");
  assert.equal(etaSeconds(s, 2_000), undefined);
  observe(s, 3_000, 100, 1000, "best 17 bootstrap");
  observe(s, 4_000, 200, 1000, "best 17 bootstrap");
  assert.equal(etaSeconds(s, 4_000), 8, "200 in 2 s since the phase began: 800 left at 100/s");
  observe(s, 4_100, 50, 1000, "best 17 bootstrap");
  assert.equal(etaSeconds(s, 4_100), undefined);
});

test("run counts: a stage is done when all its partitions are; lines show stages and tasks", () => {
  const c = runCounter();
  c.plan({ tasks: { ingest: 3, pool: 1, paper: 1 } });
  c.start("ingest[a]");
  assert.deepEqual(c.counts(), { stagesDone: 0, stagesTotal: 3, tasksDone: 0, tasksTotal: 5, running: 1 });
  c.settled("ingest[a]");
  c.settled("ingest[b]");
  assert.equal(countsText(c.counts()), "stages 0/3 done (tasks 2/5)");
  c.settled("ingest[c]");
  c.start("pool");
  assert.equal(runLine(c.counts(), 75), " stages 1/3 done (tasks 3/5) · 1 running · 1m15s");
  assert.equal(formatDuration(3725), "1h02m");
  assert.equal(barLine({ bar: "##--", done: 20, total: 100, label: "copula-gsm", note: "bootstrap" }), " ##--  20% 20/100 | copula-gsm bootstrap");
  assert.equal(barLine({ bar: "##--", done: 20, total: 100, eta: 65, label: "copula-gsm" }), " ##--  20% 20/100 | ETA 1m05s | copula-gsm");
});

test("plain reporter: a progress line per tenth of the stages", () => {
  let out = "";
  const r = plainReporter((s) => { out += s; });
  r.plan({ tasks: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`s${i}`, 1])) });
  for (let i = 0; i < 20; i++) r.settled(`s${i}`, "ran");
  const lines = out.split("\n").filter(Boolean);
  assert.equal(lines.length, 10);
  assert.equal(lines[0], "  progress: stages 2/20 done");
  assert.equal(lines[9], "  progress: stages 20/20 done");
});

const LONG = "warning copula-gsm: " + Array.from({ length: 40 }, (_, i) => `word${i}`).join(" ") + " END";

test("a message is wrapped to the width, never cut", () => {
  const wrapped = wrapMessage(LONG, 60);
  assert.ok(wrapped.split("\n").length > 3);
  assert.ok(wrapped.split("\n").every((l) => l.length <= 59), wrapped);
  assert.equal(wrapped.replace(/\n\s*/g, " "), LONG);
});

/** A fake 60-column terminal that records what is written. */
function fakeTty(): NodeJS.WriteStream & { text(): string } {
  let buf = "";
  const w = new Writable({ write(chunk, _enc, cb) { buf += String(chunk); cb(); } }) as unknown as NodeJS.WriteStream & { text(): string };
  Object.assign(w, { isTTY: true, columns: 60, rows: 24, cursorTo: () => true, moveCursor: () => true, clearLine: () => true, clearScreenDown: () => true, text: () => buf });
  return w;
}

test("TTY reporter: the run line, bars, and whole warnings", async () => {
  const tty = fakeTty();
  let now = 0;
  const r = await ttyReporter(tty, () => now);
  r.plan({ tasks: { a: 1, b: 2 } });
  r.start("a");
  r.progress("a", 0, 10);
  now = 2_000;
  r.progress("a", 5, 10);
  r.line(LONG);
  r.end("a", "ran a (2.0s)");
  r.settled("a", "ran");
  r.close();
  // eslint-disable-next-line no-control-regex
  const text = tty.text().replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "");
  assert.match(text, /stages 1\/2 done \(tasks 1\/3\)/);
  assert.match(text, /ran a \(2\.0s\)/);
  assert.ok(text.replace(/\n\s*/g, " ").includes(LONG), "the warning is printed whole");
  assert.ok(text.split("\n").every((l) => l.length <= 60), "and wrapped to the terminal");
});
