// The MATH benchmark's answer normalization (Hendrycks et al. 2021, `strip_string` in `is_equiv`), extended as the
// original audit describes (shared/docs/original-study.md, "Their grader normalization"), for the audit grader
// (./math-audit.ts). Both sides of a comparison go through it, the reference as much as the model's answer:
// the references are what a naive grader fails on ("10,\!080", "864 \mbox{ inches}^2", "\frac43", "x=5").
//
// Steps, in order (Hendrycks's own in [H], extensions in [E]):
//   newlines; "\!" [H], "\," "\;" "\:" "\ " "~" "\displaystyle" [E]; "tfrac"/"dfrac" -> "frac" [H];
//   "\left" / "\right" [H]; degrees "^{\circ}" "^\circ" [H] (also "°", "\degree" [E]); "\$" [H] and bare "$" [E];
//   unit words inside \text{}/\mbox{}/\mathrm{} removed, with a trailing "^2"/"^3" [E] (Hendrycks cut everything
//   after "\text{ "); other \text{}/\mbox{}/\textbf{}/\mathrm{} unwrapped [E]; "\%" and "%" [H/E];
//   ".5" -> "0.5" at the start [H] and after an operator, space, brace or comma [E]; a thousands-separated number
//   "10,\!080", "1,000,000" -> "10080", "1000000" (the whole answer, groups of three, no space after a plain
//   comma, so the list "1,2" and "1, 234" stay lists) [E]; a single-letter left-hand side "x=5", "b = 4",
//   "k(x) = ...", "y_1=..." dropped [H, which drops any left side of at most two characters; E: function
//   notation]; "\sqrt3" -> "\sqrt{3}" [H]; spaces removed [H]; "\frac43", "\frac 59", "\frac9{19}",
//   "\frac{270}7" -> braced arguments [H]; "a/b" of two integers -> "\frac{a}{b}" [H, E: signed]; a trailing
//   period [E]; quotes / markdown emphasis around the whole answer and unit words after a bare number
//   ("5 hours", "6 miles per hour"), as models write them in plain text [E].
// Left out of Hendrycks's: "0.5" -> "\frac{1}{2}" (the numeric rule of the comparison covers it for every number)
// and "\\" -> "\" (it would break matrix rows).
import { braceEnd } from "./math-answer.js";

/** Unit words a reference or answer may carry inside \text{} / \mbox{} (singular and plural, lower case). */
const UNIT_WORDS = [
  "inch", "inches", "in", "foot", "feet", "ft", "yard", "yards", "yd", "mile", "miles", "mi",
  "mm", "millimeter", "millimeters", "cm", "centimeter", "centimeters", "m", "meter", "meters", "metre", "metres",
  "km", "kilometer", "kilometers", "unit", "units", "sq", "square", "cubic",
  "dollar", "dollars", "cent", "cents", "euro", "euros",
  "degree", "degrees", "radian", "radians", "deg",
  "second", "seconds", "sec", "s", "minute", "minutes", "min", "hour", "hours", "hr", "hrs", "h",
  "day", "days", "week", "weeks", "month", "months", "year", "years",
  "mph", "kph", "gram", "grams", "g", "kg", "kilogram", "kilograms", "pound", "pounds", "lb", "lbs", "ounce", "ounces",
  "oz", "liter", "liters", "litre", "litres", "l", "ml", "gallon", "gallons", "cup", "cups",
  "people", "persons", "students", "ways", "times", "percent", "of", "per", "dozen", "dozens", "kgs", "pages", "page",
];
const UNIT_SET = new Set(UNIT_WORDS);

/** Is the text of a \text{} group only unit words ("inches", " sq. units", "square feet", "cm", "m/s")? */
function isUnitText(text: string): boolean {
  const words = text.toLowerCase().replace(/[.\/^²³]|\\,|\\ /g, " ").split(/\s+/).filter((w) => w !== "" && !/^\d$/.test(w));
  return words.length > 0 && words.every((w) => UNIT_SET.has(w));
}

const TEXT_GROUP = /\\(?:text|textbf|textit|textrm|mbox|mathrm|mathbf|operatorname)\s*\{/g;

/** Removes \text{...} groups that hold only unit words (with a following ^2 / ^{3}), unwraps the others. */
function stripTextGroups(s: string): string {
  let out = "";
  let last = 0;
  for (const m of s.matchAll(TEXT_GROUP)) {
    const start = m.index;
    if (start < last) continue;
    const open = start + m[0].length - 1;
    const end = braceEnd(s, open);
    if (end === undefined) continue;
    const inner = s.slice(open + 1, end - 1);
    out += s.slice(last, start);
    last = end;
    if (isUnitText(inner)) {
      const power = /^\s*\^\s*(?:\{\s*[23]\s*\}|[23])/.exec(s.slice(end));
      if (power) last = end + power[0].length;
    } else out += inner;
  }
  return out + s.slice(last);
}

/** Quotes or markdown emphasis around the whole answer: "\"23\"", "**7**", "___3___", "`5`". */
function stripWrappers(s: string): string {
  for (let m = /^(["`*]|_{2,})(.+)\1$/.exec(s); m; m = /^(["`*]|_{2,})(.+)\1$/.exec(s)) s = m[2]!.trim();
  return s;
}

/**
 * A number followed by unit words outside \text{} ("5 hours", "6 miles per hour", "60 cents", "156kgs"): the
 * number. Glued to the number only a unit word of two or more letters counts ("48g" stays: "4x", "2n" are terms).
 */
function stripBareUnits(s: string): string {
  const m = /^(-?(?:\d[\d,]*(?:\.\d+)?|\.\d+))(\s*)([a-zA-Z][a-zA-Z\s./]*?)(?:\^\{?[23]\}?)?$/.exec(s);
  if (!m || (m[2] === "" && m[3]!.length < 2)) return s;
  return isUnitText(m[3]!) ? m[1]! : s;
}

/** One TeX argument at s[i]: a balanced {group} (returned without braces) or a single character. */
function texArg(s: string, i: number): { text: string; end: number } | undefined {
  if (i >= s.length) return undefined;
  if (s[i] === "{") {
    const end = braceEnd(s, i);
    return end === undefined ? undefined : { text: s.slice(i + 1, end - 1), end };
  }
  if (s[i] === "\\") {
    const cmd = /^\\[a-zA-Z]+/.exec(s.slice(i));
    if (cmd) return { text: cmd[0], end: i + cmd[0].length };
  }
  return { text: s[i]!, end: i + 1 };
}

/** "\frac43" -> "\frac{4}{3}", "\frac9{19}" -> "\frac{9}{19}", "\frac{270}7" -> "\frac{270}{7}" (spaces already gone). */
function fixFracs(s: string): string {
  let out = "";
  let i = 0;
  for (let at = s.indexOf("\\frac", i); at >= 0; at = s.indexOf("\\frac", i)) {
    out += s.slice(i, at) + "\\frac";
    i = at + 5;
    if (/[a-zA-Z]/.test(s[i] ?? "")) continue; // another command ("\fraction"), not \frac
    const num = texArg(s, i);
    const den = num && texArg(s, num.end);
    if (!num || !den) continue;
    out += `{${fixFracs(num.text)}}{${fixFracs(den.text)}}`;
    i = den.end;
  }
  return out + s.slice(i);
}

/** "\sqrt3" -> "\sqrt{3}", "\sqrt x" -> "\sqrt{x}" (TeX takes one character); "\sqrt{..}", "\sqrt[3]{..}" kept. */
function fixSqrt(s: string): string {
  return s.replace(/\\sqrt\s*([^\s{[\\])/g, "\\sqrt{$1}");
}

/** The whole answer is a number with thousands separators: "1,000,000", "10,080.5", "-32,348". */
const THOUSANDS = /^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;

/** A single-letter (optionally subscripted, optionally function-of) left-hand side: "x", "b ", "k(x)", "y_1". */
const LHS = /^\s*[a-zA-Z](?:_\{?[a-zA-Z0-9]\}?)?(?:\s*\([a-zA-Z](?:\s*,\s*[a-zA-Z])*\))?\s*$/;

export function normalizeMathAnswer(raw: string): string {
  // "10,\!080", "11,\! 111,\! 100": a comma followed by a negative thin space is a thousands separator.
  let s = raw.replace(/\n/g, " ").replace(/,\s*\\!\s*/g, ",");
  s = s.replace(/\\displaystyle/g, "").replace(/\\[!,;: ]|~/g, (m) => (m === "\\!" ? "" : " "));
  s = s.replace(/\\(?:t|d)frac/g, "\\frac");
  s = s.replace(/\\left\b|\\right\b/g, "");
  s = s.replace(/\^\s*\{\s*\\circ\s*\}|\^\s*\\circ|°|\\degree\b/g, "");
  s = s.replace(/\\\$/g, "").replace(/\$/g, "");
  s = stripTextGroups(s);
  s = s.replace(/\\%|%/g, "");
  s = stripWrappers(s.trim());
  s = stripBareUnits(s);
  s = s.replace(/(^|[\s{(\[,;=+\-*/^])\.(\d)/g, "$10.$2");
  if (THOUSANDS.test(s)) s = s.replace(/,/g, "");
  const parts = s.split("=");
  if (parts.length === 2 && LHS.test(parts[0]!)) s = parts[1]!;
  s = fixSqrt(s);
  s = s.replace(/\s+/g, "");
  s = fixFracs(s);
  const slash = /^(-?)(\d+)\/(\d+)$/.exec(s);
  if (slash) s = `${slash[1]}\\frac{${slash[2]}}{${slash[3]}}`;
  s = s.replace(/\.$/, "");
  return s;
}
