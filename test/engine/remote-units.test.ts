// The remote cache's rules without a server (an in-memory ObjectStore): URL parsing and where the remote comes from,
// push = blobs then manifest, pull verified (a flipped byte, a bad manifest, a missing blob are refused; the refused
// bytes kept in the quarantine), a truncated blob re-uploaded, resumable skips, bounded concurrency; and the SLURM
// executor's resources and sbatch arguments, the `blocks:` spec key and the JSON Schema of the new keys.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { rmSync } from "node:fs";
import { mkdir, mkdtemp as mkdtempRaw, readFile, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadCacheRecord, projectPaths, type CacheRecord } from "../../engine/cache.js";
import { cacheKeyOf, type TaskIngredients } from "../../engine/lockfile.js";
import { configuredRemote, LAYOUT, mapLimit, parseRemoteUrl, remoteCache, type ObjectStore } from "../../engine/remote.js";
import { BUILTIN_RESOURCES, resourcesFor, sbatchArgs, slurmTimeS } from "../../engine/executors/slurm.js";
import { blockOf, blockPartitions } from "../../engine/plan.js";
import { specJsonSchema } from "../../engine/spec.js";

const made: string[] = [];
process.on("exit", () => { for (const d of made) rmSync(d, { recursive: true, force: true }); });
const mkdtemp = async (prefix: string) => { const d = await mkdtempRaw(prefix); made.push(d); return d; };
const sha = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");

function memoryStore(): ObjectStore & { objects: Map<string, Buffer>; puts: string[] } {
  const objects = new Map<string, Buffer>();
  const puts: string[] = [];
  return {
    objects, puts,
    url: (n) => `s3://mem/${n}`,
    size: async (n) => objects.get(n)?.length,
    get: async (n) => (objects.has(n) ? Buffer.from(objects.get(n)!) : undefined),
    put: async (n, b) => { puts.push(n); objects.set(n, Buffer.from(b)); },
    close: () => undefined,
  };
}

async function projectWithEntry(files: Record<string, string>): Promise<{ dir: string; record: CacheRecord }> {
  const dir = await mkdtemp(join(tmpdir(), "cofail-remote-"));
  const ingredients: TaskIngredients = { type: "t", seed: 1, code: { "s.ts": sha("code") }, packages: {}, params: { n: Object.keys(files).length }, inputs: {} };
  const key = cacheKeyOf(ingredients);
  const outputs = Object.fromEntries(Object.entries(files).map(([f, t]) => [f.replace(/\..*$/, ""), { file: f, sha256: sha(t), bytes: Buffer.byteLength(t) }]));
  const record: CacheRecord = { key, stage: "s", entry: { ...ingredients, key, outputs, warnings: [] } };
  const out = join(dir, ".cofail", "cache", key, "out");
  await mkdir(out, { recursive: true });
  for (const [f, t] of Object.entries(files)) await writeFile(join(out, f), t);
  await writeFile(join(dir, ".cofail", "cache", key, "record.json"), JSON.stringify(record));
  return { dir, record };
}

test("remote URLs: s3://bucket[/prefix]; COFAIL_REMOTE over pipeline.yaml, 'none' switches it off; bad ones name their source", () => {
  assert.deepEqual(parseRemoteUrl("s3://my-bucket/team/cofail/", "x"), { bucket: "my-bucket", prefix: "team/cofail", url: "s3://my-bucket/team/cofail" });
  assert.deepEqual(parseRemoteUrl("s3://my-bucket", "x"), { bucket: "my-bucket", prefix: "", url: "s3://my-bucket" });
  assert.throws(() => parseRemoteUrl("https://my-bucket/x", "pipeline.yaml: cache.remote"), /pipeline\.yaml: cache\.remote: "https:\/\/my-bucket\/x" is not an S3 URL; expected s3:\/\/bucket or s3:\/\/bucket\/prefix/);
  assert.equal(configuredRemote(undefined, {}), undefined);
  assert.equal(configuredRemote("s3://a-b/c", {})?.url, "s3://a-b/c");
  assert.equal(configuredRemote("s3://a-b/c", { COFAIL_REMOTE: "s3://other/p" })?.url, "s3://other/p");
  assert.equal(configuredRemote("s3://a-b/c", { COFAIL_REMOTE: "none" }), undefined);
  assert.throws(() => configuredRemote(undefined, { COFAIL_REMOTE: "s3:/x" }), /COFAIL_REMOTE: "s3:\/x" is not an S3 URL/);
});

test("push uploads the blobs first and the manifest last; a rerun skips all; pull verifies and fills the run-cache", async () => {
  const { dir, record } = await projectWithEntry({ "a.json": "{\"a\":1}\n", "b.txt": "bee\n" });
  const store = memoryStore();
  const rc = remoteCache({ paths: projectPaths(dir), store, url: "s3://mem" });
  const pushed = await rc.push(record);
  assert.deepEqual(pushed, { state: "pushed", blobs: 2, skipped: 0, bytes: 12 });
  assert.equal(store.puts[store.puts.length - 1], `${LAYOUT}/entries/${record.key}.json`, "manifest last");
  assert.deepEqual(await rc.push(record), { state: "present" });
  const other = await mkdtemp(join(tmpdir(), "cofail-remote-"));
  const rc2 = remoteCache({ paths: projectPaths(other), store, url: "s3://mem" });
  assert.deepEqual(await rc2.pull(record.key), { state: "pulled", blobs: 2, bytes: 12 });
  assert.equal((await loadCacheRecord(projectPaths(other), record.key)).state, "ok");
  assert.equal(await readFile(join(other, ".cofail/cache", record.key, "out/b.txt"), "utf8"), "bee\n");
  assert.deepEqual(await rc2.pull(record.key), { state: "local" });
  assert.deepEqual(await rc2.pull("0".repeat(64)), { state: "missing" });
});

test("pull refuses a flipped byte, a bad manifest and a missing blob (nothing lands in the run-cache); the next push repairs", async () => {
  const { dir, record } = await projectWithEntry({ "a.json": "{\"a\":1}\n" });
  const store = memoryStore();
  const rc = remoteCache({ paths: projectPaths(dir), store, url: "s3://mem" });
  await rc.push(record);
  const blob = `${LAYOUT}/blobs/${record.entry.outputs.a!.sha256}`;
  const good = store.objects.get(blob)!;
  const bad = Buffer.from(good); bad[2]! ^= 1;
  store.objects.set(blob, bad);
  const other = await mkdtemp(join(tmpdir(), "cofail-remote-"));
  const paths = projectPaths(other);
  const rc2 = remoteCache({ paths, store, url: "s3://mem" });
  const r = await rc2.pull(record.key);
  assert.equal(r.state, "refused");
  assert.match((r as { reason: string }).reason, new RegExp(`s3://mem/${blob} \\(output a\\.json\\): sha256 [0-9a-f]{12}…, expected ${record.entry.outputs.a!.sha256.slice(0, 12)}…`));
  assert.match((r as { quarantined?: string }).quarantined ?? "", /^\.cofail\/quarantine\//);
  assert.deepEqual(await readFile(join(other, (r as { quarantined: string }).quarantined)), bad, "the refused bytes are kept");
  assert.equal((await loadCacheRecord(paths, record.key)).state, "missing");
  // The clone that found it bad recomputes (here: has the entry) and pushes: the blob is overwritten though it exists.
  await mkdir(join(other, ".cofail/cache", record.key, "out"), { recursive: true });
  await writeFile(join(other, ".cofail/cache", record.key, "out/a.json"), "{\"a\":1}\n");
  await writeFile(join(other, ".cofail/cache", record.key, "record.json"), JSON.stringify(record));
  assert.equal((await rc2.push(record)).state, "pushed");
  assert.deepEqual(store.objects.get(blob), good);
  // A manifest that is not a record for its key.
  const manifest = `${LAYOUT}/entries/${record.key}.json`;
  store.objects.set(manifest, Buffer.from(JSON.stringify({ ...record, entry: { ...record.entry, seed: 2 } })));
  const third = remoteCache({ paths: projectPaths(await mkdtemp(join(tmpdir(), "cofail-remote-"))), store, url: "s3://mem" });
  const r3 = await third.pull(record.key);
  assert.equal(r3.state, "refused");
  assert.match((r3 as { reason: string }).reason, /ingredients do not hash to its key/);
  // A manifest whose blob is gone.
  store.objects.set(manifest, Buffer.from(JSON.stringify(record)));
  store.objects.delete(blob);
  const r4 = await remoteCache({ paths: projectPaths(await mkdtemp(join(tmpdir(), "cofail-remote-"))), store, url: "s3://mem" }).pull(record.key);
  assert.equal(r4.state, "refused");
  assert.match((r4 as { reason: string }).reason, /\(output a\.json\) is missing/);
});

test("a truncated blob left by a killed upload (no manifest) is uploaded again, not skipped", async () => {
  const { dir, record } = await projectWithEntry({ "a.json": "{\"a\":12345}\n" });
  const store = memoryStore();
  const blob = `${LAYOUT}/blobs/${record.entry.outputs.a!.sha256}`;
  store.objects.set(blob, Buffer.from("{\"a\""));
  const r = await remoteCache({ paths: projectPaths(dir), store, url: "s3://mem" }).push(record);
  assert.deepEqual(r, { state: "pushed", blobs: 1, skipped: 0, bytes: 12 });
  assert.equal(store.objects.get(blob)!.toString(), "{\"a\":12345}\n");
  const quarantine: string[] = await readdir(join(dir, ".cofail")).catch(() => []);
  assert.ok(!quarantine.includes("quarantine"));
});

test("mapLimit runs at most `limit` at once and keeps the order", async () => {
  let running = 0, peak = 0;
  const out = await mapLimit([5, 1, 4, 2, 3, 0], 2, async (x) => {
    running++; peak = Math.max(peak, running);
    await new Promise((r) => setTimeout(r, x));
    running--;
    return x * 10;
  });
  assert.deepEqual(out, [50, 10, 40, 20, 30, 0]);
  assert.equal(peak, 2);
});

test("SLURM resources: the stage type's over executor.slurm.default over the built-in default; sbatch arguments", () => {
  assert.deepEqual(["30", "10:30", "1:00:00", "2-00", "2-01:30", "1-00:00:05", "x"].map(slurmTimeS), [1800, 630, 3600, 172800, 178200, 86405, NaN]);
  assert.deepEqual(resourcesFor("x"), BUILTIN_RESOURCES);
  const r = resourcesFor("boot", { partition: "short", mem: "4G", account: undefined }, { boot: { cpus: 8, time: "2:00:00" } });
  assert.deepEqual(r, { time: "2:00:00", mem: "4G", cpus: 8, partition: "short" });
  assert.deepEqual(sbatchArgs(r, { name: "cofail-boot", log: "/l/job.log", chdir: "/p", script: "/l/job.sh" }), [
    "--parsable", "--job-name=cofail-boot", "--output=/l/job.log", "--chdir=/p", "--partition=short", "--time=2:00:00", "--mem=4G", "--cpus-per-task=8", "/l/job.sh",
  ]);
});

test("blocks: partition keys sort in index order; the JSON Schema documents cache, executor and blocks", () => {
  assert.deepEqual(blockPartitions(3), ["block-0", "block-1", "block-2"]);
  assert.equal(blockPartitions(12)[3], "block-03");
  assert.deepEqual(blockOf(12, "block-03"), { index: 3, count: 12 });
  assert.equal(blockOf(undefined, "a"), undefined);
  const schema = JSON.stringify(specJsonSchema({}));
  for (const k of ["\"remote\"", "\"transfers\"", "\"slurm\"", "\"partition\"", "\"account\"", "\"mem\"", "\"cpus\"", "\"poll_s\"", "\"command_timeout_s\"", "\"blocks\""]) {
    assert.ok(schema.includes(k), `${k} in the schema`);
  }
});

test("run lock across hosts: two runs taking over one stale lock of another host at once: exactly one gets it", async () => {
  const { acquireRunLock, STALE_S } = await import("../../engine/run-lock.js");
  const { utimes } = await import("node:fs/promises");
  const dir = await mkdtemp(join(tmpdir(), "cofail-lock-"));
  const path = join(dir, "run.lock");
  await writeFile(path, JSON.stringify({ pid: 4242, host: "node-elsewhere" }));
  const old = new Date(Date.now() - (STALE_S + 60) * 1000);
  await utimes(path, old, old);
  const notes: string[] = [];
  const results = await Promise.allSettled([0, 1].map(() => acquireRunLock({ path, timeoutS: 1, onTakeOver: (m) => notes.push(m) })));
  const won = results.filter((r) => r.status === "fulfilled");
  assert.equal(won.length, 1, JSON.stringify(results.map((r) => r.status)));
  assert.match((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason.message, /another cofail run \(pid \d+ on .*\) holds/);
  assert.equal(notes.length, 1);
  assert.match(notes[0]!, /took over a stale run lock of pid 4242 on node-elsewhere \(no heartbeat for \d+s\)/);
  await (won[0] as PromiseFulfilledResult<{ release(): Promise<void> }>).value.release();
  assert.deepEqual((await readdir(dir)).filter((n) => n.startsWith("run.lock")), []);
});
