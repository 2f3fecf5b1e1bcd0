// Final-answer extraction and normalisation for free-form math answers, and the equivalence test our
// math grader applies. Stricter than "first number wins": the whole final answer must denote the gold.
import { evaluateMath } from "./math-expr.js";

/** Index just past the brace group that opens at `open` (s[open] === "{"), honouring nesting. */
export function braceEnd(s: string, open: number): number | undefined {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === "\\" && (s[i + 1] === "{" || s[i + 1] === "}")) { i++; continue; }
    if (s[i] === "{") depth++;
    else if (s[i] === "}" && --depth === 0) return i + 1;
  }
  return undefined;
}

/** The LAST balanced \boxed{...} / \fbox{...}: its content (nested braces kept) and which command, or undefined. */
export function lastBoxedMatch(s: string): { content: string; command: "boxed" | "fbox" } | undefined {
  const re = /\\(boxed|fbox)\s*\{/g;
  let found: { content: string; command: "boxed" | "fbox" } | undefined;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    const open = m.index + m[0].length - 1;
    const end = braceEnd(s, open);
    if (end !== undefined) found = { content: s.slice(open + 1, end - 1), command: m[1] as "boxed" | "fbox" };
  }
  return found;
}

/** Content of the LAST \boxed{...} / \fbox{...} (nested braces kept), or undefined. */
export function lastBoxed(s: string): string | undefined {
  return lastBoxedMatch(s)?.content;
}

/**
 * The value of the first `"answer": ...` key (the prompt asks for one JSON object; small models that
 * keep generating invent further questions and answer those too, so later objects are not the answer) in the text, read from the raw JSON source rather than
 * JSON-decoded: models write LaTeX in JSON strings with single backslashes, which a JSON parser either
 * rejects ("\sqrt") or silently turns into control characters ("\frac" -> form feed + "rac").
 */
export function jsonAnswer(s: string): string | undefined {
  const first = /"answer"\s*:/.exec(s);
  if (!first) return undefined;
  // JSON semantics: a key repeated inside one object means its LAST value. Find the object around the
  // first "answer" key and read the last "answer" inside it.
  const open = s.lastIndexOf("{", first.index);
  const close = open < 0 ? undefined : objectEnd(s, open);
  const scope = close === undefined ? s.slice(first.index) : s.slice(first.index, close);
  const values = [...scope.matchAll(/"answer"\s*:\s*/g)].map((m) => answerValueAt(scope, m.index + m[0].length));
  const inScope = values.filter((v): v is string => v !== undefined);
  if (inScope.length > 0) return inScope[inScope.length - 1];
  // The first object held no usable value: try later "answer" keys in order.
  for (const m of s.slice(first.index).matchAll(/"answer"\s*:\s*/g)) {
    const v = answerValueAt(s.slice(first.index), m.index + m[0].length);
    if (v !== undefined) return v;
  }
  return undefined;
}

/** End (exclusive) of the JSON object opening at s[open], skipping braces inside strings. */
function objectEnd(s: string, open: number): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return i + 1;
  }
  return undefined;
}

function answerValueAt(s: string, start: number): string | undefined {
  let i = start;
  if (s[i] === '"') {
    let out = "";
    for (i++; i < s.length && s[i] !== '"'; i++) {
      if (s[i] === "\\" && i + 1 < s.length) {
        const n = s[i + 1]!;
        // Proper JSON escapes of the characters that matter; any other backslash is LaTeX, kept as is.
        if (n === '"' || n === "\\" || n === "/") { out += n; i++; continue; }
        if (n === "n" && !/[a-zA-Z]/.test(s[i + 2] ?? "")) { out += " "; i++; continue; }
      }
      out += s[i];
    }
    if (i >= s.length) return undefined; // unterminated string: not a usable answer
    return out.trim() === "" ? undefined : out;
  }
  const tok = /^[^,}\n]*/.exec(s.slice(i))![0].trim();
  return tok !== "" && tok !== "{" && tok !== "[" ? tok : undefined;
}

const ANSWER_PHRASES = [
  /final answer is[:\s]*([^\n]+)/gi,
  /(?:^|\n)\s*\**(?:final\s+)?answer\**\s*[:=]\s*\**([^\n]+)/gi,
];

/** Our final-answer extraction: JSON "answer", else last \boxed{}, else "final answer is"/"Answer:" lines. */
export function extractFinalAnswer(response: string): string | undefined {
  const fromJson = jsonAnswer(response);
  if (fromJson !== undefined && fromJson.trim() !== "") {
    const boxed = lastBoxed(fromJson);
    return (boxed ?? fromJson).trim();
  }
  const boxed = lastBoxed(response);
  if (boxed !== undefined) return boxed.trim();
  let phrase: string | undefined;
  for (const re of ANSWER_PHRASES) {
    for (const m of response.matchAll(re)) phrase = m[1];
    if (phrase !== undefined) break;
  }
  if (phrase === undefined) return undefined;
  const cleaned = phrase.trim().replace(/\.\s*$/, "");
  return lastBoxed(cleaned) ?? cleaned;
}

const UNICODE_SUBSCRIPTS: Record<string, string> = { "₀": "0", "₁": "1", "₂": "2", "₃": "3", "₄": "4", "₅": "5", "₆": "6", "₇": "7", "₈": "8", "₉": "9" };

/** Strips presentation: math delimiters, \text/\mathrm wrappers, degrees, percent, thousands separators. */
export function normalizeAnswer(raw: string): string {
  let s = raw.trim();
  const boxed = lastBoxed(s);
  if (boxed !== undefined) s = boxed;
  s = s.replace(/[₀-₉]+/g, (m) => "_" + [...m].map((c) => UNICODE_SUBSCRIPTS[c]).join(""));
  s = s
    .replace(/\\[()[\]]/g, " ")
    .replace(/\\\$/g, "$")
    .replace(/\$(?!\s*\d)/g, "") // math delimiters; a "$" before a number is a currency sign, kept for now
    .replace(/\\(?:text|textbf|textit|mathrm|mathbf|mbox|operatorname)\s*\{([^{}]*)\}/g, " $1 ")
    .replace(/\\(?:d|t)frac/g, "\\frac")
    .replace(/\^\s*\{?\\circ\}?|°|\\degree/g, "")
    .replace(/\\%|%/g, "")
    .replace(/\\[,!;: ]|~/g, " ")
    .replace(/\\(?:left|right)\b/g, "")
    .replace(/\s+/g, " ")
    .trim();
  // Markdown emphasis and quotes around the whole answer: "**12**", "___3___", "\"5\"".
  s = s.replace(/^(?:[*"'`]|__+)+|(?:[*"'`]|__+)+$/g, "").trim();
  s = s.replace(/^(?:the\s+)?(?:final\s+)?answer(?:\s+is)?\s*[:=]?\s*/i, "");
  // "2\sqrt2 \approx 2.83": keep the exact part.
  s = s.split(/\\approx|≈/)[0]!.trim();
  s = s.replace(/\{,\}/g, ",").replace(/\.$/, "").trim();
  return s;
}

/** A numeral with an explicit base: "-221_3", "1011_{2}", "221_{(3)}", "A3_{16}"; `base` NaN for "_b". */
export function parseBaseNumeral(s: string): { sign: string; digits: string; base: number } | undefined {
  const m = /^(-?)\s*([0-9A-Za-z]+)\s*_\s*\{?\s*\(?\s*(\d+|[a-z])\s*\)?\s*\}?$/.exec(s);
  if (!m) return undefined;
  const digits = m[2]!.toUpperCase().replace(/^0+(?=.)/, "");
  if (/^[a-z]$/.test(m[3]!)) return /^\d+$/.test(digits) ? { sign: m[1]!, digits, base: NaN } : undefined;
  const base = Number(m[3]);
  if (base < 2 || base > 36) return undefined;
  if (![...digits].every((d) => parseInt(d, 36) < base)) return undefined;
  return { sign: m[1]!, digits, base };
}

const CURRENCY = /^(?:\$|€|£|¥|₹|USD|EUR|Rs\.?)\s*/;
const THOUSANDS = /^-?\d{1,3}(?:(,|\s)\d{3})(?:\1\d{3})*(?:\.\d+)?$/;

/** Drops decorations around one number: currency sign, thousands separators, unit words, a trailing aside. */
function stripDecorations(s: string): string {
  let t = s.replace(/^-\s*\$/, "-").replace(CURRENCY, "").replace(/\s*\([^()]*\)$/, "").trim();
  // Trailing units: "48g", "5 pounds/day", "55 m/s", "-10F", "67\"", "3 cm^2" (no digits except exponents).
  const unit = /^(-?[\d.,\s]*\d)\s*([a-zA-Z"'/.\s]+(?:\^\{?\d\}?|²|³)?)$/.exec(t);
  if (unit && isUnit(unit[2]!, /\s$/.test(s.slice(0, s.length - unit[2]!.length)) || /^\s/.test(unit[2]!))) t = unit[1]!.trim();
  if (THOUSANDS.test(t)) t = t.replace(/[,\s]/g, "");
  return t;
}

/**
 * Is this trailing text a unit ("g", "pounds/day", "m/s", "cm^2", '"')? A single letter glued to the
 * number is a variable ("4x", "-7k", "4x^2"), except the few one-letter units word problems use.
 */
function isUnit(text: string, spaced: boolean): boolean {
  const t = text.trim();
  if (/\d/.test(t.replace(/(?:\^\{?\d\}?|²|³)$/, ""))) return false;
  if (/^[a-zA-Z](?:\^|²|³|$)/.test(t) && !/^[a-zA-Z]$/.test(t) && !spaced) return false;
  if (/^[a-zA-Z]$/.test(t) && !spaced && !/^[gmshlL]$/.test(t)) return false;
  return true;
}

/** Value of an answer that is one clean number, expression, base numeral or clock time; else undefined. */
function cleanValue(s: string): number | undefined {
  const base = parseBaseNumeral(s);
  if (base) return Number.isNaN(base.base) ? undefined : (base.sign ? -1 : 1) * parseInt(base.digits, base.base);
  const v = evaluateMath(s);
  if (v !== undefined) return v;
  // "2:00 pm" answers "what time": the hour, when on the hour.
  const time = /^(\d{1,2}):00\s*(?:[ap]\.?m\.?)?$/i.exec(s);
  if (time) return Number(time[1]);
  const stripped = stripDecorations(s);
  return stripped !== s ? evaluateMath(stripped) : undefined;
}

/** A list or a disjunction ("2, -1", "12 or 13", "x = 5; y = 2") is never one number. */
const isListOrChoice = (s: string) => /\bor\b|;|,(?!\d{3}\b)/.test(s);

/**
 * The single number an answer denotes: the answer itself when clean; else the right-hand side of its
 * last "=" ("2 + 8 + 6 = 16"); else, for a plain sentence ("Anne is 8 years old."), its one number
 * (several distinct numbers are ambiguous: no value).
 */
export function answerValue(normalized: string): number | undefined {
  const whole = cleanValue(normalized);
  if (whole !== undefined) return whole;
  if (isListOrChoice(normalized.replace(/\([^()]*\)/g, ""))) return undefined;
  if (normalized.includes("=") && !/[<>≤≥]|\\[lg]e/.test(normalized)) {
    const rhs = cleanValue(normalized.slice(normalized.lastIndexOf("=") + 1).trim().replace(/\.$/, ""));
    if (rhs !== undefined) return rhs;
  }
  return sentenceValue(normalized);
}

function sentenceValue(s: string): number | undefined {
  const words = s.match(/[a-zA-Z]{2,}/g) ?? [];
  if (words.length < 2 || /\\|\^|[a-zA-Z]\d|\d[a-zA-Z]/.test(s.replace(/\d+(?:st|nd|rd|th|s)\b/g, "0"))) return undefined;
  const numbers = new Set((s.match(/-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?/g) ?? []).map((n) => Number(n.replace(/,/g, ""))));
  return numbers.size === 1 ? [...numbers][0] : undefined;
}

/** Relative tolerance for numeric equality: float noise of the evaluator only, not rounding by a model. */
const REL_TOL = 1e-9;

/** Does the extracted answer denote the gold answer? */
export function answersMatch(answer: string, gold: string): boolean {
  const a = normalizeAnswer(answer);
  const g = normalizeAnswer(gold);
  if (a === "") return false;
  const gBase = parseBaseNumeral(g);
  const aBase = parseBaseNumeral(a);
  if (gBase) {
    // The question asks for a numeral in that base: the same digits are right (with or without the
    // subscript), the same digits in another base or the decimal value are not.
    if (aBase) return (aBase.base === gBase.base || Number.isNaN(aBase.base)) && aBase.digits === gBase.digits && aBase.sign === gBase.sign;
    const plain = /^(-?)\s*0*([0-9A-Za-z]+)$/.exec(a);
    return plain !== null && plain[1] === gBase.sign && plain[2]!.toUpperCase() === gBase.digits;
  }
  // "100100_b" (base named by a letter, as the question does) against a plain gold: compare the digits.
  if (aBase && Number.isNaN(aBase.base)) return `${aBase.sign}${aBase.digits}` === g.replace(/^(-?)0+(?=\d)/, "$1");
  const gv = answerValue(g);
  const av = answerValue(a);
  if (gv !== undefined && av !== undefined) return Math.abs(av - gv) <= REL_TOL * Math.max(1, Math.abs(gv));
  return a.replace(/\s+/g, "") === g.replace(/\s+/g, "");
}
