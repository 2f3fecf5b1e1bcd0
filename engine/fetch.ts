// Materialises manifest files as verified local copies: from a local mirror (gunzipped when stored
// compressed) or by downloading the pinned URL. Content is hashed while it streams to a temp file, and
// only a copy whose sha256 matches the manifest is renamed into place, so a failed or interrupted fetch
// never replaces (or leaves behind) a partial or wrong file.
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import type { ManifestEntry } from "./manifest.js";
import type { InputFile } from "./types.js";

export interface MaterializeOptions {
  /** Mirror directory holding `entry.mirror` paths; undefined or "" means download from `entry.url`. */
  mirror?: string;
  /** Where verified copies land (relative to projectDir unless absolute). */
  downloadsDir: string;
  projectDir: string;
  /** Injected fetch (tests); defaults to the global fetch. */
  fetchImpl?: typeof fetch;
}

/** Name of the stat cache kept in downloadsDir: path -> size/mtime/inode of a copy already verified. */
export const VERIFIED_FILE = ".verified.json";

interface VerifiedStat { size: number; mtimeMs: number; ctimeMs?: number; ino: number; sha256: string }
type VerifiedCache = Record<string, VerifiedStat>;

export async function materializeFile(entry: ManifestEntry, options: MaterializeOptions): Promise<InputFile> {
  const downloads = resolve(options.projectDir, options.downloadsDir);
  const dest = join(downloads, entry.path);
  const result: InputFile = {
    name: entry.path,
    path: dest,
    sha256: entry.sha256,
    url: entry.url ?? undefined,
    meta: { dataset: entry.dataset, license: entry.license, source_repo: entry.source_repo, commit: entry.commit, bytes: entry.bytes },
  };

  const existing = await statOrUndefined(dest);
  if (existing) {
    const cached = (await readVerified(downloads))[entry.path];
    if (cached && cached.sha256 === entry.sha256 && sameStat(cached, existing)) return result;
    // A copy without (or with a stale) cache entry: hashing it is cheaper than fetching it again.
    if (existing.size === entry.bytes && (await hashFile(dest)) === entry.sha256) {
      await recordVerified(downloads, entry.path, entry.sha256, dest);
      return result;
    }
  }

  await mkdir(dirname(dest), { recursive: true });
  const tmp = `${dest}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  let source: string;
  try {
    const hasher = hashingPassThrough();
    if (options.mirror) {
      const from = resolve(options.projectDir, options.mirror, entry.mirror);
      source = from;
      if (!(await statOrUndefined(from))) {
        throw new Error(`data file ${entry.path} is not in the mirror: ${from} does not exist (mirror ${options.mirror})`);
      }
      if (entry.gzip) await pipeline(createReadStream(from), createGunzip(), hasher.stream, createWriteStream(tmp));
      else await pipeline(createReadStream(from), hasher.stream, createWriteStream(tmp));
    } else {
      if (entry.url === null) {
        throw new Error(`data file ${entry.path} has no source URL (${entry.note ?? "compiled for the data mirror"}): set data.mirror in pipeline.yaml or COFAIL_DATA_MIRROR to a copy of the mirror`);
      }
      source = entry.url;
      const body = await download({ ...entry, url: entry.url }, options.fetchImpl ?? fetch);
      await pipeline(body, hasher.stream, createWriteStream(tmp));
    }
    const actual = hasher.digest();
    if (actual !== entry.sha256) {
      throw new Error(`sha256 mismatch for ${entry.path} (from ${source}): expected ${entry.sha256}, got ${actual}`);
    }
    await rename(tmp, dest);
  } catch (e) {
    await rm(tmp, { force: true });
    if (e instanceof Error && /sha256 mismatch|not in the mirror|download of|has no source URL/.test(e.message)) throw e;
    throw new Error(`cannot materialise data file ${entry.path}: ${(e as Error).message}`, { cause: e });
  }
  await recordVerified(downloads, entry.path, entry.sha256, dest);
  return result;
}

/** Materialises many files, at most `concurrency` at a time; results in the order of `entries`. */
export async function materializeAll(
  entries: ManifestEntry[],
  options: MaterializeOptions & { concurrency?: number; onProgress?: (done: number, total: number, name: string) => void },
): Promise<InputFile[]> {
  const limit = Math.max(1, options.concurrency ?? 4);
  const out: InputFile[] = new Array(entries.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < entries.length) {
      const i = next++;
      out[i] = await materializeFile(entries[i]!, options);
      options.onProgress?.(++done, entries.length, entries[i]!.path);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, entries.length) }, worker));
  return out;
}

async function download(entry: ManifestEntry & { url: string }, fetchImpl: typeof fetch): Promise<Readable> {
  let res: Response;
  try {
    res = await fetchImpl(entry.url);
  } catch (e) {
    throw new Error(`download of ${entry.path} from ${entry.url} failed: ${(e as Error).message}`, { cause: e });
  }
  if (!res.ok || !res.body) {
    throw new Error(`download of ${entry.path} from ${entry.url} failed: HTTP ${res.status} ${res.statusText}`.trimEnd());
  }
  return Readable.fromWeb(res.body as import("node:stream/web").ReadableStream);
}

function hashingPassThrough(): { stream: Transform; digest(): string } {
  const h = createHash("sha256");
  const stream = new Transform({
    transform(chunk, _enc, cb) {
      h.update(chunk);
      cb(null, chunk);
    },
  });
  return { stream, digest: () => h.digest("hex") };
}

async function hashFile(path: string): Promise<string> {
  const h = createHash("sha256");
  await pipeline(createReadStream(path), async function* (src) {
    for await (const chunk of src) h.update(chunk as Buffer);
  });
  return h.digest("hex");
}

async function statOrUndefined(path: string) {
  try {
    const st = await stat(path);
    return st.isFile() ? st : undefined;
  } catch {
    return undefined;
  }
}

// ctime too: any write moves it (and userland cannot set it back), so a copy edited in place is re-hashed.
function sameStat(a: VerifiedStat, b: { size: number; mtimeMs: number; ctimeMs: number; ino: number }): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino;
}

async function readVerified(downloads: string): Promise<VerifiedCache> {
  try {
    return JSON.parse(await readFile(join(downloads, VERIFIED_FILE), "utf8")) as VerifiedCache;
  } catch {
    return {}; // absent or unreadable: the cache is only an optimisation, everything gets re-hashed
  }
}

// Updates of the stat cache are serialised per directory (read-merge-write), so concurrent
// materialisations in one process do not drop each other's entries.
const writeChains = new Map<string, Promise<void>>();

function recordVerified(downloads: string, path: string, sha256: string, dest: string): Promise<void> {
  const prior = writeChains.get(downloads) ?? Promise.resolve();
  const next = prior.then(async () => {
    const st = await stat(dest);
    const cache = await readVerified(downloads);
    cache[path] = { size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino, sha256 };
    const sorted = Object.fromEntries(Object.keys(cache).sort().map((k) => [k, cache[k]!]));
    const file = join(downloads, VERIFIED_FILE);
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    await writeFile(tmp, JSON.stringify(sorted, null, 1) + "\n");
    await rename(tmp, file);
  });
  const settled = next.catch(() => undefined);
  writeChains.set(downloads, settled);
  return next;
}
