// Builds data/manifest.json from the shared raw-data mirror: one entry per raw file cofail reads, with
// the source URL pinned to a commit and the sha256/size of the UNCOMPRESSED bytes (the mirror gzips some
// files only to fit its budget; the hash must match what the source serves).
// Run: node --import tsx data/make-manifest.ts [mirrorDir] [outFile]
// Every dataset folder has a manifest.json except livecodebench-codegen: its files are hashed here and
// their source repository/commit are read from the folder name (`<date>_<commit8>`, `<commit8>`) and
// resolved to full commits listed in its README. Files a folder compiled itself (its manifest's `derived` list, or
// a manifest without a source repository, like gsm8k-errata) have no source URL: only the mirror holds them, and
// the entry says how they were made.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";

export interface ManifestFile {
  path: string;
  mirror: string;
  gzip: boolean;
  url: string | null;
  sha256: string;
  bytes: number;
  license: string;
  dataset: string;
  source_repo: string | null;
  commit: string | null;
  note?: string;
}

/**
 * Licence per source repository, condensed from each dataset README's "license" row (the README is the
 * authority; `licenseOf` checks that the README still says so, so a changed README fails loudly).
 */
const LICENSES: Record<string, { license: string; readmeSays: string }> = {
  "WildEval/ZeroEval": { license: "Apache-2.0", readmeSays: "Apache License 2.0" },
  "nikhilchandak/answer-matching": { license: "none (no LICENSE file)", readmeSays: "no top-level LICENSE file" },
  "HaveFunWithAI/gpqa_diamond_exp": { license: "none (no LICENSE file)", readmeSays: "no LICENSE file" },
  "kuk/simple-evals-ru": { license: "MIT", readmeSays: "**MIT**" },
  "eth-sri/matharena.ai": { license: "MIT", readmeSays: "**MIT**" },
  "LiveCodeBench/livecodebench.github.io": { license: "CC-BY-SA-4.0", readmeSays: "CC BY-SA 4.0" },
  "LiveCodeBench/submissions": { license: "MIT", readmeSays: "MIT (LICENSE file)" },
  "josefchen/co-failure-ceiling": { license: "CC-BY-4.0 (data and paper text; code MIT)", readmeSays: "Data and paper text: CC BY 4.0" },
};

/** Licence of folders compiled for the mirror from several sources (no single source repository). */
const COMPILED_LICENSES: Record<string, { license: string; readmeSays: string }> = {
  "gsm8k-errata": { license: "compiled from MIT, CC-BY-4.0 and unlicensed sources (per row, see README)", readmeSays: "| source | what | license | rows |" },
};

function licenseOf(repo: string, readme: string, dataset: string): string {
  const known = LICENSES[repo];
  if (!known) throw new Error(`make-manifest: no licence recorded for ${repo} (dataset ${dataset})`);
  if (!readme.includes(known.readmeSays)) {
    throw new Error(`make-manifest: ${dataset}/README.md no longer says "${known.readmeSays}" for ${repo}`);
  }
  return known.license;
}

/** `https://github.com/owner/repo` -> `owner/repo`. */
function repoSlug(sourceRepo: string): string {
  const m = /github\.com\/([^/]+\/[^/]+?)(?:\.git)?\/?$/.exec(sourceRepo);
  if (!m) throw new Error(`make-manifest: not a GitHub repository URL: ${sourceRepo}`);
  return m[1]!;
}

/** Raw URL pinned to a commit; each path segment percent-encoded (spaces, parentheses, @). */
export function rawGitHubUrl(repo: string, commit: string, sourcePath: string): string {
  const encoded = sourcePath.split("/").map((s) => encodeURIComponent(s).replace(/[()]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase())).join("/");
  return `https://raw.githubusercontent.com/${repo}/${commit}/${encoded}`;
}

const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

interface SourceManifest {
  source_repo?: string;
  commit?: string;
  files: Array<{
    file: string; source_path?: string; source_commit?: string; commit?: string; gzip?: boolean;
    bytes?: number; sha256?: string; bytes_uncompressed?: number; sha256_uncompressed?: string; how_made?: string;
  }>;
  derived?: Array<{ file: string; made_by: string; bytes: number; sha256: string }>;
}

/** A file the folder made itself: no source URL, only the mirror has it. */
function compiledEntry(dataset: string, f: { file: string; bytes: number; sha256: string }, license: string, note: string): ManifestFile {
  const mirrorPath = `${dataset}/${f.file}`;
  return {
    path: mirrorPath, mirror: mirrorPath, gzip: false, url: null, sha256: f.sha256, bytes: f.bytes, license, dataset,
    source_repo: null, commit: null, note: `${note} (see ${dataset}/README.md)`,
  };
}

function fromSourceManifest(mirror: string, dataset: string, readme: string): ManifestFile[] {
  const m = JSON.parse(readFileSync(join(mirror, dataset, "manifest.json"), "utf8")) as SourceManifest;
  if (!m.source_repo) {
    const known = COMPILED_LICENSES[dataset];
    if (!known) throw new Error(`make-manifest: no licence recorded for the compiled dataset ${dataset}`);
    if (!readme.includes(known.readmeSays)) throw new Error(`make-manifest: ${dataset}/README.md no longer says "${known.readmeSays}"`);
    return m.files.map((f) => {
      if (!f.sha256 || f.bytes === undefined) throw new Error(`make-manifest: ${dataset}/manifest.json: ${f.file} has no sha256/size`);
      return compiledEntry(dataset, { file: f.file, bytes: f.bytes, sha256: f.sha256 }, known.license, f.how_made ?? "compiled for the mirror");
    });
  }
  const repo = repoSlug(m.source_repo);
  const license = licenseOf(repo, readme, dataset);
  const sourced = m.files.map((f) => {
    const sha = f.sha256_uncompressed ?? f.sha256;
    const bytes = f.bytes_uncompressed ?? f.bytes;
    if (!sha || bytes === undefined) throw new Error(`make-manifest: ${dataset}/manifest.json: ${f.file} has no sha256/size`);
    const mirrorPath = `${dataset}/${f.file}`;
    const gzip = f.gzip ?? false;
    if (gzip !== mirrorPath.endsWith(".gz")) throw new Error(`make-manifest: ${mirrorPath}: gzip flag disagrees with the name`);
    const commit = f.source_commit ?? f.commit ?? m.commit;
    if (!commit || !f.source_path) throw new Error(`make-manifest: ${dataset}/manifest.json: ${f.file} has no source commit/path`);
    return {
      path: mirrorPath.replace(/\.gz$/, ""), mirror: mirrorPath, gzip,
      url: rawGitHubUrl(repo, commit, f.source_path), sha256: sha, bytes, license, dataset,
      source_repo: m.source_repo!, commit,
    };
  });
  const derived = (m.derived ?? []).map((d) => compiledEntry(dataset, d, license, d.made_by));
  return [...sourced, ...derived];
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)]);
}

/** livecodebench-codegen has no manifest.json: hash its files; map folder names to repo + full commit. */
function fromLiveCodeBench(mirror: string, dataset: string, readme: string): ManifestFile[] {
  const fullCommits = [...readme.matchAll(/`([0-9a-f]{40})`/g)].map((m) => m[1]!);
  const full = (short: string) => {
    const hits = fullCommits.filter((c) => c.startsWith(short));
    if (hits.length !== 1) throw new Error(`make-manifest: ${dataset}/README.md: commit ${short} found ${hits.length} times`);
    return hits[0]!;
  };
  const root = join(mirror, dataset);
  return listFiles(join(root, "raw")).map((abs) => {
    const rel = relative(root, abs).split("\\").join("/");
    let repo: string, commit: string, sourcePath: string;
    let m = /^raw\/livecodebench\.github\.io\/\d{4}-\d\d-\d\d_([0-9a-f]{8})\/(.+)$/.exec(rel);
    if (m) { repo = "LiveCodeBench/livecodebench.github.io"; commit = full(m[1]!); sourcePath = m[2]!; }
    else if ((m = /^raw\/submissions\/([0-9a-f]{8})\/(.+)$/.exec(rel))) {
      repo = "LiveCodeBench/submissions"; commit = full(m[1]!); sourcePath = m[2]!;
    } else throw new Error(`make-manifest: ${dataset}: unexpected file ${rel}`);
    const gzip = rel.endsWith(".gz");
    const raw = readFileSync(abs);
    const content = gzip ? gunzipSync(raw) : raw;
    return {
      path: `${dataset}/${rel}`.replace(/\.gz$/, ""), mirror: `${dataset}/${rel}`, gzip,
      url: rawGitHubUrl(repo, commit, sourcePath.replace(/\.gz$/, "")), sha256: sha256(content), bytes: content.length,
      license: licenseOf(repo, readme, dataset), dataset, source_repo: `https://github.com/${repo}`, commit,
    };
  });
}

export function buildManifest(mirror: string): { version: 1; files: ManifestFile[] } {
  const datasets = readdirSync(mirror, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const files: ManifestFile[] = [];
  for (const dataset of datasets) {
    const readme = readFileSync(join(mirror, dataset, "README.md"), "utf8");
    let hasManifest = true;
    try { statSync(join(mirror, dataset, "manifest.json")); } catch { hasManifest = false; }
    files.push(...(hasManifest ? fromSourceManifest(mirror, dataset, readme) : fromLiveCodeBench(mirror, dataset, readme)));
  }
  // Every listed file must exist in the mirror: a manifest pointing at nothing would only fail at fetch time.
  for (const f of files) statSync(join(mirror, f.mirror));
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const seen = new Set<string>();
  for (const f of files) {
    if (seen.has(f.path)) throw new Error(`make-manifest: duplicate path ${f.path}`);
    seen.add(f.path);
  }
  return { version: 1, files };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const here = fileURLToPath(new URL(".", import.meta.url));
  const mirror = resolve(process.argv[2] ?? join(here, "../../shared/data"));
  const out = resolve(process.argv[3] ?? join(here, "manifest.json"));
  const manifest = buildManifest(mirror);
  writeFileSync(out, JSON.stringify(manifest, null, 1) + "\n");
  console.log(`wrote ${out}: ${manifest.files.length} files from ${mirror}`);
}
