// The shared remote cache against a real S3 API (a local @20minutes/s3rver started by scripts/services/s3.sh, which
// .ci/run starts): two clones sharing one bucket (the second restores every stage, runs none), a corrupt remote object
// refused and recomputed, a killed upload (blobs without a manifest) trusted by nobody, push/pull resumable with a
// summary, and no secret of the credential chain in any artefact.
// tier: slow
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { copyFile, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { BASIC_FILES, BASIC_PIPELINE, lastRunRecord, makeProject, runCli, treeContents } from "../support/engine-project.js";

const endpoint = process.env.COFAIL_TEST_S3_ENDPOINT;
const bucket = process.env.COFAIL_TEST_S3_BUCKET ?? "cofail-test";
const skip = endpoint ? false : "no S3 server: start one with `eval \"$(bash scripts/services/s3.sh start)\"` (sets COFAIL_TEST_S3_ENDPOINT); .ci/run does";

const s3env = (prefix: string, extra: Record<string, string> = {}) => ({
  COFAIL_REMOTE: `s3://${bucket}/${prefix}`, AWS_ENDPOINT_URL_S3: endpoint!, AWS_ACCESS_KEY_ID: "S3RVER",
  AWS_SECRET_ACCESS_KEY: "S3RVER", AWS_REGION: "us-east-1", ...extra,
});
const newPrefix = () => `t-${randomBytes(6).toString("hex")}`;
const clone = () => makeProject({ pipeline: BASIC_PIPELINE, files: BASIC_FILES });
const tasks = ["count[one]", "count[two]", "flag", "total", "report"];

async function client() {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  const s3 = await import("@aws-sdk/client-s3");
  const c = new s3.S3Client({ region: "us-east-1", endpoint, forcePathStyle: true, credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    requestChecksumCalculation: "WHEN_REQUIRED", responseChecksumValidation: "WHEN_REQUIRED" });
  return {
    async list(prefix: string): Promise<string[]> {
      const r = await c.send(new s3.ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
      return (r.Contents ?? []).map((o) => o.Key!).sort();
    },
    async get(key: string): Promise<Buffer> { return Buffer.from(await (await c.send(new s3.GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToByteArray()); },
    async put(key: string, body: Buffer) { await c.send(new s3.PutObjectCommand({ Bucket: bucket, Key: key, Body: body })); },
    async del(key: string) { await c.send(new s3.DeleteObjectCommand({ Bucket: bucket, Key: key })); },
    close: () => c.destroy(),
  };
}

test("two clones share one bucket: the second restores every stage from it and runs none; build/ byte-identical", { skip }, async () => {
  const prefix = newPrefix();
  const a = await clone();
  let t0 = performance.now();
  const first = await runCli(a, ["run", "--jobs", "2"], s3env(prefix));
  const coldMs = performance.now() - t0;
  assert.equal(first.code, 0, first.stderr);
  assert.equal((first.stderr.match(/pushed \S+ to s3:\/\//g) ?? []).length, tasks.length, first.stderr);
  const b = await clone();
  // --dry asks the remote for every key it can compute: without a lock, those whose upstream is known...
  const dry = await runCli(b, ["run", "--dry"], s3env(prefix));
  assert.match(dry.stdout, /dry run: 2 to run, 3 to restore \(3 from the remote cache\)/, dry.stdout + dry.stderr);
  assert.match(dry.stderr, /would restore count\[one\]: never run; the remote cache s3:\/\/\S+ has it/, dry.stderr);
  // ...with the committed lock (a git clone has it), all of them.
  const withLock = await clone();
  await copyFile(join(a, "cofail.lock"), join(withLock, "cofail.lock"));
  assert.match((await runCli(withLock, ["run", "--dry"], s3env(prefix))).stdout, /dry run: 0 to run, 5 to restore \(5 from the remote cache\)/);
  t0 = performance.now();
  const second = await runCli(b, ["run", "--jobs", "2"], s3env(prefix));
  const restoreMs = performance.now() - t0;
  assert.equal(second.code, 0, second.stderr);
  const rec = await lastRunRecord(b);
  assert.deepEqual(rec.ran, [], "the second clone ran nothing");
  assert.deepEqual([...rec.restored].sort(), [...tasks].sort());
  assert.equal((second.stderr.match(/restored \S+ from remote cache s3:\/\//g) ?? []).length, tasks.length, second.stderr);
  assert.deepEqual(await treeContents(join(b, "build")), await treeContents(join(a, "build")));
  assert.equal(await readFile(join(b, "cofail.lock"), "utf8"), await readFile(join(a, "cofail.lock"), "utf8"));
  console.log(`# small project: cold run ${(coldMs / 1000).toFixed(2)} s (with write-through), restore into an empty clone ${(restoreMs / 1000).toFixed(2)} s`);
});

test("a corrupt remote object is refused loudly, the task recomputed, and the next push repairs the remote", { skip }, async () => {
  const prefix = newPrefix();
  const a = await clone();
  assert.equal((await runCli(a, ["run"], s3env(prefix))).code, 0);
  const s3 = await client();
  try {
    const lock = await readFile(join(a, "cofail.lock"), "utf8");
    const totalSha = /total:[\s\S]*?total\.json[\s\S]*?sha256: ([0-9a-f]{64})/.exec(lock)?.[1];
    assert.ok(totalSha, "total.json's sha256 in the lock");
    const blob = `${prefix}/cofail-v1/blobs/${totalSha}`;
    const good = await s3.get(blob);
    const bad = Buffer.from(good); bad[Math.floor(bad.length / 2)] ^= 1;
    await s3.put(blob, bad);
    // An explicit pull says so and exits 3 (verification), leaving nothing in the run-cache for it.
    const p = await clone();
    await copyFile(join(a, "cofail.lock"), join(p, "cofail.lock"));
    const pulled = await runCli(p, ["pull", "total"], s3env(prefix));
    assert.equal(pulled.code, 3, pulled.stdout + pulled.stderr);
    assert.match(pulled.stderr, /total: REFUSED: s3:\/\/\S+ \(output total\.json\): sha256 [0-9a-f]{12}…, expected/);
    assert.match(pulled.stdout, /: 2 pulled .*, 1 REFUSED \(failed verification; `cofail run` recomputes them\)/);
    const b = await clone();
    const r = await runCli(b, ["run"], s3env(prefix));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`remote entry of total \\(key [0-9a-f]{12}\\) refused: s3://${bucket}/${prefix}/cofail-v1/blobs/${totalSha} \\(output total\\.json\\): sha256 [0-9a-f]{12}…, expected ${totalSha.slice(0, 12)}…; the downloaded bytes are in \\.cofail/quarantine/`), r.stderr);
    const rec = await lastRunRecord(b);
    assert.deepEqual(rec.ran, ["total"], "only the refused task is recomputed");
    assert.deepEqual(await treeContents(join(b, "build")), await treeContents(join(a, "build")));
    assert.deepEqual(await s3.get(blob), good, "the recomputing clone pushed the good bytes back");
    const c = await clone();
    const again = await runCli(c, ["run"], s3env(prefix));
    assert.deepEqual((await lastRunRecord(c)).ran, [], again.stderr);
  } finally { s3.close(); }
});

test("a killed upload (blobs written, manifest not yet) leaves no entry anyone trusts; a manifest whose blob is gone is refused", { skip }, async () => {
  const prefix = newPrefix();
  const a = await clone();
  assert.equal((await runCli(a, ["run", "--no-remote"])).code, 0);
  assert.equal((await runCli(a, ["push"], s3env(prefix))).code, 0);
  const s3 = await client();
  try {
    const manifests = await s3.list(`${prefix}/cofail-v1/entries/`);
    assert.equal(manifests.length, tasks.length);
    // The state a push killed between its blobs and its manifests leaves: blobs only (one of them cut short).
    for (const m of manifests) await s3.del(m);
    const blobs = await s3.list(`${prefix}/cofail-v1/blobs/`);
    await s3.put(blobs[0]!, (await s3.get(blobs[0]!)).subarray(0, 3));
    const b = await clone();
    const r = await runCli(b, ["run"], s3env(prefix));
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual([...(await lastRunRecord(b)).ran].sort(), [...tasks].sort(), "nothing restored from an entry without a manifest");
    assert.doesNotMatch(r.stderr, /restored/);
    assert.deepEqual(await treeContents(join(b, "build")), await treeContents(join(a, "build")));
    // b's write-through wrote complete entries (manifests last), and repaired the cut blob.
    assert.equal((await s3.list(`${prefix}/cofail-v1/entries/`)).length, tasks.length);
    // A manifest naming a blob that is not there is refused, not half-restored.
    const blobsNow = await s3.list(`${prefix}/cofail-v1/blobs/`);
    const lockText = await readFile(join(a, "cofail.lock"), "utf8");
    const reportSha = /report:[\s\S]*?report\.md[\s\S]*?sha256: ([0-9a-f]{64})/.exec(lockText)?.[1] ?? "";
    const gone = blobsNow.find((k) => k.endsWith(reportSha));
    assert.ok(gone, "report.md's blob");
    await s3.del(gone);
    const c = await clone();
    const rc = await runCli(c, ["run"], s3env(prefix));
    assert.equal(rc.code, 0, rc.stderr);
    assert.match(rc.stderr, /remote entry of report \(key [0-9a-f]{12}\) refused: .*report\.md\) is missing/);
    assert.deepEqual((await lastRunRecord(c)).ran, ["report"]);
  } finally { s3.close(); }
});

test("push and pull: progress, a summary, resumable (a rerun skips what is there); a pulled clone runs nothing", { skip }, async () => {
  const prefix = newPrefix();
  const a = await clone();
  assert.equal((await runCli(a, ["run", "--no-remote"])).code, 0);
  const p1 = await runCli(a, ["push", "--transfers", "3"], s3env(prefix));
  assert.equal(p1.code, 0, p1.stderr);
  assert.match(p1.stderr, /\[1\/5\] \S+: pushed \d+ objects/);
  assert.match(p1.stdout, new RegExp(`push to s3://${bucket}/${prefix}: 5 pushed \\([\\d.]+ [KM]?i?B\\), 0 already there in [\\d.]+s`));
  const p2 = await runCli(a, ["push"], s3env(prefix));
  assert.match(p2.stdout, /: 0 pushed \(0 B\), 5 already there in/, p2.stdout);
  const b = await clone();
  // A fresh clone has the committed lock: copy a's, as git would.
  await copyFile(join(a, "cofail.lock"), join(b, "cofail.lock"));
  const pl = await runCli(b, ["pull", "total"], s3env(prefix));
  assert.equal(pl.code, 0, pl.stderr);
  assert.match(pl.stdout, /pull from s3:\/\/\S+: 3 pulled \(.*\), 0 already here, 0 not on the remote in [\d.]+s/, pl.stdout);
  const pl2 = await runCli(b, ["pull"], s3env(prefix));
  assert.match(pl2.stdout, /: 2 pulled .*, 3 already here/, pl2.stdout);
  const r = await runCli(b, ["run"], { COFAIL_REMOTE: "none" });
  assert.equal(r.code, 0, r.stderr);
  const rec = await lastRunRecord(b);
  assert.deepEqual(rec.ran, []);
  assert.equal(rec.restored.length, 5);
  const none = await runCli(b, ["push"], { COFAIL_REMOTE: "none" });
  assert.equal(none.code, 2);
  assert.match(none.stderr, /no remote cache configured: set cache: \{ remote: s3:\/\/bucket\/prefix \} in pipeline\.yaml or COFAIL_REMOTE/);
  const badUrl = await runCli(b, ["push"], { COFAIL_REMOTE: "http://x" });
  assert.equal(badUrl.code, 2);
  assert.match(badUrl.stderr, /COFAIL_REMOTE: "http:\/\/x" is not an S3 URL; expected s3:\/\/bucket or s3:\/\/bucket\/prefix/);
});

test("no secret of the credential chain appears in any artefact (.cofail, build, cofail.lock) or in the output", { skip }, async () => {
  const prefix = newPrefix();
  const secret = `SeCrEt${randomBytes(12).toString("hex")}`;
  const env = s3env(prefix, { AWS_SECRET_ACCESS_KEY: secret, AWS_SESSION_TOKEN: `tok${secret}` });
  const a = await clone();
  const outs = [await runCli(a, ["run"], env), await runCli(a, ["push"], env), await runCli(a, ["pull"], env), await runCli(a, ["run", "--force"], env)];
  for (const o of outs) {
    assert.equal(o.code, 0, o.stderr);
    assert.ok(!o.stdout.includes(secret) && !o.stderr.includes(secret), "not in the output");
  }
  const files: string[] = [];
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p); else files.push(p);
    }
  };
  await walk(join(a, ".cofail"));
  await walk(join(a, "build"));
  files.push(join(a, "cofail.lock"));
  assert.ok(files.length > 20);
  for (const f of files) assert.ok(!(await readFile(f)).includes(secret), `${f} holds the secret`);
  const s3 = await client();
  try {
    for (const k of await s3.list(`${prefix}/`)) assert.ok(!(await s3.get(k)).includes(secret), `remote ${k} holds the secret`);
  } finally { s3.close(); }
});
