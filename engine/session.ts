// Everything a verb needs before it can plan: the validated spec, the selected stages, code ingredients
// (one esbuild pass), dataset file hashes, the previous cofail.lock and the file hasher.
import { join } from "node:path";
import { projectPaths, type ProjectPaths } from "./cache.js";
import type { StageCatalog } from "./catalog.js";
import { codeIngredients, type CodeIngredients } from "./codeHash.js";
import { upstreamClosure } from "./dag.js";
import { resolveDatasets, type DatasetFile } from "./datasets.js";
import { gitInfo, commitLabel, type GitInfo } from "./gitInfo.js";
import { createFileHasher, type FileHasher } from "./hash.js";
import { readLockFile, type LockFile } from "./lockfile.js";
import { loadSpec, type PipelineSpec } from "./spec.js";

export interface Session {
  spec: PipelineSpec;
  paths: ProjectPaths;
  hasher: FileHasher;
  selected: Set<string>;
  code: Map<string, CodeIngredients>;
  datasets: Map<string, DatasetFile[]>;
  lock: LockFile;
  git: Promise<GitInfo>;
  gitCommit?: string;
}

export interface SessionOptions {
  projectDir: string;
  catalog: StageCatalog;
  /** pipeline.yaml path (default <projectDir>/pipeline.yaml). */
  specFile?: string;
  /** Stage ids; the session covers them and their upstream. Default: all stages. */
  targets?: string[];
}

export async function openSession(options: SessionOptions): Promise<Session> {
  const paths = projectPaths(options.projectDir);
  const git = gitInfo(options.projectDir);
  const spec = await loadSpec({ projectDir: options.projectDir, file: options.specFile ?? join(options.projectDir, "pipeline.yaml"), catalog: options.catalog });
  const targets = options.targets?.length ? options.targets : Object.keys(spec.stages);
  for (const t of targets) {
    if (!spec.stages[t]) throw new Error(`unknown target stage "${t}"; expected one of: ${Object.keys(spec.stages).sort().join(", ")}`);
  }
  const selected = upstreamClosure(spec.deps, targets);
  const hasher = await createFileHasher({ cacheFile: paths.statCache });
  const groups = new Map<string, string[]>();
  for (const id of selected) {
    const decl = spec.stages[id]!;
    groups.set(id, [decl.modulePath, ...(decl.stageType.codeFiles?.(decl.parsedParams) ?? [])]);
  }
  const datasetNames = [...selected].flatMap((id) => Object.values(spec.stages[id]!.inputs)
    .flatMap((i) => i.refs.flatMap((r) => (r.kind === "dataset" ? [r.dataset] : []))));
  const needsCommit = [...selected].some((id) => spec.stages[id]!.stageType.usesGitCommit);
  const [code, datasets, lock] = await Promise.all([
    codeIngredients({ projectDir: options.projectDir, groups, hasher }),
    resolveDatasets({ spec, hasher, names: datasetNames }),
    readLockFile(paths.lockFile),
  ]);
  const gitCommit = needsCommit ? commitLabel(await git) : undefined;
  return { spec, paths, hasher, selected, code, datasets, lock, git, gitCommit };
}
