// How errors are shown and recorded: the message only (a stack trace only with --debug, i.e. COFAIL_DEBUG set),
// and never a long run of someone's file: each line is capped and control characters are escaped, so a 5 MB header
// line or a binary file quoted by some reader cannot flood a terminal or a run record.
export { excerpt } from "./types.js";

export const MAX_LINE = 300;
export const MAX_LINES = 40;

export function debugEnabled(): boolean {
  const v = process.env.COFAIL_DEBUG;
  return v !== undefined && v !== "" && v !== "0";
}

/** Caps a message for display and records: per-line length, number of lines, control characters escaped. */
export function capMessage(message: string): string {
  const lines = message.split("\n");
  const shown = lines.slice(0, MAX_LINES).map((l) => {
    const clean = l.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1));
    return clean.length <= MAX_LINE ? clean : `${clean.slice(0, MAX_LINE)}… (line cut: ${clean.length} characters)`;
  });
  if (lines.length > MAX_LINES) shown.push(`… (${lines.length - MAX_LINES} more lines)`);
  return shown.join("\n");
}

/** The text of a thrown value as cofail shows it: the message, or the stack with --debug; capped. */
export function errorText(e: unknown): string {
  if (!(e instanceof Error)) return capMessage(String(e));
  return capMessage(debugEnabled() ? (e.stack ?? e.message) : e.message);
}

// Error kinds the command line maps to distinct exit codes (cli/index.ts): a usage error (a flag, a target, an id
// that does not exist) is the caller's to fix on the command line; a data error is in a file the command read.
// SpecError (./spec.ts) is the data error of pipeline.yaml.

/** The command line asked for something that does not exist or cannot be combined: exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** A file the command read is malformed or inconsistent (it names the file, line, key): exit 4. */
export class DataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DataError";
  }
}
