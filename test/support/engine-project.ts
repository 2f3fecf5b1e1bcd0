// Shared helpers for engine tests: a throw-away project (fixture stages + catalog copied in, node_modules
// symlinked) and a way to run the real CLI in it as a subprocess.
import { execFile, execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { rmSync } from "node:fs";
import { cp, mkdtemp, readFile, symlink, writeFile, copyFile, mkdir, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const FIXTURES = join(REPO, "test", "fixtures", "engine");
const CLI = join(REPO, "cli/index.ts");

const created: string[] = [];
process.on("exit", () => { for (const d of created) rmSync(d, { recursive: true, force: true }); });

export async function makeProject(options: { pipeline: string; files?: Record<string, string> }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "cofail-engine-"));
  created.push(dir);
  await cp(join(FIXTURES, "stages"), join(dir, "stages"), { recursive: true });
  await cp(join(FIXTURES, "lib"), join(dir, "lib"), { recursive: true });
  await copyFile(join(FIXTURES, "catalog.ts"), join(dir, "catalog.ts"));
  await copyFile(join(REPO, "package-lock.json"), join(dir, "package-lock.json"));
  await symlink(join(REPO, "node_modules"), join(dir, "node_modules"));
  await writeFile(join(dir, "package.json"), JSON.stringify({ type: "module" }));
  await writeFile(join(dir, "pipeline.yaml"), options.pipeline);
  for (const [rel, text] of Object.entries(options.files ?? {})) {
    await mkdir(dirname(join(dir, rel)), { recursive: true });
    await writeFile(join(dir, rel), text);
  }
  return dir;
}

export interface CliResult { code: number; stdout: string; stderr: string }

function cliArgs(dir: string, args: string[]): string[] {
  return ["--import", "tsx", CLI, "-C", dir, "--catalog", join(dir, "catalog.ts"), ...args];
}

export function runCli(dir: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, cliArgs(dir, args), { cwd: dir, env: { ...process.env, ...env }, maxBuffer: 1 << 24 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, stdout, stderr }));
  });
}

export function spawnCli(dir: string, args: string[]): ChildProcess {
  return spawn(process.execPath, cliArgs(dir, args), { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
}

export async function readJson<T = unknown>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, "utf8")) as T;
}

export interface RunRecord {
  ran: string[];
  restored: string[];
  failed: string[];
  skipped: string[];
  tasks: { stage: string; partition?: string; status: string; startedAt?: number; endedAt?: number; error?: string }[];
}

/** The newest run record of a project. */
export async function lastRunRecord(dir: string): Promise<RunRecord> {
  const names = (await readdir(join(dir, ".cofail", "runs"))).sort();
  return readJson<RunRecord>(join(dir, ".cofail", "runs", names[names.length - 1]!));
}

/** All files under a directory, relative path -> content (base64), for byte-identity comparisons. */
export async function treeContents(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (rel: string) => {
    for (const e of await readdir(join(root, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(r);
      else out[r] = (await readFile(join(root, r))).toString("base64");
    }
  };
  await walk("");
  return out;
}

/** A small pipeline: partitioned count over two local files, total downstream, report over all results. */
export const BASIC_PIPELINE = `version: 1
seed: 42
datasets:
  texts:
    local: [data/one.txt, data/two.txt]
stages:
  count:
    type: count
    inputs: { files: dataset:texts }
    foreach: files
  total:
    type: total
    inputs: { counts: count.counts }
    params: { scale: 2 }
  flag:
    type: badout
    params: { ok: true }
  report:
    type: report
    inputs: { results: "*.results" }
`;

export const BASIC_FILES = { "data/one.txt": "a\nb\nc\n", "data/two.txt": "x\ny\n" };

/** The demo dataset of the manifest-backed project: two raw files in the dataset's glob, one outside it. */
export const DEMO_FILES: Record<string, string> = { "demo/raw/alpha.jsonl": "1\n2\n3\n", "demo/raw/beta.jsonl": "4\n", "demo/other/skip.txt": "no\n" };

/** data/manifest.json pinning DEMO_FILES (sorted by path, as make-manifest writes it). */
export function demoManifest(): string {
  return JSON.stringify({
    version: 1,
    files: Object.entries(DEMO_FILES).sort(([a], [b]) => a.localeCompare(b)).map(([path, text]) => ({
      path, mirror: path, gzip: false, url: `https://example.org/demo/0123abcd/${path}`,
      sha256: createHash("sha256").update(text).digest("hex"), bytes: Buffer.byteLength(text),
      license: "CC0", dataset: "demo", source_repo: "https://example.org/demo", commit: "0123abcd",
    })),
  }, null, 1);
}

/** Partitioned count over the manifest dataset `demo` (files from mirror/), total downstream. */
export const MANIFEST_PIPELINE = `version: 1
seed: 3
data:
  manifest: data/manifest.json
  mirror: mirror
  downloads: data/downloads
datasets:
  demo:
    files: ["demo/raw/*.jsonl"]
stages:
  count:
    type: count
    inputs: { files: dataset:demo }
    foreach: files
  total:
    type: total
    inputs: { counts: count.counts }
`;

/** A project running MANIFEST_PIPELINE with DEMO_FILES in its mirror/. */
export async function makeManifestProject(): Promise<string> {
  const files: Record<string, string> = { "data/manifest.json": demoManifest() };
  for (const [p, t] of Object.entries(DEMO_FILES)) files[`mirror/${p}`] = t;
  return makeProject({ pipeline: MANIFEST_PIPELINE, files });
}

/**
 * A copy of this working tree as a clone would have it (tracked and new files, ignored ones left out) in a temp
 * dir, node_modules linked. With `commit`, the copy is a new git repository holding it as one commit (node_modules
 * excluded), so `git status --porcelain` in it shows exactly what a command changed.
 */
export async function freshProjectCopy(options: { commit?: boolean } = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "cofail-copy-"));
  const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], { cwd: REPO, encoding: "utf8" }).split("\0").filter(Boolean);
  for (const f of files) {
    await mkdir(dirname(join(dir, f)), { recursive: true });
    await cp(join(REPO, f), join(dir, f)).catch((e: NodeJS.ErrnoException) => { if (e.code !== "ENOENT") throw e; });
  }
  if (options.commit) {
    const git = (...args: string[]) => execFileSync("git", ["-c", "user.email=test@example.org", "-c", "user.name=test", ...args], { cwd: dir });
    git("init", "-q");
    git("add", "-A");
    git("commit", "-qm", "fresh copy");
    await writeFile(join(dir, ".git", "info", "exclude"), "/node_modules\n");
  }
  await symlink(join(REPO, "node_modules"), join(dir, "node_modules"));
  return dir;
}

/** `cofail status --json` of a project, keyed by task label (`stage` or `stage[partition]`). */
export async function cliStatus(dir: string): Promise<Map<string, { stage: string; partition?: string; state: string; reasons: string[] }>> {
  const r = await runCli(dir, ["status", "--json"]);
  if (r.code !== 0) throw new Error(`cofail status failed: ${r.stderr}`);
  const list = JSON.parse(r.stdout) as { stage: string; partition?: string; state: string; reasons: string[] }[];
  return new Map(list.map((s) => [s.partition === undefined ? s.stage : `${s.stage}[${s.partition}]`, s]));
}

/** `cofail run --jobs 2 [args]`, which must succeed, and its run record. */
export async function cliRun(dir: string, args: string[] = []): Promise<CliResult & { record: RunRecord }> {
  const r = await runCli(dir, ["run", "--jobs", "2", ...args]);
  if (r.code !== 0) throw new Error(`cofail run failed (${r.code}):\n${r.stderr}${r.stdout}`);
  return { ...r, record: await lastRunRecord(dir) };
}

/** loadSpec on a pipeline text written into a project (fixture catalog); a SpecError is thrown as it is. */
export async function loadSpecText(dir: string, yaml: string, file = "spec.yaml") {
  const { loadSpec } = await import("../../engine/spec.js");
  const { stageCatalog } = await import("../fixtures/engine/catalog.js");
  await writeFile(join(dir, file), yaml);
  return loadSpec({ projectDir: dir, file: join(dir, file), catalog: stageCatalog });
}
