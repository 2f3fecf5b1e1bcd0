// cofail.lock: the deterministic provenance of the workspace, one entry per stage (and partition).
// YAML, sorted keys, no timestamps, no commit and no pointers to other runs: every field is a function of the
// code, params, seeds and data, so a cold build of a commit writes exactly the lock committed with it, and
// `git diff cofail.lock` shows exactly what changed.
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { z } from "zod";
import { canonicalJson, hashCanonical, sha256 } from "./canonical-json.js";

export interface OutputRecord { file: string; sha256: string; bytes: number }

export interface LockInput {
  ref: string;
  /** Logical file name (manifest path, local path, or <stage>[/<partition>]/<file>). */
  name: string;
  sha256: string;
  url?: string;
}

/**
 * Everything a task's result depends on, exactly as cofail.lock records it. The cache key is computed from this
 * record and nothing else (`cacheKeyOf`), so the lock entry is the key's complete explanation (as in DVC, whose
 * run-cache key is derived from the lock entry).
 */
export interface TaskIngredients {
  type: string;
  partition?: string;
  seed: number;
  /** project-relative code file -> sha256 */
  code: Record<string, string>;
  /** npm package -> version */
  packages: Record<string, string>;
  /** params as written in pipeline.yaml */
  params: Record<string, unknown>;
  inputs: Record<string, LockInput[]>;
}

export interface LockEntry extends TaskIngredients {
  key: string;
  outputs: Record<string, OutputRecord>;
  warnings: string[];
}

/**
 * Bump when the key recipe or the cache layout changes: every key changes with it. 2: code hashes are of the
 * syntax tree (engine/code-normalize.ts), no upstream pointers, no git commit.
 */
export const ENGINE_FORMAT_VERSION = 2;

/**
 * The cache key of a task: sha256 of the canonical JSON of its ingredients as the lock records them. Which cached
 * run produced an input is not an ingredient (the input's content hash is), and neither is the git commit: a stage
 * that stamps the commit into its outputs gets a placeholder, replaced in build/ only (engine/stamp.ts).
 */
export function cacheKeyOf(ingredients: TaskIngredients): string {
  const inputs = Object.fromEntries(Object.entries(ingredients.inputs).map(([name, items]) =>
    [name, items.map((it) => ({ ref: it.ref, name: it.name, sha256: it.sha256, ...(it.url !== undefined ? { url: it.url } : {}) }))]));
  return hashCanonical({
    engine: ENGINE_FORMAT_VERSION, type: ingredients.type, partition: ingredients.partition ?? null, seed: ingredients.seed,
    code: ingredients.code, packages: ingredients.packages, params: ingredients.params, inputs,
  });
}

/** The ingredients part of a lock entry (what cacheKeyOf reads). */
export function ingredientsOf(entry: LockEntry): TaskIngredients {
  const { key: _k, outputs: _o, warnings: _w, ...ingredients } = entry;
  return ingredients;
}

export interface StageLock {
  type: string;
  /** Set for foreach stages: partition -> entry. */
  partitions?: Record<string, LockEntry>;
  entry?: LockEntry;
}

export interface LockFile { version: 1; stages: Record<string, StageLock> }

// Parsing a big YAML lock costs more than the rest of a no-op run, so a JSON copy keyed by the YAML's
// sha256 sits next to the run-cache; an edited or foreign cofail.lock simply misses it.
function parsedCopyPath(path: string): string {
  return join(dirname(path), ".cofail", "lock.parsed.json");
}

/** cofail.lock cannot be used as it is: the file, line and column, and what is wrong there. */
export class LockFileError extends Error {
  constructor(readonly file: string, readonly line: number, readonly col: number, readonly detail: string) {
    super(`${file}:${line}:${col}: ${detail}`);
    this.name = "LockFileError";
  }
}

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/, "a sha256 (64 hex digits)");
const LockEntryShape = z.looseObject({
  key: Hex64,
  type: z.string(),
  outputs: z.record(z.string(), z.looseObject({ file: z.string(), sha256: Hex64 })),
  inputs: z.record(z.string(), z.array(z.looseObject({ ref: z.string(), name: z.string(), sha256: z.string(), upstreamKey: Hex64.optional() }))),
});
const LockShape = z.looseObject({
  version: z.literal(1),
  stages: z.record(z.string(), z.looseObject({
    type: z.string(),
    entry: LockEntryShape.optional(),
    partitions: z.record(z.string(), LockEntryShape).optional(),
  })),
});

/**
 * Parses the text of cofail.lock, refusing anything doubtful: git conflict markers, YAML errors, a shape that is not a
 * lock. Every error names the line and column.
 */
export async function parseLockText(text: string, file: string): Promise<LockFile> {
  const lines = text.split("\n");
  const marker = lines.findIndex((l) => /^(<{7}|={7}|>{7})( |$)/.test(l));
  if (marker >= 0) {
    throw new LockFileError(file, marker + 1, 1, `unresolved git merge conflict (marker "${lines[marker]!.slice(0, 40)}"); ` +
      `resolve it first, e.g. take one side with \`git checkout --ours cofail.lock\` (or --theirs), then \`cofail run\` rewrites the lock`);
  }
  const { LineCounter, parseDocument } = await import("yaml");
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    const lp = e.linePos?.[0] ?? lc.linePos(e.pos[0]);
    throw new LockFileError(file, lp.line, lp.col, `not valid YAML: ${e.message.split("\n")[0]}`);
  }
  let data: unknown;
  try { data = doc.toJS({ maxAliasCount: 100 }); } catch (e) { throw new LockFileError(file, 1, 1, `cannot be read: ${(e as Error).message.split("\n")[0]}`); }
  const shape = LockShape.safeParse(data);
  if (!shape.success) {
    const i = shape.error.issues[0]!;
    const node = doc.getIn(i.path as (string | number)[], true) as { range?: [number, number, number] } | undefined;
    const lp = node?.range ? lc.linePos(node.range[0]) : { line: 1, col: 1 };
    throw new LockFileError(file, lp.line, lp.col, `${i.path.join(".") || "(root)"}: ${i.message} (expected a lock written by \`cofail run\`)`);
  }
  return data as LockFile;
}

/** cofail.lock, strictly: an empty lock when there is none, else the parsed lock or a LockFileError. */
export async function readLockFileStrict(path: string): Promise<LockFile> {
  let text: string;
  try { text = await readFile(path, "utf8"); } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return { version: 1, stages: {} };
    throw new LockFileError(shownPath(path), 1, 1, `cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseLockText(text, shownPath(path));
}

function shownPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith("..") ? rel : path;
}

/**
 * cofail.lock for planning: a lock that cannot be parsed is reported through `onProblem` and read as empty (the
 * run-cache still restores every task; the run then writes a fresh lock and keeps the unreadable one in the quarantine).
 */
export async function readLockFile(path: string, onProblem?: (e: LockFileError) => void): Promise<LockFile> {
  let text: string;
  try { text = await readFile(path, "utf8"); } catch { return { version: 1, stages: {} }; }
  const hash = sha256(text);
  try {
    const copy = JSON.parse(await readFile(parsedCopyPath(path), "utf8")) as { sha256: string; lock: LockFile };
    if (copy.sha256 === hash && copy.lock && typeof copy.lock.stages === "object") return copy.lock;
  } catch { /* no parsed copy yet */ }
  try {
    const data = await parseLockText(text, shownPath(path));
    await writeParsedCopy(path, hash, data);
    return data;
  } catch (e) {
    if (e instanceof LockFileError) onProblem?.(e);
    else onProblem?.(new LockFileError(shownPath(path), 1, 1, (e as Error).message));
  }
  return { version: 1, stages: {} };
}

/** Writes cofail.lock (sorted keys) unless its content would not change. */
export async function writeLockFile(path: string, lock: LockFile): Promise<void> {
  const sorted = JSON.parse(canonicalJson(lock)) as LockFile;
  const previous = await readLockFile(path);
  if (canonicalJson(previous) === canonicalJson(sorted)) return;
  const { stringify } = await import("yaml");
  const text = "# cofail.lock: generated by `cofail run`; do not edit. Deterministic: diff it.\n" +
    stringify(sorted, { lineWidth: 0, sortMapEntries: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, path);
  await writeParsedCopy(path, sha256(text), sorted);
}

async function writeParsedCopy(path: string, hash: string, lock: LockFile): Promise<void> {
  const copy = parsedCopyPath(path);
  await mkdir(dirname(copy), { recursive: true });
  const tmp = `${copy}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify({ sha256: hash, lock }));
  await rename(tmp, copy);
}

/** The lock entry of one task, if any. */
export function lockEntryOf(lock: LockFile, stage: string, partition: string | undefined): LockEntry | undefined {
  const s = lock.stages[stage];
  if (!s) return undefined;
  return partition === undefined ? s.entry : s.partitions?.[partition];
}

export function lockEntries(lock: LockFile): { stage: string; partition?: string; entry: LockEntry }[] {
  return Object.entries(lock.stages).sort(([a], [b]) => (a < b ? -1 : 1)).flatMap(([stage, s]) =>
    s.entry ? [{ stage, entry: s.entry }]
      : Object.entries(s.partitions ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)).map(([partition, entry]) => ({ stage, partition, entry })));
}

/**
 * The lock entry of the run that wrote an input a task read from another stage (`<stage>.<output>`, file
 * `<stage>[/<partition>]/<file>`), or undefined for a dataset input. `matches` says whether that run's output is the
 * very content the task read: when it is not, the lock moved on since (the reading task is stale).
 */
export function upstreamOf(lock: LockFile, input: LockInput): { stage: string; partition?: string; entry?: LockEntry; matches: boolean } | undefined {
  if (input.ref.startsWith("dataset:")) return undefined;
  const dot = input.ref.lastIndexOf(".");
  if (dot <= 0) return undefined;
  const stage = input.ref.slice(0, dot), output = input.ref.slice(dot + 1);
  const s = lock.stages[stage];
  const rest = input.name.startsWith(`${stage}/`) ? input.name.slice(stage.length + 1).split("/") : [];
  const partition = s?.partitions && rest.length > 1 ? rest[0] : undefined;
  const entry = s ? lockEntryOf(lock, stage, partition) : undefined;
  return { stage, ...(partition !== undefined ? { partition } : {}), entry, matches: entry?.outputs[output]?.sha256 === input.sha256 };
}
