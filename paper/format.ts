// Number formats for the registry and the paper. Pure and locale-free: the same value and format give the same
// text on every machine (no Intl, no toLocaleString), because rendered numbers are diffed between runs.
// Rounding works on the shortest decimal representation of the double (what `String(x)` prints), half away from
// zero, so 0.0125 -> "1.3%" and 1.005 -> "1.01" as a reader expects, instead of exposing binary noise.

export interface Interval {
  lower: number;
  upper: number;
  level?: number;
}

/** Formats this module understands; `undefined` or "" selects the default. */
export const FORMAT_NAMES = ["fixed:N", "pct:N", "int", "count", "sci:N", "ratio:N", "default"] as const;

const SUPERSCRIPT: Record<string, string> = {
  "-": "⁻", "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹",
};

interface ParsedFormat {
  kind: "fixed" | "pct" | "int" | "count" | "sci" | "ratio" | "default";
  digits: number;
}

export function parseFormat(format: string | undefined): ParsedFormat {
  if (format === undefined || format === "" || format === "default") return { kind: "default", digits: 0 };
  const m = /^(fixed|pct|sci|ratio):(\d{1,2})$/.exec(format);
  if (m) return { kind: m[1] as ParsedFormat["kind"], digits: Number(m[2]) };
  if (format === "int" || format === "count") return { kind: format, digits: 0 };
  if (/^(fixed|pct|sci|ratio)$/.test(format)) {
    // A bare "pct" is a common slip; a silent default would hide it, so name the fix.
    throw new Error(`number format "${format}" needs a digit count, e.g. "${format}:2"`);
  }
  throw new Error(`unknown number format "${format}"; expected one of ${FORMAT_NAMES.join(", ")}`);
}

/** Throws on an unknown format; lets callers validate formats before any value exists. */
export function assertFormat(format: string | undefined): void {
  parseFormat(format);
}

export function formatValue(value: number, format?: string): string {
  const f = parseFormat(format);
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "−∞";
  switch (f.kind) {
    case "fixed": return signed(roundToDigits(value, f.digits, 0));
    case "pct": return signed(roundToDigits(value, f.digits, 2)) + "%";
    case "ratio": return signed(roundToDigits(value, f.digits, 0)) + "×";
    case "int": return signed(roundToDigits(value, 0, 0));
    case "count": return signed(groupThousands(roundToDigits(value, 0, 0)));
    case "sci": return scientific(value, f.digits);
    case "default": return defaultFormat(value);
  }
}

/** "[lo, hi]" with both bounds in `format` (percent signs and × on both, so each bound reads on its own). */
export function formatInterval(ci: Interval, format?: string): string {
  return `[${formatValue(ci.lower, format)}, ${formatValue(ci.upper, format)}]`;
}

/** A confidence level as a percentage without trailing zeros: 0.9 -> "90%", 0.975 -> "97.5%". */
export function formatLevel(level: number): string {
  const text = roundToDigits(level, 4, 2).replace(/\.?0+$/, "");
  return `${text}%`;
}

// Integers print grouped; other values with three significant digits, so an unformatted result still reads
// sensibly and never shows 17 digits of binary noise.
function defaultFormat(value: number): string {
  if (Number.isInteger(value)) return signed(groupThousands(roundToDigits(value, 0, 0)));
  const abs = Math.abs(value);
  if (abs < 1e-4 || abs >= 1e6) return scientific(value, 2);
  const exponent = decimalExponent(value);
  const digits = Math.max(0, 2 - exponent);
  const text = roundToDigits(value, digits, 0);
  // Rounding can carry into a new leading digit (0.9996 -> "1.000"); recompute from the rounded value.
  const rounded = Number(text);
  if (rounded !== 0 && decimalExponent(rounded) !== exponent) return signed(roundToDigits(value, Math.max(0, digits - 1), 0));
  return signed(text);
}

function scientific(value: number, digits: number): string {
  if (value === 0) return `${roundToDigits(0, digits, 0)}×10⁰`;
  let exponent = decimalExponent(value);
  let mantissa = roundToDigits(value, digits, -exponent);
  if (Math.abs(Number(mantissa)) >= 10) {
    exponent += 1;
    mantissa = roundToDigits(value, digits, -exponent);
  }
  const sup = String(exponent).split("").map((c) => SUPERSCRIPT[c]).join("");
  return `${signed(mantissa)}×10${sup}`;
}

/** Floor(log10(|x|)) from the decimal digits, not from Math.log10 (which is off by one near powers of ten). */
function decimalExponent(value: number): number {
  const [, exp] = Math.abs(value).toExponential().split("e");
  return Number(exp);
}

// A typographic minus reads better than a hyphen in prose, and "-0" never appears.
function signed(text: string): string {
  if (/^-0(\.0*)?$/.test(text)) return text.slice(1);
  return text.startsWith("-") ? "−" + text.slice(1) : text;
}

function groupThousands(text: string): string {
  const negative = text.startsWith("-");
  const digits = negative ? text.slice(1) : text;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return negative ? "-" + grouped : grouped;
}

/**
 * Decimal rounding of value × 10^shift to `digits` fraction digits, half away from zero, on the shortest
 * round-trip decimal string of the double. Returns a plain (non-exponential) string with a leading "-" if negative.
 */
export function roundToDigits(value: number, digits: number, shift: number): string {
  const negative = value < 0 || Object.is(value, -0);
  const [mant, expText] = Math.abs(value).toExponential().split("e");
  const allDigits = mant!.replace(".", "");
  // Position of the decimal point inside allDigits after applying the exponent and shift.
  const point = 1 + Number(expText) + shift;
  // Digits we keep: everything before the point plus `digits` after it.
  const keep = point + digits;
  let kept: string;
  let roundUp = false;
  if (keep <= 0) {
    kept = "";
    roundUp = keep === 0 && allDigits[0]! >= "5";
  } else if (keep >= allDigits.length) {
    kept = allDigits + "0".repeat(keep - allDigits.length);
  } else {
    kept = allDigits.slice(0, keep);
    roundUp = allDigits[keep]! >= "5";
  }
  let intDigits = kept === "" ? [] : kept.split("").map(Number);
  const width = Math.max(keep, 0);
  if (roundUp) {
    let i = intDigits.length - 1;
    while (i >= 0 && intDigits[i] === 9) { intDigits[i] = 0; i--; }
    if (i >= 0) intDigits[i]! += 1;
    else intDigits = [1, ...intDigits];
  }
  let body = intDigits.join("").padStart(width, "0");
  // Re-insert the decimal point `digits` places from the right.
  if (body.length < digits + 1) body = body.padStart(digits + 1, "0");
  const intPart = body.slice(0, body.length - digits).replace(/^0+(?=\d)/, "");
  const fracPart = digits > 0 ? "." + body.slice(body.length - digits) : "";
  const text = intPart + fracPart;
  return negative && /[1-9]/.test(text) ? "-" + text : text;
}
