// "No naked numbers": every quantity in the paper's prose must come from the registry through {{...}}, so a
// number can never go stale when the data changes. This finds digits in the prose that are not one of the
// documented exceptions (ARCHITECTURE.md, "Tables and figures"):
//   - anything inside {{...}}, `code`, fenced code, HTML comments, link targets and URLs, and
//     `:::published` quote blocks (quoted text from other papers, rendered with a "published" marker);
//   - years 1900-2099, alone or with a letter suffix or as a range ("2021", "2021a", "2019-2024"), which
//     covers citations like "(Clopper and Pearson, 1934)" and names like "AIME 2025";
//   - section references "§3", "§3.2";
//   - heading numbers ("## 3. Results") and ordered-list markers ("1. ");
//   - digits inside a word that starts with a letter: names and identifiers such as math-l5, GPT-4o,
//     Llama-3.1-405B, gsm8k, o1-preview (a word that *starts* with a digit, like "2x" or "17", is a number);
//   - phrases on the allow-list (e.g. "Claude 3.5 Sonnet"), matched literally.
import { scanMarkdown, type ProseLine } from "./scan.js";

export interface NakedNumber {
  line: number;
  column: number;
  number: string;
  /** The line, trimmed, for the error message. */
  context: string;
}

/** Model names whose version is a separate word. Extend per paper through the stage param `allow`. */
export const DEFAULT_ALLOW_LIST: readonly string[] = [
  "Claude 3.5 Sonnet", "Claude 3.5 Haiku", "Claude 3 Opus", "Claude 3 Sonnet", "Claude 3 Haiku",
  "Gemini 1.5 Pro", "Gemini 1.5 Flash", "Gemini 2.0 Flash", "Gemini 2.5 Pro", "GPT 4o", "Qwen 2.5",
  // Licence names carry versions.
  "CC BY 4.0", "CC BY-SA 4.0", "Apache License 2.0", "Apache License, Version 2.0",
];

const YEAR = /^(19|20)\d\d[a-z]?$/;
const WORD = /[\p{L}\p{N}](?:[\p{L}\p{N}_.\-\/'’]|,(?=\p{N}))*/gu;

export function findNakedNumbers(markdown: string, allowList: readonly string[] = DEFAULT_ALLOW_LIST): NakedNumber[] {
  const { prose } = scanMarkdown(markdown);
  const sourceLines = markdown.split("\n");
  return prose.flatMap((p) => nakedInLine(p, allowList, sourceLines[p.line - 1] ?? ""));
}

/** The same check for one free-standing piece of prose (a figure caption written inside {{figure:...|...}}). */
export function findNakedNumbersInText(text: string, allowList: readonly string[] = DEFAULT_ALLOW_LIST): NakedNumber[] {
  return nakedInLine({ line: 1, prose: text, heading: false }, allowList, text);
}

function nakedInLine(p: ProseLine, allowList: readonly string[], source: string): NakedNumber[] {
  if (!/\d/.test(p.prose)) return [];
  let text = p.prose;
  const blank = (m: string) => " ".repeat(m.length);
  for (const phrase of allowList) {
    if (/\d/.test(phrase)) text = text.split(phrase).join(blank(phrase));
  }
  if (p.heading) text = text.replace(/^( {0,3}#{1,6}\s+)(\d+(?:\.\d+)*\.?)(?=\s)/, (_, h: string, n: string) => h + blank(n));
  else text = text.replace(/^(\s*(?:>\s*)*)(\d{1,9}[.)])(?=\s)/, (_, h: string, n: string) => h + blank(n));
  text = text.replace(/§\s?\d+(?:\.\d+)*/g, blank);
  const found: NakedNumber[] = [];
  for (const m of text.matchAll(WORD)) {
    const word = m[0];
    if (!/\p{N}/u.test(word)) continue;
    if (/^\p{L}/u.test(word)) continue; // a name or identifier: math-l5, GPT-4o, Llama-3.1-405B
    const bare = word.replace(/[._'’]+$/, "");
    if (bare.split(/[-–\/]/).every((part) => YEAR.test(part))) continue;
    found.push({ line: p.line, column: m.index! + 1, number: bare, context: source.trim() });
  }
  return found;
}

export function describeNakedNumbers(found: NakedNumber[], file: string): string {
  return found.map((n) => `${file}:${n.line}:${n.column}: naked number "${n.number}" in: ${n.context}`).join("\n") +
    "\n  Every number in the prose must come from the registry: publish it from a stage and write {{<id>}} " +
    "(see ARCHITECTURE.md, \"Tables and figures\" for the allowed exceptions).";
}
