/**
 * Benchmark: the no-op — `make paper` and `npx cofail run` in this project when everything is up to date — against
 * Snakemake's no-op on the same DAG (bench/Snakefile, generated from `cofail dag` by bench/snakefile.ts; Debian
 * package `snakemake`), interleaved, `repeats` times each; whole-process wall and CPU (user + sys, children
 * included) by /usr/bin/time. Also the cold build: a fresh copy of the tracked files, `npm ci` and `make paper`.
 * Run: node --import tsx -e 'import("./bench/noop.bench.ts").then((m) => m.benchNoop())'
 */
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { currentSnakefile, rawInputs, SNAKEFILE } from "./snakefile.js";

const root = fileURLToPath(new URL("..", import.meta.url));

export interface Timed { wallS: number; cpuS: number; code: number; stdout: string; stderr: string }

/** Runs a command under /usr/bin/time: wall and CPU of the whole process tree. */
export function timed(cmd: string, args: string[], options: { cwd: string; env?: Record<string, string | undefined> }): Promise<Timed> {
  return new Promise((resolve) => {
    execFile("/usr/bin/time", ["-f", "\n@@time %e %U %S", cmd, ...args], { cwd: options.cwd, env: { ...process.env, ...options.env }, maxBuffer: 1 << 26 },
      (err, stdout, stderr) => {
        const m = /@@time ([\d.]+) ([\d.]+) ([\d.]+)\s*$/.exec(stderr);
        resolve({
          wallS: m ? Number(m[1]) : NaN, cpuS: m ? Number(m[2]) + Number(m[3]) : NaN,
          code: err ? (typeof (err as { code?: unknown }).code === "number" ? (err as { code: number }).code : 1) : 0,
          stdout, stderr: m ? stderr.slice(0, m.index) : stderr,
        });
      });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export interface NoopRow {
  name: string; oursWallS: number; oursCpuS: number; snakeWallS: number | null; snakeCpuS: number | null;
  /** For the npx row: npx's own start with nothing to run (`npx -c true`), the floor no change of ours can go under. */
  floorWallS?: number;
}

export async function benchNoop(options: { repeats?: number } = {}): Promise<NoopRow[]> {
  const repeats = options.repeats ?? 7;
  const text = currentSnakefile();
  if (readFileSync(SNAKEFILE, "utf8") !== text) console.log("note: bench/Snakefile is stale (node --import tsx bench/snakefile.ts); timing the current DAG");
  const snakeDir = await mkdtemp(join(tmpdir(), "cofail-snakemake-"));
  let snake: Timed[] | null = [];
  try {
    writeFileSync(join(snakeDir, "Snakefile"), text);
    for (const r of rawInputs(text)) { mkdirSync(dirname(join(snakeDir, "raw", r)), { recursive: true }); writeFileSync(join(snakeDir, "raw", r), r); }
    const first = await timed("snakemake", ["--cores", "1", "--quiet"], { cwd: snakeDir });
    if (first.code !== 0) {
      console.log(`snakemake: skipped (${(first.stderr.trim().split("\n")[0] ?? "").slice(0, 200)})`);
      snake = null;
    }
    // Bring the project up to date (a no-op when it is), so what follows is the no-op.
    const prime = await timed(process.execPath, ["bin/cofail.js", "run"], { cwd: root });
    if (prime.code !== 0) throw new Error(`cofail run failed: ${prime.stderr.slice(-500)}`);
    const make: Timed[] = [], npx: Timed[] = [], npxAlone: Timed[] = [];
    for (let i = 0; i < repeats; i++) {
      make.push(await timed("make", ["--no-print-directory", "paper"], { cwd: root }));
      npx.push(await timed("npx", ["cofail", "run"], { cwd: root }));
      npxAlone.push(await timed("npx", ["-c", "true"], { cwd: root }));
      if (snake) snake.push(await timed("snakemake", ["--cores", "1"], { cwd: snakeDir }));
    }
    for (const [what, runs] of [["make paper", make], ["npx cofail run", npx]] as const) {
      if (!runs.every((r) => r.code === 0 && /nothing to do/.test(r.stdout))) throw new Error(`${what} was not a no-op: ${runs.map((r) => r.stdout.trim().split("\n").at(-1)).join(" | ")}`);
    }
    if (snake && !snake.every((r) => r.code === 0 && /Nothing to be done/.test(r.stdout + r.stderr))) throw new Error("snakemake was not a no-op");
    const row = (name: string, runs: Timed[]): NoopRow => ({
      name, oursWallS: median(runs.map((r) => r.wallS)), oursCpuS: median(runs.map((r) => r.cpuS)),
      snakeWallS: snake ? median(snake.map((r) => r.wallS)) : null, snakeCpuS: snake ? median(snake.map((r) => r.cpuS)) : null,
    });
    const rows = [row("no-op make paper", make), { ...row("no-op npx cofail run", npx), floorWallS: median(npxAlone.map((r) => r.wallS)) }];
    const rules = (text.match(/^rule /gm) ?? []).length - 1;
    for (const r of rows) {
      console.log(`${r.name}: ${r.oursWallS.toFixed(3)} s wall, ${r.oursCpuS.toFixed(3)} s cpu; snakemake (${rules} rules) ` +
        `${r.snakeWallS?.toFixed(3) ?? "n/a"} s wall, ${r.snakeCpuS?.toFixed(3) ?? "n/a"} s cpu (medians of ${repeats})` +
        (r.floorWallS !== undefined ? `; npx's own start (npx -c true) ${r.floorWallS.toFixed(3)} s wall` : ""));
    }
    return rows;
  } finally {
    await rm(snakeDir, { recursive: true, force: true });
  }
}

/** Cold build from a fresh copy of the tracked files: `npm ci` then `make paper` (the data mirror stays shared). */
export async function benchColdBuild(): Promise<{ npmCiWallS: number; paperWallS: number; paperCpuS: number; ok: boolean }> {
  const dir = await mkdtemp(join(tmpdir(), "cofail-cold-"));
  try {
    const files = await new Promise<string[]>((resolve, reject) => execFile("git", ["ls-files", "-z"], { cwd: root, maxBuffer: 1 << 26 },
      (err, out) => (err ? reject(err) : resolve(out.split("\0").filter(Boolean)))));
    for (const f of files) {
      mkdirSync(dirname(join(dir, f)), { recursive: true });
      await cp(join(root, f), join(dir, f));
    }
    const env = { COFAIL_DATA_MIRROR: join(root, "..", "shared", "data") };
    const ci = await timed("npm", ["ci", "--prefer-offline", "--no-audit", "--no-fund"], { cwd: dir, env });
    if (ci.code !== 0) throw new Error(`npm ci failed: ${ci.stderr.slice(-500)}`);
    const paper = await timed("make", ["--no-print-directory", "paper"], { cwd: dir, env });
    console.log(`cold build: npm ci ${ci.wallS.toFixed(1)} s wall; make paper ${paper.wallS.toFixed(1)} s wall, ${paper.cpuS.toFixed(1)} s cpu (exit ${paper.code})`);
    if (paper.code !== 0) console.log(paper.stderr.slice(-2000));
    return { npmCiWallS: ci.wallS, paperWallS: paper.wallS, paperCpuS: paper.cpuS, ok: paper.code === 0 };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchNoop();
  if (process.argv.includes("--cold")) await benchColdBuild();
}
