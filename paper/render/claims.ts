// Guarded claims: `{{claim: <expression over ids>}}` in the paper asserts something about registry values
// ("math-l5.ratio.full > 1.5"). The expression language is small, safe (parsed here, never eval'd) and
// documented in ARCHITECTURE.md ("Guarded claims"):
//   numbers 0.7 1e-3 · ids math-l5.beta · arithmetic + - * / (unary -) · comparisons < <= > >= == != (chainable:
//   0.7 <= x < 1) · and / or / not · parentheses · functions abs(e) lower(id) upper(id) (ends of the id's ci) ·
//   aggregates over a glob min(p) max(p) mean(p) count(p) · quantifiers all(e) any(e), where e contains globs.
// A glob is an id with `*` wildcards (engine/glob.ts's dialect; here `*` matches one or more characters, dots
// included). Inside all()/any()
// the first glob of e enumerates the registry; its wildcard captures are substituted, in order, into every
// other glob of e, so `all(*.beta <= *.beta.cp95.upper)` compares each pool with itself.
// A claim that cannot be evaluated (unknown id, glob matching nothing, syntax error) is "unchecked", never
// "true": a claim that was not checked must never look as if it passed.
import { globCaptureRegExp } from "../../engine/glob.js";
import type { ResultRecord } from "../../engine/types.js";

export type ClaimStatus = "true" | "false" | "unchecked";

export interface ClaimResult {
  status: ClaimStatus;
  /** Why: the values it compared, the failing part, or why it could not be evaluated. */
  message: string;
  /** Result ids the expression refers to (for provenance links and the paper diff). */
  ids: string[];
}

export interface ClaimContext {
  lookup(id: string): ResultRecord | undefined;
  /** Every id in the registry; needed for globs (min(p), all(...)). Without it a glob claim is unchecked. */
  ids?(): Iterable<string>;
}

// ---- syntax -------------------------------------------------------------------------------------------

type Cmp = "<" | "<=" | ">" | ">=" | "==" | "!=";

export type ClaimNode =
  | { kind: "num"; value: number; text: string }
  | { kind: "ref"; pattern: string }
  | { kind: "neg"; arg: ClaimNode }
  | { kind: "arith"; op: "+" | "-" | "*" | "/"; left: ClaimNode; right: ClaimNode }
  | { kind: "cmp"; ops: Cmp[]; args: ClaimNode[] }
  | { kind: "logic"; op: "and" | "or"; left: ClaimNode; right: ClaimNode }
  | { kind: "not"; arg: ClaimNode }
  | { kind: "call"; fn: string; args: ClaimNode[] };

type Token = { t: "num"; v: number; text: string; at: number } | { t: "ref"; v: string; at: number }
  | { t: "word"; v: string; at: number } | { t: "op"; v: string; at: number };

const NUMBER = /^(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?/i;
const REF = /^[a-z0-9*][a-z0-9_*-]*(?:\.[a-z0-9_*-]+)+/;
const WORD = /^[a-z_][a-z0-9_]*/;
const OPS = ["<=", ">=", "==", "!=", "&&", "||", "<", ">", "+", "-", "*", "/", "(", ")", ",", "!"];
const WORD_OPS: Record<string, string> = { "&&": "and", "||": "or", "!": "not" };
const FUNCTIONS: Record<string, "value" | "glob" | "ref" | "bool"> = {
  abs: "value", lower: "ref", upper: "ref", min: "glob", max: "glob", mean: "glob", count: "glob", all: "bool", any: "bool",
};

export class ClaimSyntaxError extends Error {}

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    if (/\s/.test(src[i]!)) { i++; continue; }
    const rest = src.slice(i);
    // An id needs a dot and a letter or wildcard ("0.7", "1.5e-3" are numbers). Ids may contain "-" and "*": write
    // binary minus and multiplication with spaces around them.
    const ref = REF.exec(rest);
    const num = NUMBER.exec(rest);
    if (ref && /[a-z_*]/.test(ref[0]) && !(num && num[0].length >= ref[0].length)) {
      out.push({ t: "ref", v: ref[0], at: i }); i += ref[0].length; continue;
    }
    if (num) {
      if (/^[a-z_]/i.test(rest.slice(num[0].length))) throw new ClaimSyntaxError(`at ${i + 1}: "${rest.slice(0, num[0].length + 1)}…" is neither a number nor an id`);
      out.push({ t: "num", v: Number(num[0]), text: num[0], at: i }); i += num[0].length; continue;
    }
    const word = WORD.exec(rest);
    if (word) { out.push({ t: "word", v: word[0], at: i }); i += word[0].length; continue; }
    const op = OPS.find((o) => rest.startsWith(o));
    if (!op) throw new ClaimSyntaxError(`at ${i + 1}: unexpected "${rest[0]}"`);
    out.push(WORD_OPS[op] ? { t: "word", v: WORD_OPS[op]!, at: i } : { t: "op", v: op, at: i });
    i += op.length;
  }
  return out;
}

/** Parses a claim expression into a tree; throws ClaimSyntaxError with the position of the problem. */
export function parseClaim(src: string): ClaimNode {
  const toks = tokenize(src);
  let p = 0;
  const peek = () => toks[p];
  const where = () => (peek() ? `at ${peek()!.at + 1} ("${src.slice(peek()!.at, peek()!.at + 12)}")` : "at the end");
  const isOp = (v: string) => peek()?.t === "op" && peek()!.v === v;
  const isWord = (v: string) => peek()?.t === "word" && peek()!.v === v;
  const expect = (v: string) => {
    if (!isOp(v)) throw new ClaimSyntaxError(`expected "${v}" ${where()}`);
    p++;
  };
  const or = (): ClaimNode => {
    let left = and();
    while (isWord("or")) { p++; left = { kind: "logic", op: "or", left, right: and() }; }
    return left;
  };
  const and = (): ClaimNode => {
    let left = not();
    while (isWord("and")) { p++; left = { kind: "logic", op: "and", left, right: not() }; }
    return left;
  };
  const not = (): ClaimNode => {
    if (isWord("not")) { p++; return { kind: "not", arg: not() }; }
    return cmp();
  };
  const cmp = (): ClaimNode => {
    const args = [sum()];
    const ops: Cmp[] = [];
    while (peek()?.t === "op" && ["<", "<=", ">", ">=", "==", "!="].includes(peek()!.v as string)) {
      ops.push(peek()!.v as Cmp); p++;
      args.push(sum());
    }
    return ops.length ? { kind: "cmp", ops, args } : args[0]!;
  };
  const sum = (): ClaimNode => {
    let left = term();
    while (isOp("+") || isOp("-")) { const op = peek()!.v as "+" | "-"; p++; left = { kind: "arith", op, left, right: term() }; }
    return left;
  };
  const term = (): ClaimNode => {
    let left = unary();
    while (isOp("*") || isOp("/")) { const op = peek()!.v as "*" | "/"; p++; left = { kind: "arith", op, left, right: unary() }; }
    return left;
  };
  const unary = (): ClaimNode => {
    if (isOp("-")) { p++; return { kind: "neg", arg: unary() }; }
    return primary();
  };
  const primary = (): ClaimNode => {
    const tok = peek();
    if (!tok) throw new ClaimSyntaxError("unexpected end of the expression");
    if (tok.t === "num") { p++; return { kind: "num", value: tok.v, text: tok.text }; }
    if (tok.t === "ref") { p++; return { kind: "ref", pattern: tok.v }; }
    if (isOp("(")) { p++; const e = or(); expect(")"); return e; }
    if (tok.t === "word") {
      const kind = Object.hasOwn(FUNCTIONS, tok.v) ? FUNCTIONS[tok.v] : undefined;
      if (!kind) throw new ClaimSyntaxError(`unknown name "${tok.v}" ${where()}; functions: ${Object.keys(FUNCTIONS).join(", ")}; ids are dot-separated (pool.quantity)`);
      p++;
      expect("(");
      const arg = or();
      expect(")");
      if ((kind === "glob" || kind === "ref") && arg.kind !== "ref") throw new ClaimSyntaxError(`${tok.v}() takes an id${kind === "glob" ? " pattern" : ""}, e.g. ${tok.v}(gpqa-fr.kappa.*)`);
      return { kind: "call", fn: tok.v, args: [arg] };
    }
    throw new ClaimSyntaxError(`unexpected "${tok.t === "op" ? tok.v : ""}" ${where()}`);
  };
  if (!toks.length) throw new ClaimSyntaxError("empty expression");
  const tree = or();
  if (p < toks.length) throw new ClaimSyntaxError(`unexpected ${where()}`);
  return tree;
}

// ---- evaluation ---------------------------------------------------------------------------------------

class Unchecked extends Error {}

type Value = { type: "num"; v: number; text: string } | { type: "bool"; v: boolean; text: string };

interface Env {
  ctx: ClaimContext;
  used: Set<string>;
  /** Wildcard captures bound by the innermost all()/any(). */
  bind?: string[];
}

function matchGlob(env: Env, pattern: string): { id: string; captures: string[] }[] {
  if (!env.ctx.ids) throw new Unchecked(`pattern ${pattern} needs the list of registry ids`);
  // cofail's one glob dialect (engine/glob.ts); here every `*` must match at least one character.
  const re = globCaptureRegExp(pattern);
  const out: { id: string; captures: string[] }[] = [];
  for (const id of env.ctx.ids()) {
    const m = re.exec(id);
    if (m && m.slice(1).every((c) => c !== undefined && c.length > 0)) out.push({ id, captures: m.slice(1) });
  }
  if (!out.length) throw new Unchecked(`pattern ${pattern} matches no result id`);
  return out.sort((a, b) => (a.id < b.id ? -1 : 1));
}

function substitute(pattern: string, bind: string[] | undefined): string {
  if (!pattern.includes("*")) return pattern;
  const stars = pattern.split("*").length - 1;
  if (!bind || bind.length < stars) throw new Unchecked(`pattern ${pattern} is only allowed inside all(), any(), min(), max(), mean() or count()`);
  let i = 0;
  return pattern.replace(/\*/g, () => bind[i++]!);
}

function record(env: Env, id: string): ResultRecord {
  const r = env.ctx.lookup(id);
  if (!r) throw new Unchecked(`unknown result id ${id}`);
  env.used.add(id);
  return r;
}

const paren = (t: string) => (t.includes(" ") ? `(${t})` : t);
const fmt = (x: number) => (Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(6))));

function num(env: Env, node: ClaimNode): { v: number; text: string } {
  const r = evalNode(env, node);
  if (r.type !== "num") throw new Unchecked(`expected a number, got a truth value: ${r.text}`);
  return r;
}

function bool(env: Env, node: ClaimNode): { v: boolean; text: string } {
  const r = evalNode(env, node);
  if (r.type !== "bool") throw new Unchecked(`expected a comparison, got a number: ${r.text}`);
  return r;
}

function firstGlob(node: ClaimNode): string | undefined {
  switch (node.kind) {
    case "ref": return node.pattern.includes("*") ? node.pattern : undefined;
    case "num": return undefined;
    case "neg": case "not": return firstGlob(node.arg);
    case "arith": case "logic": return firstGlob(node.left) ?? firstGlob(node.right);
    case "cmp": for (const a of node.args) { const g = firstGlob(a); if (g) return g; } return undefined;
    // Aggregates own their glob; a quantifier nested inside another binds its own.
    case "call": return node.fn === "abs" || node.fn === "lower" || node.fn === "upper" ? firstGlob(node.args[0]!) : undefined;
  }
}

function evalNode(env: Env, node: ClaimNode): Value {
  switch (node.kind) {
    case "num": return { type: "num", v: node.value, text: node.text };
    case "ref": {
      const id = substitute(node.pattern, env.bind);
      const r = record(env, id);
      return { type: "num", v: r.value, text: `${id} = ${fmt(r.value)}` };
    }
    case "neg": { const a = num(env, node.arg); return { type: "num", v: -a.v, text: `-(${a.text})` }; }
    case "arith": {
      const a = num(env, node.left), b = num(env, node.right);
      const v = node.op === "+" ? a.v + b.v : node.op === "-" ? a.v - b.v : node.op === "*" ? a.v * b.v : a.v / b.v;
      if (!Number.isFinite(v)) throw new Unchecked(`${a.text} ${node.op} ${b.text} is not finite`);
      return { type: "num", v, text: `${paren(a.text)} ${node.op} ${paren(b.text)} = ${fmt(v)}` };
    }
    case "cmp": {
      const vals = node.args.map((a) => num(env, a));
      let ok = true;
      for (let i = 0; i < node.ops.length; i++) if (!compare(vals[i]!.v, node.ops[i]!, vals[i + 1]!.v)) ok = false;
      const text = vals.map((v, i) => (i === 0 ? v.text : ` ${node.ops[i - 1]} ${v.text}`)).join("");
      return { type: "bool", v: ok, text: `${text} is ${ok}` };
    }
    case "logic": {
      const a = bool(env, node.left);
      // Both sides are evaluated so every referenced id is checked to exist (no short-circuit on a typo).
      const b = bool(env, node.right);
      const v = node.op === "and" ? a.v && b.v : a.v || b.v;
      const parts = node.op === "and" ? [a, b].filter((x) => x.v === v) : [a, b].filter((x) => x.v === v);
      return { type: "bool", v, text: parts.length ? parts.map((x) => x.text).join(` ${node.op} `) : `${a.text} ${node.op} ${b.text}` };
    }
    case "not": { const a = bool(env, node.arg); return { type: "bool", v: !a.v, text: `not (${a.text})` }; }
    case "call": return evalCall(env, node.fn, node.args[0]!);
  }
}

function compare(a: number, op: Cmp, b: number): boolean {
  switch (op) {
    case "<": return a < b;
    case "<=": return a <= b;
    case ">": return a > b;
    case ">=": return a >= b;
    case "==": return a === b;
    case "!=": return a !== b;
  }
}

function evalCall(env: Env, fn: string, arg: ClaimNode): Value {
  if (fn === "abs") { const a = num(env, arg); return { type: "num", v: Math.abs(a.v), text: `|${a.text}|` }; }
  if (fn === "lower" || fn === "upper") {
    const id = substitute((arg as { pattern: string }).pattern, env.bind);
    const r = record(env, id);
    if (!r.ci) throw new Unchecked(`${id} has no interval, so ${fn}(${id}) is undefined`);
    const v = r.ci[fn];
    return { type: "num", v, text: `${fn}(${id}) = ${fmt(v)}` };
  }
  if (fn === "all" || fn === "any") {
    const glob = firstGlob(arg);
    if (!glob) throw new Unchecked(`${fn}() needs an id pattern with * inside, e.g. ${fn}(*.ratio.sf > 1)`);
    const results = matchGlob(env, glob).map((m) => ({ m, r: bool({ ...env, bind: m.captures }, arg) }));
    const failing = results.filter((x) => !x.r.v);
    const v = fn === "all" ? failing.length === 0 : failing.length < results.length;
    const shown = fn === "all" ? (v ? results : failing) : (v ? results.filter((x) => x.r.v) : results);
    const list = shown.slice(0, 6).map((x) => x.r.text).join("; ") + (shown.length > 6 ? `; … (${shown.length} in all)` : "");
    const head = fn === "all" ? (v ? `true for all ${results.length} of ${glob}` : `false for ${failing.length} of ${results.length} of ${glob}`)
      : (v ? `true for ${results.length - failing.length} of ${results.length} of ${glob}` : `false for all ${results.length} of ${glob}`);
    return { type: "bool", v, text: `${fn}(): ${head}: ${list}` };
  }
  // Aggregates range over their whole glob, also inside a quantifier (they bind no captures).
  const pattern = (arg as { pattern: string }).pattern;
  const matches = matchGlob(env, pattern);
  const vals = matches.map((m) => record(env, m.id).value);
  const v = fn === "min" ? Math.min(...vals) : fn === "max" ? Math.max(...vals) : fn === "count" ? vals.length : vals.reduce((a, b) => a + b, 0) / vals.length;
  const at = fn === "min" || fn === "max" ? ` at ${matches[vals.indexOf(v)]!.id}` : "";
  return { type: "num", v, text: `${fn}(${pattern}) = ${fmt(v)}${at} over ${vals.length} id${vals.length === 1 ? "" : "s"}` };
}

/** Every id or pattern written in the expression (best effort for malformed claims). */
function writtenIds(expression: string): string[] {
  return [...new Set(expression.match(/[a-z0-9_*-]+(?:\.[a-z0-9_*-]+)+/g) ?? [])].filter((id) => /[a-z_*]/.test(id));
}

/** Evaluate one claim expression against the registry. Never throws: a malformed claim is "unchecked". */
export function evaluateClaim(expression: string, context: ClaimContext): ClaimResult {
  let tree: ClaimNode;
  try { tree = parseClaim(expression); } catch (e) {
    return { status: "unchecked", message: `syntax: ${(e as Error).message}`, ids: writtenIds(expression) };
  }
  const env: Env = { ctx: context, used: new Set() };
  try {
    const r = evalNode(env, tree);
    if (r.type !== "bool") return { status: "unchecked", message: `a claim must be a comparison, got a number: ${r.text}`, ids: [...env.used].sort() };
    return { status: r.v ? "true" : "false", message: r.text, ids: [...env.used].sort() };
  } catch (e) {
    if (e instanceof Unchecked) return { status: "unchecked", message: e.message, ids: [...new Set([...env.used, ...writtenIds(expression)])].sort() };
    throw e;
  }
}
