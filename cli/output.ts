// How the command line writes and ends: exit codes, output that survives a closed pipe (`cofail explain x | head -1`),
// and text wrapped to the terminal.

/** Exit codes, documented in `cofail --help` and the README. */
export const EXIT = {
  ok: 0,
  /** A stage failed, a guarded claim is false, or another runtime failure. */
  failure: 1,
  /** The command line is wrong: unknown command, option, target or id; a bad option value. */
  usage: 2,
  /** `explain --verify` found a file that does not match its record; `pull` refused an entry that failed verification. */
  verify: 3,
  /** A file the command read is wrong: pipeline.yaml, the data manifest, a dataset or results file. */
  data: 4,
} as const;

export const EXIT_CODES_HELP = `
Exit codes:
  0  success
  1  a stage failed, a guarded claim is false, or another runtime failure
  2  usage error: unknown command, option, target, stage type or result id; a bad option value
  3  explain --verify found a mismatch; pull refused a remote entry that failed verification
  4  data or spec error: pipeline.yaml, the data manifest, a dataset or a results file (the message names file, line, key)`;

/**
 * When the reader of stdout or stderr goes away (`| head -1`), stop quietly: the reader has what it wanted. Without
 * this, Node turns the EPIPE of the next write into an uncaught exception with a stack trace.
 */
export function exitQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EPIPE" || e.code === "ERR_STREAM_DESTROYED") process.exit(typeof process.exitCode === "number" ? process.exitCode : EXIT.ok);
      throw e;
    });
  }
}

/**
 * Columns to wrap text output at: the terminal's, else $COLUMNS when set; undefined when stdout is not a terminal
 * (a pipe or a file gets whole lines, for grep).
 */
export function outputWidth(stream: NodeJS.WriteStream = process.stdout): number | undefined {
  if (stream.isTTY && stream.columns) return stream.columns;
  const env = Number(process.env.COLUMNS);
  return Number.isInteger(env) && env >= 20 ? env : undefined;
}

/** A line wrapped at `width`, continuation lines indented by `indent` spaces. */
export { wrapHanging as wrapLine } from "../engine/wrap.js";
