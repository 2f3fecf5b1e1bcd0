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
