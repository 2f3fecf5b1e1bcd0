// `cofail explain`: from a result id or an output file down to the raw files, through the cache records
// of every upstream task (stage, key, code, params, inputs), ending at dataset URLs and sha256.
import { relative, resolve, sep } from "node:path";
import { projectPaths, readCacheRecord } from "./cache.js";
import { lockEntries, readLockFile, type LockEntry } from "./lockfile.js";
import { readRegistry } from "./registry.js";

export async function explain(options: { projectDir: string; what: string }): Promise<string> {
  const paths = projectPaths(options.projectDir);
  const lock = await readLockFile(paths.lockFile);
  const lines: string[] = [];
  let start: { key: string; label: string } | undefined;
  const result = (await readRegistry(paths)).find((r) => r.id === options.what);
  if (result) {
    const ci = result.ci ? ` [${result.ci.lower}, ${result.ci.upper}] (${result.ci.level * 100}% ${result.ci.method ?? "CI"})` : "";
    lines.push(`result ${result.id} = ${result.value}${ci}${result.description ? ` — ${result.description}` : ""}`);
    lines.push(`published by stage ${result.stage} (key ${result.key.slice(0, 12)})`);
    start = { key: result.key, label: result.stage };
  } else {
    const rel = relative(paths.buildDir, resolve(options.projectDir, options.what)).split(sep);
    if (rel[0] && !rel[0].startsWith("..")) {
      for (const { stage, partition, entry } of lockEntries(lock)) {
        const file = partition === undefined ? rel.slice(1).join("/") : rel.slice(2).join("/");
        if (rel[0] === stage && (partition === undefined || rel[1] === partition) && Object.values(entry.outputs).some((o) => o.file === file)) {
          const out = Object.values(entry.outputs).find((o) => o.file === file)!;
          lines.push(`file ${options.what}: sha256 ${out.sha256}, ${out.bytes} bytes`);
          start = { key: entry.key, label: partition === undefined ? stage : `${stage}[${partition}]` };
        }
      }
    }
  }
  if (!start) throw new Error(`"${options.what}" is neither a result id in build/registry.json nor an output file recorded in cofail.lock`);
  const seen = new Set<string>();
  const walk = async (key: string, depth: number) => {
    const pad = "  ".repeat(depth);
    const rec = await readCacheRecord(paths, key);
    if (!rec) { lines.push(`${pad}(run-cache entry ${key.slice(0, 12)} missing: run \`cofail run\`)`); return; }
    const e: LockEntry = rec.entry;
    const label = rec.partition === undefined ? rec.stage : `${rec.stage}[${rec.partition}]`;
    lines.push(`${pad}stage ${label}  type ${e.type}  key ${key.slice(0, 12)}  seed ${e.seed}`);
    if (seen.has(key)) { lines.push(`${pad}  (see above)`); return; }
    seen.add(key);
    lines.push(`${pad}  code: ${Object.entries(e.code).map(([f, h]) => `${f}@${h.slice(0, 8)}`).join(", ")}`);
    if (Object.keys(e.packages).length) lines.push(`${pad}  packages: ${Object.entries(e.packages).map(([p, v]) => `${p}@${v}`).join(", ")}`);
    if (Object.keys(e.params).length) lines.push(`${pad}  params: ${JSON.stringify(e.params)}`);
    for (const [name, items] of Object.entries(e.inputs)) {
      for (const it of items) {
        if (it.upstreamKey) {
          lines.push(`${pad}  input ${name} <- ${it.name} (sha256 ${it.sha256.slice(0, 12)})`);
          await walk(it.upstreamKey, depth + 2);
        } else {
          lines.push(`${pad}  input ${name} <- raw file ${it.name}`);
          lines.push(`${pad}      sha256 ${it.sha256}${it.url ? `\n${pad}      url ${it.url}` : ""}`);
        }
      }
    }
  };
  await walk(start.key, 0);
  return lines.join("\n");
}
