// Text for a terminal: a line wrapped at a width with a hanging indent (words kept whole unless longer than a line).
import wrapAnsi from "wrap-ansi";

export function wrapHanging(line: string, width: number, indent: number): string {
  const lead = /^ */.exec(line)![0];
  const body = line.slice(lead.length);
  const first = wrapAnsi(body, Math.max(10, width - lead.length), { hard: true, trim: true }).split("\n");
  if (first.length <= 1) return line;
  const pad = Math.min(indent, Math.floor(width / 2));
  const rest = wrapAnsi(first.slice(1).join(" "), Math.max(10, width - pad), { hard: true, trim: true }).split("\n");
  return [lead + first[0], ...rest.map((l) => " ".repeat(pad) + l)].join("\n");
}
