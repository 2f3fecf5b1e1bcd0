// `cofail explain`: from a result id or an output file down to the raw files, through the lock entries of every
// upstream run (stage, key, code, params, inputs), ending at dataset URLs and sha256. The chain is read from
// cofail.lock (each input names the stage and partition it came from and its content hash), so it needs no
// run-cache; a run no longer in the lock is read from its run-cache record.
import { relative, resolve, sep } from "node:path";
import { projectPaths, readCacheRecord } from "./cache.js";
import { UsageError } from "./errors.js";
import { lockEntries, readLockFile, upstreamOf, type LockEntry, type LockFile } from "./lockfile.js";
import { readRegistry } from "./registry.js";
import { didYouMean } from "./suggest.js";
import type { ResultRecord } from "./types.js";

export interface ExplainInput {
  /** Input name in the stage. */
  input: string;
  ref: string;
  /** Logical file name (manifest path, local path, or <stage>[/<partition>]/<file>). */
  name: string;
  sha256: string;
  url?: string;
  /** Label of the upstream run that wrote it (stage outputs only). */
  from?: string;
  /** Set when the lock's run of the upstream stage is missing or wrote other content (the reader is stale). */
  stale?: string;
}

export interface ExplainRun {
  label: string;
  stage: string;
  partition?: string;
  /** Stage levels above the run that published the number (0 = that run). */
  level: number;
  type: string;
  key: string;
  seed: number;
  code: Record<string, string>;
  packages: Record<string, string>;
  params: Record<string, unknown>;
  inputs: ExplainInput[];
}

export interface Explanation {
  what: string;
  result?: ResultRecord;
  file?: { path: string; sha256: string; bytes: number };
  /** Every run on the chain once, breadth-first (by level). */
  runs: ExplainRun[];
  /** Raw (dataset or local) files at the end of the chain, sorted by name. */
  rawFiles: { name: string; sha256: string; url?: string }[];
  /** Number of stage levels on the chain. */
  levels: number;
}

const label = (stage: string, partition?: string) => (partition === undefined ? stage : `${stage}[${partition}]`);

export async function explainChain(options: { projectDir: string; what: string }): Promise<Explanation> {
  const paths = projectPaths(options.projectDir);
  const lock = await readLockFile(paths.lockFile);
  const registry = await readRegistry(paths);
  const out: Explanation = { what: options.what, runs: [], rawFiles: [], levels: 0 };
  let start: { stage: string; partition?: string; entry: LockEntry } | undefined;
  const result = registry.find((r) => r.id === options.what);
  if (result) {
    out.result = result;
    start = lockEntries(lock).find((e) => e.stage === result.stage && e.entry.key === result.key);
    if (!start) {
      const rec = await readCacheRecord(paths, result.key);
      if (rec) start = { stage: rec.stage, partition: rec.partition, entry: rec.entry };
    }
    if (!start) throw new Error(`${result.id} was published by ${result.stage} (key ${result.key.slice(0, 12)}), a run that is neither in cofail.lock nor in the run-cache: run \`cofail run\``);
  } else {
    const rel = relative(paths.buildDir, resolve(options.projectDir, options.what)).split(sep);
    for (const e of lockEntries(lock)) {
      const file = e.partition === undefined ? rel.slice(1).join("/") : rel.slice(2).join("/");
      const o = Object.values(e.entry.outputs).find((x) => x.file === file);
      if (rel[0] === e.stage && (e.partition === undefined || rel[1] === e.partition) && o) {
        out.file = { path: options.what, sha256: o.sha256, bytes: o.bytes };
        start = e;
      }
    }
  }
  if (!start) throw new UsageError(unknownWhat(options.what, registry, lock));

  const queued = new Set<string>([label(start.stage, start.partition)]);
  const raw = new Map<string, { name: string; sha256: string; url?: string }>();
  const queue: { stage: string; partition?: string; entry: LockEntry; level: number }[] = [{ ...start, level: 0 }];
  while (queue.length) {
    const { stage, partition, entry, level } = queue.shift()!;
    const inputs: ExplainInput[] = [];
    for (const [input, items] of Object.entries(entry.inputs)) {
      for (const it of items) {
        const base: ExplainInput = { input, ref: it.ref, name: it.name, sha256: it.sha256, ...(it.url ? { url: it.url } : {}) };
        const up = upstreamOf(lock, it);
        if (!up) {
          inputs.push(base);
          raw.set(`${it.name}\0${it.sha256}`, { name: it.name, sha256: it.sha256, ...(it.url ? { url: it.url } : {}) });
          continue;
        }
        const from = label(up.stage, up.partition);
        if (!up.entry) { inputs.push({ ...base, from, stale: `no run of ${from} in cofail.lock` }); continue; }
        inputs.push({ ...base, from, ...(up.matches ? {} : { stale: `cofail.lock's run of ${from} (key ${up.entry.key.slice(0, 12)}) wrote other content since` }) });
        if (!queued.has(from)) {
          queued.add(from);
          queue.push({ stage: up.stage, partition: up.partition, entry: up.entry, level: level + 1 });
        }
      }
    }
    const run: ExplainRun = {
      label: label(stage, partition), stage, ...(partition !== undefined ? { partition } : {}), level,
      type: entry.type, key: entry.key, seed: entry.seed, code: entry.code, packages: entry.packages, params: entry.params, inputs,
    };
    out.runs.push(run);
    out.levels = Math.max(out.levels, level + 1);
  }
  out.rawFiles = [...raw.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return out;
}

function unknownWhat(what: string, registry: ResultRecord[], lock: LockFile): string {
  const files = lockEntries(lock).flatMap(({ stage, partition, entry }) =>
    Object.values(entry.outputs).map((o) => `build/${stage}${partition === undefined ? "" : `/${partition}`}/${o.file}`));
  const looksLikeFile = what.includes("/");
  const hint = didYouMean(what, looksLikeFile ? files : registry.map((r) => r.id));
  const where = registry.length ? "build/registry.json" : "build/registry.json (not built here yet: run `cofail run`)";
  return `"${what}" is neither a result id in ${where} nor an output file recorded in cofail.lock${hint}`;
}

/** The runs up to `depth` levels above the publishing run (all when depth is Infinity), for --json. */
export function limitDepth(e: Explanation, depth: number): Explanation {
  return { ...e, runs: e.runs.filter((r) => r.level <= depth) };
}

function resultLine(r: ResultRecord): string {
  const ci = r.ci ? ` [${r.ci.lower}, ${r.ci.upper}] (${r.ci.level * 100}% ${r.ci.method ?? "CI"})` : "";
  return `result ${r.id} = ${r.value}${ci}${r.description ? ` — ${r.description}` : ""}`;
}

function headLines(e: Explanation): string[] {
  const lines: string[] = [];
  const start = e.runs[0]!;
  if (e.result) {
    lines.push(resultLine(e.result));
    lines.push(`published by stage ${e.result.stage} (key ${e.result.key.slice(0, 12)})`);
  } else if (e.file) {
    lines.push(`file ${e.file.path}: sha256 ${e.file.sha256}, ${e.file.bytes} bytes (as cached) — written by ${start.label}`);
  }
  return lines;
}

function more(xs: string[], n: number): string {
  return xs.length <= n ? xs.join(", ") : `${xs.slice(0, n).join(", ")} and ${xs.length - n} more`;
}

/** Inputs grouped by name: "table <- grade-math-l5 (43 partitions)", "figures <- 14 stages: fig-a, fig-b, ...". */
function inputGroups(run: ExplainRun): string[] {
  const groups = new Map<string, ExplainInput[]>();
  for (const i of run.inputs) groups.set(i.input, [...(groups.get(i.input) ?? []), i]);
  return [...groups].map(([name, g]) => {
    const stale = g.some((x) => x.stale) ? " (stale: upstream changed since)" : "";
    const raw = g.filter((x) => !x.from);
    const stages = [...new Set(g.flatMap((x) => (x.from ? [x.from.replace(/\[.*\]$/, "")] : [])))];
    const parts: string[] = [];
    if (raw.length === 1) parts.push(`raw file ${raw[0]!.name}`);
    else if (raw.length) parts.push(`${raw.length} raw files of ${more([...new Set(raw.map((x) => x.ref))], 2)}`);
    const fromStages = g.filter((x) => x.from);
    if (stages.length === 1 && fromStages.length === 1) parts.push(`${fromStages[0]!.from} (${fromStages[0]!.name}, sha256 ${fromStages[0]!.sha256.slice(0, 12)})`);
    else if (stages.length === 1) parts.push(`${stages[0]} (${fromStages.length} partitions)`);
    else if (stages.length) parts.push(`${stages.length} stages: ${more(stages, 3)}`);
    return `${name} <- ${parts.join(" + ")}${stale}`;
  });
}

/**
 * One screen: the number, the run that published it (code, params, inputs), one line per level of the chain
 * (stages with their partition counts), the raw files, and how to see more.
 */
export function summaryText(e: Explanation): string {
  const start = e.runs[0]!;
  const lines = headLines(e);
  const files = Object.entries(start.code);
  lines.push(`stage ${start.label}  type ${start.type}  key ${start.key.slice(0, 12)}  seed ${start.seed}`);
  lines.push(`  code: ${more(files.map(([f, h]) => `${f}@${h.slice(0, 8)}`), 3)}`);
  if (Object.keys(start.params).length) {
    const p = JSON.stringify(start.params);
    lines.push(`  params: ${p.length > 200 ? `${p.slice(0, 197)}...` : p}`);
  }
  const groups = inputGroups(start);
  for (const g of groups.slice(0, 6)) lines.push(`  input ${g}`);
  if (groups.length > 6) lines.push(`  ... and ${groups.length - 6} more inputs`);
  for (let level = 1; level < e.levels; level++) {
    const stages = new Map<string, number>();
    for (const r of e.runs) if (r.level === level) stages.set(r.stage, (stages.get(r.stage) ?? 0) + 1);
    const names = [...stages].map(([s, n]) => (n > 1 ? `${s} (${n} partitions)` : s));
    lines.push(`upstream ${level}: ${more(names, 4)}`);
  }
  const byRef = new Map<string, number>();
  for (const r of e.runs) for (const i of r.inputs) if (!i.from) byRef.set(i.ref, (byRef.get(i.ref) ?? 0) + 1);
  if (e.rawFiles.length) {
    const example = e.rawFiles[0]!;
    lines.push(`raw files: ${e.rawFiles.length} (${more([...byRef.keys()].sort(), 4)}), e.g. ${example.name} sha256 ${example.sha256.slice(0, 12)}${example.url ? ` ${example.url}` : ""}`);
  }
  const stale = e.runs.filter((r) => r.inputs.some((i) => i.stale)).length;
  if (stale) lines.push(`warning: ${stale} run(s) on the chain read content the lock no longer records (\`cofail status\` says why)`);
  lines.push(`chain: ${e.runs.length} stage run(s) on ${e.levels} level(s), ${e.rawFiles.length} raw file(s); --depth N for every run N levels up (--depth all for the whole chain), --json for scripts, --verify to re-hash it`);
  return lines.join("\n");
}

/** Every run up to `depth` levels up, indented by level, each run once (later mentions say "see above"). */
export function chainText(e: Explanation, depth: number): string {
  const lines = headLines(e);
  const byLabel = new Map(e.runs.map((r) => [r.label, r]));
  const printed = new Set<string>();
  const walk = (run: ExplainRun, indent: number) => {
    const pad = "  ".repeat(indent);
    lines.push(`${pad}stage ${run.label}  type ${run.type}  key ${run.key.slice(0, 12)}  seed ${run.seed}`);
    if (printed.has(run.label)) { lines.push(`${pad}  (see above)`); return; }
    printed.add(run.label);
    lines.push(`${pad}  code: ${Object.entries(run.code).map(([f, h]) => `${f}@${h.slice(0, 8)}`).join(", ")}`);
    if (Object.keys(run.packages).length) lines.push(`${pad}  packages: ${Object.entries(run.packages).map(([p, v]) => `${p}@${v}`).join(", ")}`);
    if (Object.keys(run.params).length) lines.push(`${pad}  params: ${JSON.stringify(run.params)}`);
    for (const i of run.inputs) {
      if (!i.from) {
        lines.push(`${pad}  input ${i.input} <- raw file ${i.name}`);
        lines.push(`${pad}      sha256 ${i.sha256}${i.url ? `\n${pad}      url ${i.url}` : ""}`);
        continue;
      }
      lines.push(`${pad}  input ${i.input} <- ${i.name} (sha256 ${i.sha256.slice(0, 12)})${i.stale ? ` — ${i.stale}` : ""}`);
      const up = byLabel.get(i.from);
      if (!up) continue;
      if (up.level <= depth) walk(up, indent + 2);
    }
  };
  walk(e.runs[0]!, 0);
  const beyond = e.runs.filter((r) => r.level > depth).length;
  if (beyond) lines.push(`... ${beyond} more stage run(s) further up (--depth ${depth + 1}, or --depth all)`);
  return lines.join("\n");
}

/** The text of `cofail explain`: a one-screen summary, or the runs up to `depth` levels up. */
export async function explain(options: { projectDir: string; what: string; depth?: number }): Promise<string> {
  const e = await explainChain(options);
  return options.depth === undefined ? summaryText(e) : chainText(e, options.depth);
}
