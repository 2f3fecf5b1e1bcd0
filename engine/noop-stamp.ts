/**
 * The no-op stamp: what a `cofail run` that found (or left) everything up to date can prove with `stat` alone the
 * next time. After a successful run, `.cofail/noop.json` records the command (project, spec file, catalog, the
 * environment variables the engine reads) and the stat signature (size, mtime and ctime in ns, inode) of every file
 * the plan was computed from or checks:
 *   - inputs: every git-tracked file (the paper stage's key holds the commit and the dirty flag), git's HEAD, index
 *     and refs, the spec file, the stage catalog module, package-lock.json (npm versions), the data manifest, local
 *     dataset files and every code file of every stage (cofail.lock's code lists);
 *   - state: cofail.lock, build/registry.json, every workspace output of the lock, its run-cache copy and every run-cache record the
 *     lock points at.
 * The input signatures are taken before the run opens its session and compared again at its end, so a file edited
 * while the run was reading it never makes it into a stamp. `checkNoopStamp` (sync, node:fs only: it runs before
 * the rest of the CLI is even loaded) returns the run's message when every signature still matches and null
 * otherwise, and the CLI then runs normally — which rewrites or drops the stamp. A stamp is a cache of the
 * decision "nothing to do", never an ingredient: deleting it only costs one ordinary no-op run.
 */
import { execFile } from "node:child_process";
import { existsSync, readFileSync, rmSync, statSync, writeFileSync, renameSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { workspaceDir, type ProjectPaths } from "./cache.js";
import type { LockEntry, LockFile } from "./lockfile.js";

export const NOOP_STAMP_VERSION = 1;
/** Environment variables that change what a run does. */
const ENV_KEYS = ["COFAIL_DATA_MIRROR", "COFAIL_CATALOG"] as const;

/** The command a stamp is valid for. */
export interface NoopCommand {
  projectDir: string;
  /** Absolute spec path. */
  specFile: string;
  /** Absolute catalog module path, when one is named (--catalog / COFAIL_CATALOG). */
  catalog?: string;
}

/** [path, signature]: signature = "size:mtimeNs:ctimeNs:ino", or "-" for a file that does not exist. */
type Signed = [string, string];

interface Stamp {
  version: number;
  command: NoopCommand;
  env: Record<string, string | null>;
  message: string;
  files: Signed[];
}

export function noopStampPath(projectDir: string): string {
  return join(projectDir, ".cofail", "noop.json");
}

function signature(path: string): string {
  try {
    const s = statSync(path, { bigint: true });
    return `${s.size}:${s.mtimeNs}:${s.ctimeNs}:${s.ino}`;
  } catch {
    return "-";
  }
}

const sign = (paths: Iterable<string>): Signed[] => [...new Set(paths)].sort().map((p) => [p, signature(p)]);
const envOf = () => Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k] ?? null]));

/** Git's own files that move with a commit, a checkout or `git add`: HEAD, index, the current ref, packed-refs. */
function gitStateFiles(projectDir: string): string[] {
  let gitDir = join(projectDir, ".git");
  try {
    if (statSync(gitDir).isFile()) {
      const m = /^gitdir:\s*(.+)$/m.exec(readFileSync(gitDir, "utf8"));
      if (!m) return [];
      gitDir = resolve(projectDir, m[1]!.trim());
    }
  } catch {
    return [];
  }
  let common = gitDir;
  try { common = resolve(gitDir, readFileSync(join(gitDir, "commondir"), "utf8").trim()); } catch { /* not a worktree */ }
  const files = [join(gitDir, "HEAD"), join(gitDir, "index"), join(common, "packed-refs")];
  try {
    const head = readFileSync(join(gitDir, "HEAD"), "utf8");
    const ref = /^ref:\s*(.+)$/m.exec(head)?.[1]?.trim();
    if (ref) files.push(join(common, ref), join(gitDir, ref));
  } catch { /* no HEAD */ }
  return files;
}

function gitTrackedFiles(projectDir: string): Promise<string[]> {
  return new Promise((done) => execFile("git", ["ls-files", "-z"], { cwd: projectDir, maxBuffer: 1 << 26 }, (err, stdout) =>
    done(err ? [] : stdout.split("\0").filter((f) => f && f !== "cofail.lock").map((f) => join(projectDir, f)))));
}

/** The input files whose signatures a run takes before it opens its session (see the module comment). */
export async function noopInputsBefore(command: NoopCommand): Promise<Signed[]> {
  const files = [command.specFile, join(command.projectDir, "package-lock.json"), ...gitStateFiles(command.projectDir),
    ...(await gitTrackedFiles(command.projectDir))];
  if (command.catalog) files.push(command.catalog);
  return sign(files);
}

const entriesOf = (lock: LockFile): { stage: string; partition?: string; entry: LockEntry }[] =>
  Object.entries(lock.stages).flatMap(([stage, s]) => s.entry ? [{ stage, entry: s.entry }]
    : Object.entries(s.partitions ?? {}).map(([partition, entry]) => ({ stage, partition, entry })));

/**
 * After a successful run: writes the stamp when no input changed since `before` (else removes any stamp).
 * `extraInputs`: the files the session read beyond `before` (manifest, local datasets); code files come from the lock.
 */
export function writeNoopStamp(options: {
  command: NoopCommand; paths: ProjectPaths; lock: LockFile; message: string; before: Signed[]; extraInputs: string[];
}): boolean {
  const { command, paths, lock } = options;
  const stampFile = noopStampPath(command.projectDir);
  const entries = entriesOf(lock);
  const code = entries.flatMap(({ entry }) => Object.keys(entry.code).map((f) => (isAbsolute(f) ? f : join(command.projectDir, f))));
  const known = new Set(options.before.map(([p]) => p));
  const laterInputs = sign([...code, ...options.extraInputs].filter((p) => !known.has(p)));
  // Inputs unchanged since before the session read them (and the late ones exist as they were hashed)?
  const now = new Map(sign(options.before.map(([p]) => p)));
  if (options.before.some(([p, sig]) => now.get(p) !== sig)) {
    rmSync(stampFile, { force: true });
    return false;
  }
  const state = [paths.lockFile, paths.registry];
  for (const { stage, partition, entry } of entries) {
    const dir = workspaceDir(paths, stage, partition);
    // The run-cache copies too: a byte changed in a cached output (even with its mtime put back: ctime moves) must
    // reach the full run, which verifies the entry and recomputes it (issue 15).
    for (const o of Object.values(entry.outputs)) state.push(join(dir, o.file), join(paths.cacheDir, entry.key, "out", o.file));
    state.push(join(paths.cacheDir, entry.key, "record.json"));
  }
  const files = [...options.before, ...laterInputs, ...sign(state)].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const stamp: Stamp = { version: NOOP_STAMP_VERSION, command, env: envOf(), message: options.message, files };
  const tmp = `${stampFile}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(stamp));
  renameSync(tmp, stampFile);
  return true;
}

/** Removes the stamp (a run starting: whatever it does, the old stamp no longer describes the workspace). */
export function dropNoopStamp(projectDir: string): void {
  rmSync(noopStampPath(projectDir), { force: true });
}

/** The recorded message when `command` would find nothing to do, by stat alone; null when it must really run. */
export function checkNoopStamp(command: NoopCommand): string | null {
  const file = noopStampPath(command.projectDir);
  if (!existsSync(file)) return null;
  let stamp: Stamp;
  try {
    stamp = JSON.parse(readFileSync(file, "utf8")) as Stamp;
  } catch {
    return null;
  }
  if (stamp.version !== NOOP_STAMP_VERSION) return null;
  const c = stamp.command;
  if (c.projectDir !== command.projectDir || c.specFile !== command.specFile || (c.catalog ?? null) !== (command.catalog ?? null)) return null;
  const env = envOf();
  for (const k of ENV_KEYS) if ((stamp.env[k] ?? null) !== env[k]) return null;
  for (const [p, sig] of stamp.files) if (signature(p) !== sig) return null;
  return stamp.message;
}

/**
 * The command of an argv that is a plain `run` (only the global options -C/--dir, -f/--file, --catalog before it,
 * nothing after), or null for anything else — those always take the ordinary path.
 */
export function plainRunCommand(argv: string[], cwd: string): NoopCommand | null {
  let dir = cwd, file: string | undefined, catalog = process.env.COFAIL_CATALOG;
  let i = 0;
  for (; i < argv.length && argv[i] !== "run"; i++) {
    const a = argv[i]!, v = argv[i + 1];
    if (v === undefined) return null;
    if (a === "-C" || a === "--dir") dir = v;
    else if (a === "-f" || a === "--file") file = v;
    else if (a === "--catalog") catalog = v;
    else return null;
    i++;
  }
  if (argv[i] !== "run" || i !== argv.length - 1) return null;
  const projectDir = resolve(cwd, dir);
  return {
    projectDir,
    specFile: file ? resolve(cwd, file) : join(projectDir, "pipeline.yaml"),
    ...(catalog ? { catalog: resolve(cwd, catalog) } : {}),
  };
}

