// Dataset files: `files:` globs over the data manifest (pinned sha256, fetched on demand) and `local:`
// project files (hashed as they are). Planning needs only names and hashes; a stage run materialises.
import { DataError } from "./errors.js";
import { resolve } from "node:path";
import type { FileHasher } from "./file-hasher.js";
import type { PipelineSpec } from "./spec.js";
import type { InputFile } from "./types.js";
import type { ManifestEntry } from "./manifest.js";

export interface DatasetFile {
  name: string;
  sha256: string;
  url?: string;
  bytes?: number;
  /** Manifest entry for `files:` datasets. */
  entry?: ManifestEntry;
  /** Absolute path for `local:` files. */
  localPath?: string;
}

export async function resolveDatasets(options: {
  spec: PipelineSpec;
  hasher: FileHasher;
  names: Iterable<string>;
}): Promise<Map<string, DatasetFile[]>> {
  const { spec, hasher } = options;
  const out = new Map<string, DatasetFile[]>();
  let manifest: Awaited<ReturnType<typeof import("./manifest.js").loadManifest>> | undefined;
  for (const name of [...new Set(options.names)].sort()) {
    const ds = spec.datasets[name]!;
    if (ds.local) {
      const files: DatasetFile[] = [];
      for (const rel of ds.local) {
        const abs = resolve(spec.projectDir, rel);
        const h = await hasher.hashFile(abs);
        if (!h) throw new DataError(`dataset ${name}: local file ${rel} does not exist`);
        files.push({ name: rel, sha256: h.sha256, bytes: h.bytes, localPath: abs });
      }
      out.set(name, files);
    } else {
      const m = await import("./manifest.js");
      try {
        manifest ??= await m.loadManifest(resolve(spec.projectDir, spec.data.manifest));
      } catch (e) {
        throw new DataError((e as Error).message);
      }
      let entries: ManifestEntry[];
      try {
        entries = m.matchManifest(manifest, ds.files ?? []);
      } catch (e) {
        throw new DataError(`dataset ${name}: ${(e as Error).message}`);
      }
      out.set(name, entries.map((entry) => ({ name: entry.path, sha256: entry.sha256, url: entry.url ?? undefined, bytes: entry.bytes, entry })));
    }
  }
  return out;
}

export function dataMirror(spec: PipelineSpec): string {
  return process.env.COFAIL_DATA_MIRROR ?? spec.data.mirror;
}

/** A verified local copy of a dataset file, as a stage receives it. */
export async function materializeDatasetFile(spec: PipelineSpec, file: DatasetFile): Promise<InputFile> {
  if (file.localPath) return { name: file.name, path: file.localPath, sha256: file.sha256 };
  const { materializeFile } = await import("./fetch.js");
  return materializeFile(file.entry!, { mirror: dataMirror(spec), downloadsDir: spec.data.downloads, projectDir: spec.projectDir });
}
