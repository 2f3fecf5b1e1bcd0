// Just enough of Python's semantics to re-implement a Python grader bit for bit: `json.loads` (keeps
// ints exact and int/float apart, accepts NaN/Infinity), `str()` of the parsed values, float `repr`,
// `str.strip()`, Unicode `\d`, and `eval` restricted to arithmetic on numeric literals (never JS eval).
// Sources graded by Python scripts are reproduced exactly only if these corner cases agree.

export type PyValue =
  | string
  | boolean
  | null
  | { int: bigint }
  | { float: number }
  | PyValue[]
  | Map<string, PyValue>;

export class PyJsonError extends Error {}

/** Python's `json.loads` on an object/array/scalar text (strict mode, as the default is). */
export function pyJsonLoads(text: string): PyValue {
  let i = 0;
  const ws = () => { while (i < text.length && " \t\n\r".includes(text[i]!)) i++; };
  const fail = (what: string): never => { throw new PyJsonError(`${what} at char ${i}`); };
  const value = (): PyValue => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      const obj = new Map<string, PyValue>();
      ws();
      if (text[i] === "}") { i++; return obj; }
      for (;;) {
        ws();
        if (text[i] !== '"') fail("Expecting property name enclosed in double quotes");
        const key = string();
        ws();
        if (text[i] !== ":") fail("Expecting ':' delimiter");
        i++;
        const v = value();
        // Python dicts keep the first insertion position and the last value of a repeated key.
        obj.set(key, v);
        ws();
        if (text[i] === ",") { i++; continue; }
        if (text[i] === "}") { i++; return obj; }
        fail("Expecting ',' delimiter");
      }
    }
    if (c === "[") {
      i++;
      const arr: PyValue[] = [];
      ws();
      if (text[i] === "]") { i++; return arr; }
      for (;;) {
        arr.push(value());
        ws();
        if (text[i] === ",") { i++; continue; }
        if (text[i] === "]") { i++; return arr; }
        fail("Expecting ',' delimiter");
      }
    }
    if (c === '"') return string();
    for (const [lit, v] of [["true", true], ["false", false], ["null", null], ["NaN", { float: NaN }],
      ["Infinity", { float: Infinity }], ["-Infinity", { float: -Infinity }]] as const) {
      if (text.startsWith(lit, i)) { i += lit.length; return v; }
    }
    const m = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) return fail("Expecting value");
    i += m[0].length;
    return m[1] === undefined && m[2] === undefined ? { int: BigInt(m[0]) } : { float: Number(m[0]) };
  };
  const string = (): string => {
    i++; // opening quote
    let out = "";
    for (;;) {
      const c = text[i];
      if (c === undefined) fail("Unterminated string starting");
      if (c === '"') { i++; return out; }
      if (c === "\\") {
        const e = text[i + 1];
        const simple: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
        if (e !== undefined && e in simple) { out += simple[e]; i += 2; continue; }
        if (e === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
          continue;
        }
        fail("Invalid \\escape");
      }
      if (c.charCodeAt(0) < 0x20) fail("Invalid control character");
      out += c;
      i++;
    }
  };
  const v = value();
  ws();
  if (i !== text.length) fail("Extra data");
  return v;
}

/** Python's `repr(float)`: shortest round-trip digits; scientific outside 1e-4 <= |x| < 1e16. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const [mant, expText] = x.toExponential().split("e") as [string, string];
  const exp = Number(expText);
  const neg = mant.startsWith("-");
  const digits = mant.replace("-", "").replace(".", "");
  const sign = neg ? "-" : "";
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
  const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, "0");
  const frac = digits.slice(exp + 1);
  return `${sign}${intPart}.${frac || "0"}`;
}

/** Python's `str()` of a parsed JSON value. */
export function pyStr(v: PyValue): string {
  return typeof v === "string" ? v : pyRepr(v);
}

function pyRepr(v: PyValue): string {
  if (typeof v === "string") return pyStringRepr(v);
  if (v === true) return "True";
  if (v === false) return "False";
  if (v === null) return "None";
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(", ")}]`;
  if (v instanceof Map) return `{${[...v].map(([k, x]) => `${pyStringRepr(k)}: ${pyRepr(x)}`).join(", ")}}`;
  if ("int" in v) return v.int.toString();
  return pyFloatRepr(v.float);
}

function pyStringRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === "\\") out += "\\\\";
    else if (ch === quote) out += "\\" + ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (cp < 0x20 || cp === 0x7f) out += "\\x" + cp.toString(16).padStart(2, "0");
    else out += ch;
  }
  return out + quote;
}

// str.isspace() characters: Unicode White_Space plus the ASCII separators \x1c-\x1f (JS trim differs).
const PY_SPACE = "\t\n\v\f\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000";

export function pyStrip(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && PY_SPACE.includes(s[a]!)) a++;
  while (b > a && PY_SPACE.includes(s[b - 1]!)) b--;
  return s.slice(a, b);
}

/** Python 3 `\d` (any Unicode decimal digit), for use in a RegExp with the `u` flag. */
export const PY_DIGIT = "\\p{Nd}";

/** Python's float() of a string matched by `-?\d+(\.\d+)?` with Unicode digits. */
export function pyFloatOfDigits(s: string): number {
  let ascii = "";
  for (const ch of s) {
    if (ch === "-" || ch === ".") { ascii += ch; continue; }
    if (ch >= "0" && ch <= "9") { ascii += ch; continue; }
    // Unicode decimal digits come in runs of ten starting at zero: count back to the run's start.
    let cp = ch.codePointAt(0)!;
    let k = 0;
    while (/\p{Nd}/u.test(String.fromCodePoint(cp - 1))) { cp--; k++; }
    ascii += String(k % 10);
  }
  return Number(ascii);
}

/**
 * `float(eval(expr))` for arithmetic on numeric literals: + - * / // % ** unary +-, parentheses.
 * Returns undefined wherever Python would raise (names, strings, syntax Python rejects such as `07`,
 * division by zero, overflow) or where the expression is outside this subset (callers then keep the
 * text as it was, which is what ZeroEval's `except: pass` does).
 */
export function pyEvalArithmetic(expr: string): number | undefined {
  const tokens = tokenize(expr.replace(/^[ \t]+|[ \t]+$/g, ""));
  if (!tokens) return undefined;
  let pos = 0;
  const peek = () => tokens[pos];
  type Num = { v: number; isInt: boolean };
  const bad = Symbol("bad");
  const fail = (): never => { throw bad; };
  const num = (x: Num): Num => (Number.isFinite(x.v) ? x : fail());
  // Python grammar: expr := term (('+'|'-') term)*; term := factor (('*'|'/'|'//'|'%') factor)*;
  // factor := ('+'|'-') factor | power; power := atom ['**' factor]
  const expr_ = (): Num => {
    let a = term();
    while (peek() === "+" || peek() === "-") {
      const op = tokens[pos++];
      const b = term();
      a = num({ v: op === "+" ? a.v + b.v : a.v - b.v, isInt: a.isInt && b.isInt });
    }
    return a;
  };
  const term = (): Num => {
    let a = factor();
    while (peek() === "*" || peek() === "/" || peek() === "//" || peek() === "%") {
      const op = tokens[pos++];
      const b = factor();
      if (op === "*") a = num({ v: a.v * b.v, isInt: a.isInt && b.isInt });
      else if (op === "/") a = b.v === 0 ? fail() : num({ v: a.v / b.v, isInt: false });
      else if (op === "//") a = b.v === 0 ? fail() : num({ v: Math.floor(a.v / b.v), isInt: a.isInt && b.isInt });
      else a = b.v === 0 ? fail() : num({ v: a.v - b.v * Math.floor(a.v / b.v), isInt: a.isInt && b.isInt });
    }
    return a;
  };
  const factor = (): Num => {
    if (peek() === "-") { pos++; const a = factor(); return { v: -a.v, isInt: a.isInt }; }
    if (peek() === "+") { pos++; return factor(); }
    return power();
  };
  const power = (): Num => {
    const a = atom();
    if (peek() !== "**") return a;
    pos++;
    const b = factor();
    // int ** negative int is a float in Python; 0 ** negative raises; negative ** fraction is complex.
    if (a.v === 0 && b.v < 0) fail();
    if (a.v < 0 && !Number.isInteger(b.v)) fail();
    return num({ v: a.v ** b.v, isInt: a.isInt && b.isInt && b.v >= 0 });
  };
  const atom = (): Num => {
    const t = tokens[pos++];
    if (t === "(") {
      const a = expr_();
      if (tokens[pos++] !== ")") fail();
      return a;
    }
    if (t === undefined || !/^[0-9.]/.test(t)) return fail();
    const clean = t.replace(/_/g, "");
    return num({ v: Number(clean), isInt: !/[.eE]/.test(clean) });
  };
  try {
    const r = expr_();
    if (pos !== tokens.length) return undefined;
    return r.v;
  } catch (e) {
    if (e === bad) return undefined;
    throw e;
  }
}

function tokenize(s: string): string[] | undefined {
  const out: string[] = [];
  // Python numeric literals: decimal ints without leading zeros (except all-zero), underscores between
  // digits, floats with optional exponent. `07` is a SyntaxError in Python 3, so it does not tokenize.
  const numRe = /^(?:(?:\d(?:_?\d)*)?\.\d(?:_?\d)*(?:[eE][-+]?\d(?:_?\d)*)?|\d(?:_?\d)*\.?(?:[eE][-+]?\d(?:_?\d)*)?)/;
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === " " || c === "\t") { i++; continue; }
    if (s.startsWith("**", i) || s.startsWith("//", i)) { out.push(s.slice(i, i + 2)); i += 2; continue; }
    if ("+-*/%()".includes(c)) { out.push(c); i++; continue; }
    const m = numRe.exec(s.slice(i));
    if (!m) return undefined;
    const lit = m[0];
    if (/^0+[1-9_]/.test(lit.split(/[.eE]/)[0]!) && !/[.eE]/.test(lit)) return undefined;
    // A literal immediately followed by a letter/digit (e.g. `2x`, `1j`) is not plain arithmetic.
    if (/^[\p{L}\p{N}_]/u.test(s.slice(i + lit.length))) return undefined;
    out.push(lit);
    i += lit.length;
  }
  return out;
}
