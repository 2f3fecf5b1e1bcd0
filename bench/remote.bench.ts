/**
 * Benchmark: restoring the whole paper from the remote cache into an empty clone, against a cold local run.
 * A fresh copy of the tracked files (the packages linked from this checkout) runs `cofail run --no-remote` cold (the
 * reference), then `cofail push`; a second fresh copy then runs `cofail run` with the remote configured and must
 * restore every task without running any. The S3 server is the local one of scripts/services/s3.sh (started here if
 * COFAIL_TEST_S3_ENDPOINT is not set, and stopped again), so the time is the engine's, not a network's.
 * Run: node --import tsx bench/remote.bench.ts
 */
import { execFile, execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, symlinkSync } from "node:fs";
import { cp, mkdtemp, rm } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { timed } from "./noop.bench.js";

const root = fileURLToPath(new URL("..", import.meta.url));

export interface RemoteRestoreRow { coldWallS: number; coldCpuS: number; pushWallS: number; restoreWallS: number; restoreCpuS: number; tasks: number; ok: boolean; note?: string }

async function trackedCopy(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "cofail-remote-bench-"));
  const files = await new Promise<string[]>((resolve, reject) => execFile("git", ["ls-files", "-z"], { cwd: root, maxBuffer: 1 << 26 },
    (err, out) => (err ? reject(err) : resolve(out.split("\0").filter(Boolean)))));
  for (const f of files) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    await cp(join(root, f), join(dir, f));
  }
  // The packages are linked one by one, not node_modules as a whole: node_modules/.cache (the CLI and worker bundles,
  // which name their own sources by absolute path) must be the copy's own.
  mkdirSync(join(dir, "node_modules"));
  for (const name of readdirSync(join(root, "node_modules"))) {
    if (name !== ".cache") symlinkSync(join(root, "node_modules", name), join(dir, "node_modules", name));
  }
  return dir;
}

function s3Env(): { env: Record<string, string>; stop?: () => void } {
  if (process.env.COFAIL_TEST_S3_ENDPOINT) {
    return { env: { AWS_ENDPOINT_URL_S3: process.env.COFAIL_TEST_S3_ENDPOINT, AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? "S3RVER", AWS_REGION: "us-east-1" } };
  }
  const out = execFileSync("bash", ["scripts/services/s3.sh", "start"], { cwd: root, encoding: "utf8" });
  const env = Object.fromEntries([...out.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
  return { env, stop: () => execFileSync("bash", ["scripts/services/s3.sh", "stop"], { cwd: root, stdio: "ignore" }) };
}

export async function benchRemoteRestore(): Promise<RemoteRestoreRow> {
  const { env: s3, stop } = s3Env();
  const env = { ...s3, COFAIL_DATA_MIRROR: join(root, "..", "shared", "data"), COFAIL_REMOTE: `s3://${s3.COFAIL_TEST_S3_BUCKET ?? "cofail-test"}/bench-${randomBytes(4).toString("hex")}` };
  const a = await trackedCopy();
  const b = await trackedCopy();
  try {
    const cold = await timed(process.execPath, ["bin/cofail.js", "run", "--no-remote"], { cwd: a, env });
    if (cold.code !== 0) throw new Error(`cold run failed: ${cold.stderr.slice(-800)}`);
    const push = await timed(process.execPath, ["bin/cofail.js", "push"], { cwd: a, env });
    if (push.code !== 0) throw new Error(`push failed: ${push.stderr.slice(-800)}`);
    const restore = await timed(process.execPath, ["bin/cofail.js", "run"], { cwd: b, env });
    if (restore.code !== 0) throw new Error(`restore run failed: ${restore.stderr.slice(-800)}`);
    const runs = readdirSync(join(b, ".cofail", "runs")).sort();
    const rec = JSON.parse(readFileSync(join(b, ".cofail", "runs", runs[runs.length - 1]!), "utf8")) as { ran: string[]; restored: string[] };
    const ok = rec.ran.length === 0;
    const row = { coldWallS: cold.wallS, coldCpuS: cold.cpuS, pushWallS: push.wallS, restoreWallS: restore.wallS, restoreCpuS: restore.cpuS, tasks: rec.restored.length, ok,
      ...(ok ? {} : { note: `ran ${rec.ran.length} tasks instead of restoring them: ${rec.ran.slice(0, 5).join(", ")}` }) };
    console.log(`remote restore: cold local run ${cold.wallS.toFixed(1)} s wall (${cold.cpuS.toFixed(1)} s cpu); push ${push.wallS.toFixed(1)} s; ` +
      `restore of ${rec.restored.length} tasks into an empty clone ${restore.wallS.toFixed(1)} s wall (${restore.cpuS.toFixed(1)} s cpu), ran ${rec.ran.length}`);
    return row;
  } finally {
    await rm(a, { recursive: true, force: true });
    await rm(b, { recursive: true, force: true });
    stop?.();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchRemoteRestore();
