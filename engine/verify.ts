// `cofail explain <what> --verify`: walk the provenance chain of a result (or output file) down to the raw
// files and RE-HASH everything on the way — each stage run's cached outputs (.cofail/cache/<key>/out/), the
// workspace copies in build/ of the runs the lock points at, every upstream output a stage read (against what
// it recorded), local raw files (against the hash the run recorded) and downloaded dataset files (against
// the manifest's sha256). Hashes are computed afresh: the stat cache is bypassed, since a tampered file may
// keep its size and mtime. Any mismatch is a problem and makes the command exit non-zero.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { cacheOutDir, projectPaths, readCacheRecord, workspaceDir } from "./cache.js";
import { lockEntries, lockEntryOf, readLockFile, upstreamOf } from "./lockfile.js";
import { readStamps, stampBytes, stampPath } from "./stamp.js";
import type { ManifestEntry } from "./manifest.js";
import { readRegistry } from "./registry.js";

export interface VerifyReport {
  /** Files re-hashed. */
  checked: number;
  problems: string[];
  lines: string[];
}

export interface VerifyOptions {
  projectDir: string;
  what: string;
  /** From pipeline.yaml's `data:` (defaults as in engine/spec.ts). */
  data?: { manifest: string; downloads: string };
}

function sha256(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function hashFile(path: string): Promise<string | undefined> {
  return new Promise((res) => {
    const h = createHash("sha256");
    createReadStream(path).on("data", (c) => h.update(c)).on("error", () => res(undefined)).on("end", () => res(h.digest("hex")));
  });
}

export async function verifyChain(options: VerifyOptions): Promise<VerifyReport> {
  const paths = projectPaths(options.projectDir);
  const data = options.data ?? { manifest: "data/manifest.json", downloads: "data/downloads" };
  const lock = await readLockFile(paths.lockFile);
  const stamps = await readStamps(paths);
  const report: VerifyReport = { checked: 0, problems: [], lines: [] };
  const problem = (m: string) => { report.problems.push(m); report.lines.push(`  MISMATCH ${m}`); };
  const check = async (label: string, path: string, expected: string): Promise<boolean> => {
    report.checked++;
    const got = await hashFile(path);
    if (got === expected) return true;
    problem(`${label}: ${got ? `sha256 ${got.slice(0, 12)}…, expected ${expected.slice(0, 12)}…` : "missing"} (${relative(options.projectDir, path) || path})`);
    return false;
  };
  let manifest: Map<string, ManifestEntry> | undefined;
  const manifestEntry = async (name: string) => {
    if (!manifest) {
      manifest = new Map();
      try {
        const m = JSON.parse(await readFile(resolve(options.projectDir, data.manifest), "utf8")) as { files: ManifestEntry[] };
        for (const e of m.files) manifest.set(e.path, e);
      } catch { /* no manifest: dataset files cannot be checked against it */ }
    }
    return manifest.get(name);
  };

  // Where the walk starts: a registry id (checked against the cached results.json) or a build/ output file.
  let start: string | undefined;
  const result = (await readRegistry(paths)).find((r) => r.id === options.what);
  if (result) {
    start = result.key;
    const rec = await readCacheRecord(paths, result.key);
    const res = rec?.entry.outputs.results;
    report.lines.push(`result ${result.id} = ${result.value} (stage ${result.stage}, key ${result.key.slice(0, 12)})`);
    if (rec && res && await check(`results of ${result.stage} in the run-cache`, join(cacheOutDir(paths, result.key), res.file), res.sha256)) {
      const published = JSON.parse(await readFile(join(cacheOutDir(paths, result.key), res.file), "utf8")) as { id: string; value: number }[];
      const p = published.find((x) => x.id === result.id);
      if (!p || !Object.is(p.value, result.value)) problem(`build/registry.json says ${result.id} = ${result.value}, the stage run published ${p ? p.value : "no such id"}`);
    }
  } else {
    const rel = relative(paths.buildDir, resolve(options.projectDir, options.what)).split(sep);
    for (const { stage, partition, entry } of lockEntries(lock)) {
      const file = partition === undefined ? rel.slice(1).join("/") : rel.slice(2).join("/");
      if (rel[0] === stage && (partition === undefined || rel[1] === partition) && Object.values(entry.outputs).some((o) => o.file === file)) start = entry.key;
    }
  }
  if (!start) throw new Error(`"${options.what}" is neither a result id in build/registry.json nor an output file recorded in cofail.lock`);

  const seen = new Set<string>();
  const walk = async (key: string, depth: number): Promise<void> => {
    if (seen.has(key)) return;
    seen.add(key);
    const rec = await readCacheRecord(paths, key);
    if (!rec) { problem(`run-cache entry ${key.slice(0, 12)} is missing (record.json)`); return; }
    const label = rec.partition === undefined ? rec.stage : `${rec.stage}[${rec.partition}]`;
    const before = report.problems.length;
    const outs = Object.values(rec.entry.outputs);
    for (const o of outs) await check(`cached output ${label}/${o.file}`, join(cacheOutDir(paths, key), o.file), o.sha256);
    // The workspace holds the outputs of the runs the lock points at; older runs live only in the cache.
    const current = lockEntryOf(lock, rec.stage, rec.partition)?.key === key;
    if (current) {
      for (const o of outs) {
        // A commit-stamped copy must be exactly the cached file with the commit it records written in (engine/stamp.ts).
        const stamp = stamps[stampPath(rec.stage, rec.partition, o.file)];
        let expected = o.sha256;
        if (stamp && stamp.key === key) {
          const cached = await readFile(join(cacheOutDir(paths, key), o.file)).catch(() => undefined);
          if (cached) expected = sha256(stampBytes(cached, stamp.commit));
        }
        await check(`workspace copy build/${rec.stage}${rec.partition === undefined ? "" : `/${rec.partition}`}/${o.file}${stamp && stamp.key === key ? ` (stamped ${stamp.commit})` : ""}`, join(workspaceDir(paths, rec.stage, rec.partition), o.file), expected);
      }
    }
    const n = report.problems.length - before;
    report.lines.push(`${"  ".repeat(depth)}${n ? "FAIL" : "ok  "} stage ${label} (key ${key.slice(0, 12)}): ${outs.length} cached output(s)${current ? " + workspace copies" : ""} re-hashed`);
    for (const [input, items] of Object.entries(rec.entry.inputs)) {
      for (const it of items) {
        const up = upstreamOf(lock, it);
        if (up) {
          const from = up.partition === undefined ? up.stage : `${up.stage}[${up.partition}]`;
          if (!up.entry) { problem(`${label} read ${it.name}, but cofail.lock has no run of ${from}`); continue; }
          const out = up.entry.outputs[it.ref.slice(it.ref.lastIndexOf(".") + 1)];
          if (!up.matches) problem(`${label} read ${it.name} with sha256 ${it.sha256.slice(0, 12)}…, but cofail.lock's run of ${from} recorded ${out ? `${out.sha256.slice(0, 12)}…` : "no such output"}`);
          await walk(up.entry.key, depth + 1);
          continue;
        }
        const pad = "  ".repeat(depth + 1);
        const entry = it.url || it.ref.startsWith("dataset:") ? await manifestEntry(it.name) : undefined;
        if (it.url && !entry) { problem(`raw file ${it.name} (input ${input} of ${label}) is not in ${data.manifest}`); continue; }
        if (entry) {
          if (entry.sha256 !== it.sha256) problem(`raw file ${it.name}: the run read sha256 ${it.sha256.slice(0, 12)}…, the manifest now pins ${entry.sha256.slice(0, 12)}…`);
          const copy = join(resolve(options.projectDir, data.downloads), entry.path);
          const b = report.problems.length;
          const got = await hashFile(copy);
          if (got === undefined) { report.lines.push(`${pad}skip raw ${it.name}: not downloaded (run \`cofail data\`), pinned sha256 ${entry.sha256.slice(0, 12)}…`); continue; }
          report.checked++;
          if (got !== entry.sha256) problem(`downloaded raw file ${it.name}: sha256 ${got.slice(0, 12)}…, manifest pins ${entry.sha256.slice(0, 12)}… (${relative(options.projectDir, copy)})`);
          report.lines.push(`${pad}${report.problems.length > b ? "FAIL" : "ok  "} raw ${it.name} (manifest sha256 ${entry.sha256.slice(0, 12)}…, ${entry.url ?? entry.note ?? "mirror only"})`);
        } else {
          const b = report.problems.length;
          await check(`local raw file ${it.name}`, resolve(options.projectDir, it.name), it.sha256);
          report.lines.push(`${pad}${report.problems.length > b ? "FAIL" : "ok  "} raw ${it.name} (local file, sha256 ${it.sha256.slice(0, 12)}…)`);
        }
      }
    }
  };
  await walk(start, 0);
  report.lines.push(report.problems.length
    ? `verify: ${report.problems.length} mismatch(es) among ${report.checked} files re-hashed`
    : `verify: all ${report.checked} files re-hashed match their records`);
  return report;
}
