// The data manifest (data/manifest.json): every raw file the pipeline may read, pinned by source URL
// (at a commit) and by the sha256 of its uncompressed content. The data itself is never committed.
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { globMatcher } from "./glob.js";

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, "expected 64 lower-case hex digits");

export const ManifestEntry = z.object({
  /** Logical path: the mirror path without a trailing `.gz`; what globs in pipeline.yaml match. */
  path: z.string().min(1),
  /** Path inside the mirror directory (may end in `.gz` when `gzip`). */
  mirror: z.string().min(1),
  gzip: z.boolean(),
  /** Source URL pinned to a commit; null for a file compiled for the mirror itself (then only the mirror has it). */
  url: z.string().url().nullable(),
  /** sha256 and size of the UNCOMPRESSED content. */
  sha256: Sha256,
  bytes: z.number().int().nonnegative(),
  license: z.string(),
  dataset: z.string(),
  source_repo: z.string().nullable(),
  commit: z.string().nullable(),
  /** How a file without a source URL was made (and where its README says more). */
  note: z.string().optional(),
});
export type ManifestEntry = z.infer<typeof ManifestEntry>;

export const Manifest = z.object({
  version: z.literal(1),
  files: z.array(ManifestEntry),
});
export type Manifest = z.infer<typeof Manifest>;

/** Parses and validates a manifest; errors name the file and the offending entry. */
export function parseManifest(text: string, fileName: string): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`${fileName}: not valid JSON: ${(e as Error).message}`);
  }
  const parsed = Manifest.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.join(".") || "(root)";
    const files = (raw as { files?: Array<{ path?: unknown }> } | null)?.files;
    const entry = issue.path[0] === "files" && typeof issue.path[1] === "number" ? files?.[issue.path[1]]?.path : undefined;
    throw new Error(`${fileName}: at ${where}${typeof entry === "string" ? ` (${entry})` : ""}: ${issue.message}`);
  }
  const seen = new Set<string>();
  for (const f of parsed.data.files) {
    if (seen.has(f.path)) throw new Error(`${fileName}: path "${f.path}" is listed twice`);
    seen.add(f.path);
  }
  return parsed.data;
}

export async function loadManifest(path: string): Promise<Manifest> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw new Error(`data manifest ${path} cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseManifest(text, path);
}

/**
 * Entries whose `path` matches any of the globs, in manifest order (sorted by path). A glob matching
 * nothing is an error: a typo in pipeline.yaml must not silently yield an empty dataset.
 */
export function matchManifest(manifest: Manifest, globs: string[]): ManifestEntry[] {
  const picked = new Set<ManifestEntry>();
  for (const glob of globs) {
    const match = globMatcher(glob);
    const hits = manifest.files.filter((f) => match(f.path));
    if (hits.length === 0) {
      const dataset = glob.split("/")[0];
      const near = manifest.files.filter((f) => f.dataset === dataset).slice(0, 3).map((f) => f.path);
      throw new Error(
        `no file in the data manifest matches "${glob}"` +
          (near.length ? `; files of ${dataset} look like: ${near.join(", ")}` : `; known datasets: ${[...new Set(manifest.files.map((f) => f.dataset))].join(", ")}`),
      );
    }
    for (const h of hits) picked.add(h);
  }
  return manifest.files.filter((f) => picked.has(f));
}
