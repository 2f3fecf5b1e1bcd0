// A tiny, safe evaluator for the numeric-symbolic answers of math benchmarks: numbers, + - * / ^,
// parentheses/braces, \frac/\dfrac/\tfrac, \sqrt (with optional index), \pi, \cdot/\times/\div, implicit
// multiplication of a coefficient with a root/pi/bracket ("2\sqrt{3}", "3\pi"), mixed numbers
// ("2\frac{1}{2}" = 2.5, as textbooks mean it). Anything else (letters, two bare numbers side by side,
// commas) is not a single number: the caller falls back to comparing text. Never uses eval().

type Token =
  | { t: "num"; v: number; text: string }
  | { t: "op"; v: "+" | "-" | "*" | "/" | "^" }
  | { t: "open"; v: "(" | "{" | "[" }
  | { t: "close"; v: ")" | "}" | "]" }
  | { t: "frac" }
  | { t: "sqrt" }
  | { t: "pi" };

function tokenize(src: string): Token[] | undefined {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) { i++; continue; }
    const num = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?/.exec(src.slice(i));
    if (num) { out.push({ t: "num", v: Number(num[0]), text: num[0] }); i += num[0].length; continue; }
    const cmd = /^\\([a-zA-Z]+)/.exec(src.slice(i));
    if (cmd) {
      const name = cmd[1]!;
      i += cmd[0].length;
      if (name === "frac" || name === "dfrac" || name === "tfrac") out.push({ t: "frac" });
      else if (name === "sqrt") out.push({ t: "sqrt" });
      else if (name === "pi") out.push({ t: "pi" });
      else if (name === "cdot" || name === "times") out.push({ t: "op", v: "*" });
      else if (name === "div") out.push({ t: "op", v: "/" });
      else if (name === "left" || name === "right") continue;
      else return undefined; // an unknown command: not plain arithmetic
      continue;
    }
    if (c === "\\" && (src[i + 1] === "," || src[i + 1] === "!" || src[i + 1] === " " || src[i + 1] === ";")) { i += 2; continue; }
    if ("+-*/^".includes(c)) { out.push({ t: "op", v: c as "+" }); i++; continue; }
    if (c === "−" || c === "–") { out.push({ t: "op", v: "-" }); i++; continue; }
    if (c === "×" || c === "·" || c === "⋅") { out.push({ t: "op", v: "*" }); i++; continue; }
    if (c === "÷") { out.push({ t: "op", v: "/" }); i++; continue; }
    if (c === "π") { out.push({ t: "pi" }); i++; continue; }
    if (c === "√") { out.push({ t: "sqrt" }); i++; continue; }
    if ("({[".includes(c)) { out.push({ t: "open", v: c as "(" }); i++; continue; }
    if (")}]".includes(c)) { out.push({ t: "close", v: c as ")" }); i++; continue; }
    return undefined;
  }
  return out;
}

const CLOSER = { "(": ")", "{": "}", "[": "]" } as const;

/** Numeric value of a simple math expression, or undefined when it is not one. */
export function evaluateMath(src: string): number | undefined {
  const tokens = tokenize(src);
  if (!tokens || tokens.length === 0) return undefined;
  let pos = 0;
  const bad = Symbol("bad");
  const fail = (): never => { throw bad; };
  const peek = () => tokens[pos];

  const expr = (): number => {
    let a = term();
    for (let t = peek(); t?.t === "op" && (t.v === "+" || t.v === "-"); t = peek()) {
      pos++;
      const b = term();
      a = t.v === "+" ? a + b : a - b;
    }
    return a;
  };
  const startsPrimary = (t: Token | undefined) =>
    t !== undefined && (t.t === "open" || t.t === "frac" || t.t === "sqrt" || t.t === "pi");
  const term = (): number => {
    let a = unary();
    for (;;) {
      const t = peek();
      if (t?.t === "op" && (t.v === "*" || t.v === "/")) {
        pos++;
        const b = unary();
        a = t.v === "*" ? a * b : b === 0 ? fail() : a / b;
      } else if (startsPrimary(t)) {
        // Implicit product: "2\sqrt{3}", "3\pi", "(1+2)(3)". Two bare numbers never multiply ("1 000").
        a *= power();
      } else return a;
    }
  };
  const unary = (): number => {
    const t = peek();
    if (t?.t === "op" && t.v === "-") { pos++; return -unary(); }
    if (t?.t === "op" && t.v === "+") { pos++; return unary(); }
    return power();
  };
  const power = (): number => {
    const base = primary();
    const t = peek();
    if (t?.t === "op" && t.v === "^") { pos++; return base ** unary(); }
    return base;
  };
  // A \frac or \sqrt argument: a braced group, or a single digit/token as TeX reads "\frac12".
  const arg = (): number => {
    const t = peek();
    if (t?.t === "open" && t.v === "{") return primary();
    if (t?.t === "num") {
      pos++;
      if (t.text.length > 1 && /^\d+$/.test(t.text)) {
        // "\frac12": TeX takes one digit; push the rest back as the next token.
        tokens.splice(pos, 0, { t: "num", v: Number(t.text.slice(1)), text: t.text.slice(1) });
        return Number(t.text[0]);
      }
      return t.v;
    }
    if (t?.t === "pi") { pos++; return Math.PI; }
    return fail();
  };
  const primary = (): number => {
    const t = tokens[pos++];
    if (!t) return fail();
    if (t.t === "num") {
      // Mixed number: "2\frac{1}{2}" means 2 + 1/2 when both parts are plain numbers.
      if (peek()?.t === "frac" && Number.isInteger(t.v)) {
        const save = pos;
        pos++;
        const n = arg();
        const d = arg();
        if (Number.isInteger(n) && Number.isInteger(d) && d !== 0 && n >= 0 && n < d) return t.v + n / d;
        pos = save;
      }
      return t.v;
    }
    if (t.t === "pi") return Math.PI;
    if (t.t === "frac") {
      const n = arg();
      const d = arg();
      return d === 0 ? fail() : n / d;
    }
    if (t.t === "sqrt") {
      let index = 2;
      if (peek()?.t === "open" && (peek() as { v: string }).v === "[") {
        pos++;
        index = expr();
        if (tokens[pos++]?.t !== "close") fail();
      }
      const x = peek()?.t === "open" ? primary() : arg();
      if (x < 0 && index === 2) fail();
      return index === 2 ? Math.sqrt(x) : Math.sign(x) * Math.abs(x) ** (1 / index);
    }
    if (t.t === "open") {
      const v = expr();
      const c = tokens[pos++];
      if (c?.t !== "close" || c.v !== CLOSER[t.v]) fail();
      return v;
    }
    return fail();
  };
  try {
    const v = expr();
    if (pos !== tokens.length || !Number.isFinite(v)) return undefined;
    return v;
  } catch (e) {
    if (e === bad) return undefined;
    throw e;
  }
}
