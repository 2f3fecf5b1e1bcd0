// Final-answer extraction and normalisation for free-form math answers, and the equivalence test our
// math grader applies. Stricter than "first number wins": the whole final answer must denote the gold.
import { evaluateMath } from "./mathExpr.js";

/** Index just past the brace group that opens at `open` (s[open] === "{"), honouring nesting. */
function braceEnd(s: string, open: number): number | undefined {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === "\\" && (s[i + 1] === "{" || s[i + 1] === "}")) { i++; continue; }
    if (s[i] === "{") depth++;
    else if (s[i] === "}" && --depth === 0) return i + 1;
  }
  return undefined;
}

/** Content of the LAST \boxed{...} / \fbox{...} (nested braces kept), or undefined. */
export function lastBoxed(s: string): string | undefined {
  const re = /\\(?:boxed|fbox)\s*\{/g;
  let found: string | undefined;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    const open = m.index + m[0].length - 1;
    const end = braceEnd(s, open);
    if (end !== undefined) found = s.slice(open + 1, end - 1);
  }
  return found;
}

/**
 * The value of the last `"answer": ...` key in the text, read from the raw JSON source rather than
 * JSON-decoded: models write LaTeX in JSON strings with single backslashes, which a JSON parser either
 * rejects ("\sqrt") or silently turns into control characters ("\frac" -> form feed + "rac").
 */
export function jsonAnswer(s: string): string | undefined {
  const re = /"answer"\s*:\s*/g;
  let found: string | undefined;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    let i = m.index + m[0].length;
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
      if (i >= s.length) continue; // unterminated string: not a usable answer
      found = out;
    } else {
      const tok = /^[^,}\n]*/.exec(s.slice(i))![0].trim();
      if (tok !== "") found = tok;
    }
  }
  return found;
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
    .replace(/\$/g, "")
    .replace(/\\(?:text|textbf|textit|mathrm|mathbf|mbox|operatorname)\s*\{([^{}]*)\}/g, " $1 ")
    .replace(/\\(?:d|t)frac/g, "\\frac")
    .replace(/\^\s*\{?\\circ\}?|°|\\degree/g, "")
    .replace(/\\%|%/g, "")
    .replace(/\\[,!;: ]|~/g, " ")
    .replace(/\\(?:left|right)\b/g, "")
    .replace(/\s+/g, " ")
    .trim();
  // "x = 5", "n=12": the final answer is the right-hand side.
  if (/=/.test(s) && !/[<>]/.test(s)) s = s.slice(s.lastIndexOf("=") + 1).trim();
  // "2\sqrt2 \approx 2.83": keep the exact part.
  s = s.split(/\\approx|≈/)[0]!.trim();
  // Thousands separators: "1,234,567" / "1{,}234" (a comma-separated list of numbers is NOT a number).
  s = s.replace(/\{,\}/g, ",");
  if (/^-?\d{1,3}(,\d{3})+(\.\d+)?(\D.*)?$/.test(s)) s = s.replace(/(\d),(?=\d{3}\b)/g, "$1");
  s = s.replace(/\.$/, "").trim();
  return s;
}

/** A numeral with an explicit base: "-221_3", "1011_{2}", "221_{(3)}", "A3_{16}". */
export function parseBaseNumeral(s: string): { sign: string; digits: string; base: number } | undefined {
  const m = /^(-?)\s*([0-9A-Za-z]+)\s*_\s*\{?\s*\(?\s*(\d+)\s*\)?\s*\}?$/.exec(s);
  if (!m) return undefined;
  const base = Number(m[3]);
  if (base < 2 || base > 36) return undefined;
  const digits = m[2]!.toUpperCase().replace(/^0+(?=.)/, "");
  if (![...digits].every((d) => parseInt(d, 36) < base)) return undefined;
  return { sign: m[1]!, digits, base };
}

/** Drops trailing unit words ("12 meters", "5 dollars", "3 cm^2") after a leading numeric part. */
function stripUnits(s: string): string {
  const words = s.split(" ");
  let end = words.length;
  while (end > 1 && /^[a-zA-Z]+\.?(?:\^\{?\d\}?|²|³)?$/.test(words[end - 1]!)) end--;
  return end === words.length ? s : words.slice(0, end).join(" ");
}

export function answerValue(normalized: string): number | undefined {
  const base = parseBaseNumeral(normalized);
  if (base) return (base.sign ? -1 : 1) * parseInt(base.digits, base.base);
  return evaluateMath(normalized) ?? evaluateMath(stripUnits(normalized));
}

/** Relative tolerance for numeric equality: float noise of the evaluator only, not rounding by a model. */
const REL_TOL = 1e-9;

/** Does the extracted answer denote the gold answer? */
export function answersMatch(answer: string, gold: string): boolean {
  const a = normalizeAnswer(answer);
  const g = normalizeAnswer(gold);
  if (a === "") return false;
  const gBase = parseBaseNumeral(g);
  if (gBase) {
    // The question asks for a numeral in that base: the same digits are right (with or without the
    // subscript), the same digits in another base or the decimal value are not.
    const aBase = parseBaseNumeral(a);
    if (aBase) return aBase.base === gBase.base && aBase.digits === gBase.digits && aBase.sign === gBase.sign;
    const plain = /^(-?)\s*0*([0-9A-Za-z]+)$/.exec(a);
    return plain !== null && plain[1] === gBase.sign && plain[2]!.toUpperCase() === gBase.digits;
  }
  const gv = answerValue(g);
  const av = answerValue(a);
  if (gv !== undefined && av !== undefined) return Math.abs(av - gv) <= REL_TOL * Math.max(1, Math.abs(gv));
  return a.replace(/\s+/g, "") === g.replace(/\s+/g, "");
}
