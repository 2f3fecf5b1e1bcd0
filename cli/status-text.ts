// `cofail status` as text: one entry per task, reasons condensed (a code change listed once per file, not once per
// stage it reaches) and wrapped to the terminal width.
import type { TaskStatus } from "../engine/index.js";
import { wrapLine } from "./output.js";

const label = (s: TaskStatus) => (s.partition === undefined ? s.stage : `${s.stage}[${s.partition}]`);

/** "code file a changed; code file b changed; ..." -> "code changed: a, b, c and 9 more files". */
export function condenseReasons(reasons: string[]): string[] {
  const code = reasons.flatMap((r) => /^code file (.+) changed$/.exec(r)?.[1] ?? []);
  if (code.length <= 3) return reasons;
  const rest = reasons.filter((r) => !/^code file .+ changed$/.test(r));
  return [`code changed: ${code.slice(0, 3).join(", ")} and ${code.length - 3} more files`, ...rest];
}

/** The status as text, each task's line wrapped at `width` when given (a terminal), whole otherwise. */
export function statusText(status: TaskStatus[], width?: number): string {
  const wrap = (line: string) => (width === undefined ? line : wrapLine(line, width, 14));
  const lines: string[] = [];
  for (const s of status) {
    if (s.state === "up-to-date") {
      const stamp = s.restamp ? ` (build/ will get commit ${s.restamp.to}; nothing recomputed)` : "";
      lines.push(wrap(`  up to date  ${label(s)}${stamp}`));
    } else {
      lines.push(wrap(`  ${s.state === "run" ? "will run   " : "restorable "} ${label(s)}: ${condenseReasons(s.reasons).join("; ")}`));
    }
  }
  const stale = status.filter((s) => s.state !== "up-to-date");
  lines.push(stale.length ? `${stale.length} of ${status.length} tasks stale` : `all ${status.length} tasks up to date`);
  return lines.join("\n");
}
