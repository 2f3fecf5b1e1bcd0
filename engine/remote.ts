// The shared run-cache: a copy of .cofail/cache on any S3-compatible store (AWS S3, MinIO, Ceph, R2), so a teammate
// or a cluster node restores a task another machine computed instead of recomputing it.
//
// Layout under s3://bucket/prefix/cofail-v1/:
//   blobs/<sha256>       an output's bytes, content-addressed (shared by every entry that has the same output)
//   entries/<key>.json   the entry's record.json (its ingredients hash to <key>; its outputs name the blobs' sha256)
// A push uploads the blobs first and the manifest (entries/<key>.json) last: a push killed half-way leaves blobs that
// no manifest names, never an entry another machine trusts. A pull trusts nothing it downloads: the manifest must be
// a well-formed record for its key (parseCacheRecord) and every blob must have the sha256 the record names; what does
// not is refused loudly (the downloaded bytes kept in .cofail/quarantine/), the task is recomputed, and the next push
// overwrites the bad objects. Existence checks (HEAD) make push and pull resumable: a rerun skips what is there.
//
// Credentials come only from the AWS SDK's default chain (env, shared config/credentials files, SSO, instance
// roles); the endpoint from AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL (then path-style addressing). Nothing of either
// is written anywhere: the run record and messages name only the s3:// URL.
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { cacheOutDir, loadCacheRecord, parseCacheRecord, quarantine, type CacheRecord, type ProjectPaths } from "./cache.js";
import type { FileHasher } from "./file-hasher.js";
import { UsageError } from "./errors.js";

/** The few object operations the remote cache needs (S3 here; a test may pass another). */
export interface ObjectStore {
  /** Where an object name is, for messages (s3://bucket/prefix/name). */
  url(name: string): string;
  /** The object's size in bytes (HEAD), or undefined when there is none. */
  size(name: string): Promise<number | undefined>;
  /** The object's bytes, or undefined when there is none. */
  get(name: string): Promise<Buffer | undefined>;
  put(name: string, body: Buffer): Promise<void>;
  close(): void;
}

export interface RemoteLocation { bucket: string; prefix: string; url: string }

/** s3://bucket[/prefix] -> its parts; a usage error naming where the URL came from otherwise. */
export function parseRemoteUrl(url: string, from: string): RemoteLocation {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(url.trim());
  if (!m) throw new UsageError(`${from}: "${url}" is not an S3 URL; expected s3://bucket or s3://bucket/prefix (bucket: 3-63 lower-case letters, digits, '.' or '-')`);
  const prefix = (m[2] ?? "").replace(/^\/+|\/+$/g, "");
  return { bucket: m[1]!, prefix, url: `s3://${m[1]}${prefix ? `/${prefix}` : ""}` };
}

/**
 * The remote configured for a project: env COFAIL_REMOTE (an s3:// URL, or "none" to switch a configured one off)
 * over pipeline.yaml's cache.remote; undefined when neither names one.
 */
export function configuredRemote(specRemote: string | undefined, env: NodeJS.ProcessEnv = process.env): RemoteLocation | undefined {
  const fromEnv = env.COFAIL_REMOTE?.trim();
  if (fromEnv === "none") return undefined;
  if (fromEnv) return parseRemoteUrl(fromEnv, "COFAIL_REMOTE");
  return specRemote ? parseRemoteUrl(specRemote, "pipeline.yaml: cache.remote") : undefined;
}

/** An S3 client from the SDK's default chain; only the endpoint and region are read here, never a credential. */
export async function s3Store(loc: RemoteLocation, env: NodeJS.ProcessEnv = process.env): Promise<ObjectStore> {
  // The pinned SDK works on Node 20 (engines: >=20); its notice that later versions will not is not the user's business.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const s3 = await import("@aws-sdk/client-s3");
  const endpoint = env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || undefined;
  const client = new s3.S3Client({
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || "us-east-1",
    ...(endpoint ? { endpoint, forcePathStyle: env.COFAIL_S3_VIRTUAL_HOSTS !== "1" } : {}),
    // Checksums only where the API requires them: S3-compatible stores differ in the flexible-checksum support.
    requestChecksumCalculation: "WHEN_REQUIRED", responseChecksumValidation: "WHEN_REQUIRED",
    maxAttempts: 4,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 120_000 },
  });
  const full = (name: string) => (loc.prefix ? `${loc.prefix}/${name}` : name);
  const missing = (e: unknown) => {
    const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
    return err.name === "NotFound" || err.name === "NoSuchKey" || err.$metadata?.httpStatusCode === 404;
  };
  return {
    url: (name) => `${loc.url}/${name}`,
    async size(name) {
      try { return (await client.send(new s3.HeadObjectCommand({ Bucket: loc.bucket, Key: full(name) }))).ContentLength ?? 0; } catch (e) { if (missing(e)) return undefined; throw remoteError(loc, name, e); }
    },
    async get(name) {
      try {
        const r = await client.send(new s3.GetObjectCommand({ Bucket: loc.bucket, Key: full(name) }));
        return Buffer.from(await r.Body!.transformToByteArray());
      } catch (e) { if (missing(e)) return undefined; throw remoteError(loc, name, e); }
    },
    async put(name, body) {
      try { await client.send(new s3.PutObjectCommand({ Bucket: loc.bucket, Key: full(name), Body: body, ContentLength: body.length })); } catch (e) { throw remoteError(loc, name, e); }
    },
    close: () => client.destroy(),
  };
}

function remoteError(loc: RemoteLocation, name: string, e: unknown): Error {
  const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = err.$metadata?.httpStatusCode ? ` (HTTP ${err.$metadata.httpStatusCode})` : "";
  const hint = err.name === "CredentialsProviderError" ? " (credentials come from the AWS SDK's default chain: AWS_PROFILE, ~/.aws/credentials, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, SSO, an instance role)" : "";
  const kind = err.name && err.name !== "Error" ? `${err.name}${status}: ` : status ? `${status.trim()}: ` : "";
  const object = name.replace(/[0-9a-f]{64}/, (h) => `${h.slice(0, 12)}…`);
  return new Error(`remote cache ${loc.url} (${object}): ${kind}${(err.message ?? String(e)).split("\n")[0]!.slice(0, 120)}${hint}`);
}

export const LAYOUT = "cofail-v1";
const entryName = (key: string) => `${LAYOUT}/entries/${key}.json`;
const blobName = (sha: string) => `${LAYOUT}/blobs/${sha}`;

export type PullResult =
  | { state: "missing" }
  | { state: "local" }
  | { state: "pulled"; blobs: number; bytes: number }
  | { state: "refused"; reason: string; quarantined?: string };

export type PushResult = { state: "present" } | { state: "pushed"; blobs: number; skipped: number; bytes: number };

export interface RemoteCache {
  url: string;
  /** Downloads an entry into the local run-cache, verified; "refused" when the remote copy is not what it claims. */
  pull(key: string): Promise<PullResult>;
  /** Whether the remote has a manifest for the key (not verified: a pull verifies). */
  has(key: string): Promise<boolean>;
  /** Uploads a local entry (blobs, then the manifest); "present" when the remote has it already. */
  push(record: CacheRecord): Promise<PushResult>;
  close(): void;
}

/** Runs fn over items with at most `limit` at a time; results in item order. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => { for (;;) { const i = next++; if (i >= items.length) return; out[i] = await fn(items[i]!, i); } };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

export function remoteCache(options: { paths: ProjectPaths; store: ObjectStore; hasher?: FileHasher; transfers?: number; url: string }): RemoteCache {
  const { paths, store } = options;
  const transfers = options.transfers ?? 8;
  // Objects this process found bad: a push overwrites them even though they exist.
  const badObjects = new Set<string>();
  const inFlight = new Map<string, Promise<PullResult>>();

  const keep = async (bytes: Buffer, what: string): Promise<string | undefined> => {
    const dir = join(paths.tmpDir, `remote-refused-${process.pid}-${randomBytes(4).toString("hex")}`);
    await mkdir(dir, { recursive: true });
    const file = join(dir, what.replace(/[^A-Za-z0-9._-]/g, "_"));
    await writeFile(file, bytes);
    return quarantine(paths, file).catch(() => undefined);
  };

  const pullOnce = async (key: string): Promise<PullResult> => {
    if ((await loadCacheRecord(paths, key)).state === "ok") return { state: "local" };
    const manifest = await store.get(entryName(key));
    if (!manifest) return { state: "missing" };
    const parsed = parseCacheRecord(manifest.toString("utf8"), key);
    if (parsed.state !== "ok") {
      badObjects.add(entryName(key));
      const where = await keep(manifest, `${key}.json`);
      return { state: "refused", reason: `${store.url(entryName(key))}: ${parsed.state === "corrupt" ? parsed.reason : "unreadable"}`, quarantined: where };
    }
    const record = parsed.record;
    const temp = join(paths.tmpDir, `${key.slice(0, 16)}.pull.${process.pid}.${randomBytes(4).toString("hex")}`);
    await mkdir(join(temp, "out"), { recursive: true });
    try {
      const outputs = Object.values(record.entry.outputs);
      let bytes = 0;
      const problems = await mapLimit(outputs, transfers, async (o) => {
        const body = await store.get(blobName(o.sha256));
        if (!body) return { reason: `${store.url(blobName(o.sha256))} (output ${o.file}) is missing` };
        const got = sha256(body);
        if (got !== o.sha256) {
          badObjects.add(blobName(o.sha256));
          return { reason: `${store.url(blobName(o.sha256))} (output ${o.file}): sha256 ${got.slice(0, 12)}…, expected ${o.sha256.slice(0, 12)}…`, body, file: o.file };
        }
        bytes += body.length;
        await writeFile(join(temp, "out", o.file), body);
        return undefined;
      });
      const bad = problems.filter((p) => p !== undefined);
      if (bad.length) {
        const corrupt = bad.find((b) => b.body);
        // A missing blob is an incomplete entry (a push that died between the blobs and... never: the manifest is last;
        // so someone deleted it): nothing is trusted either way.
        const where = corrupt?.body ? await keep(corrupt.body, `${corrupt.file}.${key.slice(0, 12)}`) : undefined;
        if (!corrupt) badObjects.add(entryName(key));
        return { state: "refused", reason: bad.map((b) => b.reason).join("; "), quarantined: where };
      }
      await writeFile(join(temp, "record.json"), manifest);
      await mkdir(paths.cacheDir, { recursive: true });
      const dest = join(paths.cacheDir, key);
      const existing = await loadCacheRecord(paths, key);
      if (existing.state === "ok") return { state: "local" };
      if (existing.state === "corrupt") await quarantine(paths, dest);
      await rename(temp, dest);
      if (options.hasher) for (const o of outputs) await options.hasher.recordWritten(join(cacheOutDir(paths, key), o.file), o.sha256);
      return { state: "pulled", blobs: outputs.length, bytes };
    } finally {
      await rm(temp, { recursive: true, force: true });
    }
  };

  return {
    url: options.url,
    pull(key) {
      // Two tasks asking for one key (never, today) share one download.
      let p = inFlight.get(key);
      if (!p) { p = pullOnce(key).finally(() => inFlight.delete(key)); inFlight.set(key, p); }
      return p;
    },
    has: async (key) => (await store.size(entryName(key))) !== undefined,
    async push(record) {
      const manifestName = entryName(record.key);
      const outputs = Object.values(record.entry.outputs);
      const suspect = badObjects.has(manifestName) || outputs.some((o) => badObjects.has(blobName(o.sha256)));
      if (!suspect && await store.size(manifestName) !== undefined) return { state: "present" };
      const dir = cacheOutDir(paths, record.key);
      let blobs = 0, skipped = 0, bytes = 0;
      await mapLimit(outputs, transfers, async (o) => {
        const name = blobName(o.sha256);
        // A blob of the right size is taken as there (a truncated one left by a killed upload is not); a flipped byte
        // of the same size is caught by every pull's sha256 check, which marks it for the next push.
        if (!badObjects.has(name) && await store.size(name) === o.bytes) { skipped++; return; }
        const body = await readFile(join(dir, o.file));
        // Never upload what the record does not say: a local file changed since it was verified stays local.
        if (sha256(body) !== o.sha256) throw new Error(`${join(dir, o.file)}: does not match its record (sha256 ${o.sha256.slice(0, 12)}…); not pushed (run \`cofail run\` to recompute it)`);
        await store.put(name, body);
        badObjects.delete(name);
        blobs++; bytes += body.length;
      });
      // Last: the manifest, which makes the entry visible (and trusted, after verification) to every other machine.
      await store.put(manifestName, Buffer.from(JSON.stringify(record, null, 2) + "\n"));
      badObjects.delete(manifestName);
      return { state: "pushed", blobs, skipped, bytes };
    },
    close: () => store.close(),
  };
}

/** The configured remote cache of a project, opened; undefined when none is configured. */
export async function openRemote(options: { paths: ProjectPaths; specRemote?: string; transfers?: number; hasher?: FileHasher }): Promise<RemoteCache | undefined> {
  const loc = configuredRemote(options.specRemote);
  if (!loc) return undefined;
  return remoteCache({ paths: options.paths, store: await s3Store(loc), hasher: options.hasher, transfers: options.transfers, url: loc.url });
}

export function formatBytes(n: number): string {
  return n < 1024 ? `${n} B` : n < 1 << 20 ? `${(n / 1024).toFixed(1)} KiB` : n < 1 << 30 ? `${(n / (1 << 20)).toFixed(1)} MiB` : `${(n / (1 << 30)).toFixed(2)} GiB`;
}
