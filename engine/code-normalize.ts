// The code hash of a module is the hash of its syntax tree, not of its bytes: comments, whitespace, line breaks,
// quote style, trailing commas, optional semicolons and redundant parentheses are formatting and change nothing;
// any edit to what the code says (an operator, an identifier, a literal, a type annotation) changes the hash.
// The tree comes from @babel/parser with its TypeScript plugin, so type-level edits count too: the hash errs on
// the side of rerunning. Non-module files (a rule written in Markdown, JSON) are hashed as bytes by the caller.
//
// Parsing costs a few ms per file, so results are memoised by the file's byte hash in .cofail/code-hash.json:
// a file is parsed once per content, and a no-op run parses nothing.
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { sha256 } from "./canonical-json.js";

type Parse = typeof import("@babel/parser").parse;

/** Node fields that are positions, comments or the source spelling of a value (raw text, parentheses, trailing commas). */
const FORMATTING = new Set(["start", "end", "loc", "range", "extra", "comments", "leadingComments", "trailingComments", "innerComments", "tokens", "errors"]);

const BABEL_VERSION: string = (createRequire(import.meta.url)("@babel/parser/package.json") as { version: string }).version;

/** Changes whenever the recipe below (or the parser, whose trees it hashes) changes: memoised hashes keyed by it. */
export const NORMALIZE_RECIPE = `babel-ast/1/${BABEL_VERSION}`;

let parser: Parse | undefined;

async function loadParser(): Promise<Parse> {
  parser ??= (await import("@babel/parser")).parse;
  return parser;
}

/** Files whose code hash is of their syntax tree (everything else is hashed as bytes). */
export const isModuleFile = (file: string): boolean => /\.[cm]?[jt]s$/.test(file);

const isTypeScript = (file: string) => /\.[cm]?ts$/.test(file);

function pluginsFor(file: string): NonNullable<Parameters<Parse>[1]>["plugins"] {
  return isTypeScript(file) ? [["typescript", { dts: /\.d\.[cm]?ts$/.test(file) }]] : [];
}

/**
 * sha256 of the canonical form of a module's syntax tree. A file that does not parse is an error naming it and the
 * position: its stage could not run either.
 */
export async function normalizedHash(source: string, file: string): Promise<string> {
  const parse = await loadParser();
  let ast;
  try {
    ast = parse(source, { sourceType: "module", plugins: pluginsFor(file), attachComment: false, errorRecovery: false, allowAwaitOutsideFunction: true });
  } catch (e) {
    const loc = (e as { loc?: { line: number; column: number } }).loc;
    throw new Error(`cannot parse ${file}${loc ? `:${loc.line}:${loc.column + 1}` : ""}: ${(e as Error).message.replace(/ \(\d+:\d+\)$/, "")}`);
  }
  return sha256(canonicalTree(ast.program));
}

/** The tree as JSON with sorted keys and without the formatting fields; values keep their parsed meaning. */
function canonicalTree(node: unknown): string {
  const out: string[] = [];
  const walk = (x: unknown): void => {
    if (x === null || typeof x !== "object") {
      out.push(typeof x === "bigint" ? `"${x}n"` : JSON.stringify(x === undefined ? null : x) ?? "null");
      return;
    }
    if (Array.isArray(x)) {
      out.push("[");
      x.forEach((v, i) => { if (i) out.push(","); walk(v); });
      out.push("]");
      return;
    }
    const o = x as Record<string, unknown>;
    const keys = Object.keys(o).filter((k) => !FORMATTING.has(k) && o[k] !== undefined).sort();
    out.push("{");
    keys.forEach((k, i) => { if (i) out.push(","); out.push(JSON.stringify(k), ":"); walk(o[k]); });
    out.push("}");
  };
  walk(node);
  return out.join("");
}

/** Memoised normalizedHash by byte hash, persisted between runs. */
export interface NormalizedHashes {
  hash(file: string, absPath: string, byteHash: string): Promise<string>;
  save(): Promise<void>;
}

/** At most this many remembered files: enough for several checkouts' worth of edits, small enough to read fast. */
const MEMO_LIMIT = 4000;

export async function openNormalizedHashes(cacheFile: string): Promise<NormalizedHashes> {
  let memo: Record<string, string> = {};
  try {
    const saved = JSON.parse(await readFile(cacheFile, "utf8")) as { recipe: string; hashes: Record<string, string> };
    if (saved.recipe === NORMALIZE_RECIPE) memo = saved.hashes;
  } catch { /* none yet */ }
  let dirty = false;
  return {
    async hash(file, absPath, byteHash) {
      // The same bytes parse differently as TypeScript and as JavaScript.
      const key = `${byteHash}:${isTypeScript(file) ? "ts" : "js"}`;
      const hit = memo[key];
      if (hit) return hit;
      const h = await normalizedHash(await readFile(absPath, "utf8"), file);
      memo[key] = h;
      dirty = true;
      return h;
    },
    async save() {
      if (!dirty) return;
      const entries = Object.entries(memo);
      const kept = Object.fromEntries(entries.slice(Math.max(0, entries.length - MEMO_LIMIT)));
      try {
        await mkdir(dirname(cacheFile), { recursive: true });
        const tmp = `${cacheFile}.${process.pid}.tmp`;
        await writeFile(tmp, JSON.stringify({ recipe: NORMALIZE_RECIPE, hashes: kept }));
        await rename(tmp, cacheFile);
      } catch { /* a read-only project works, it just parses again next time */ }
      dirty = false;
    },
  };
}
