// Everything a verb needs before it can plan: the validated spec, the selected stages, code ingredients
// (one esbuild pass), dataset file hashes, the previous cofail.lock and the file hasher.
import { join } from "node:path";
import { projectPaths, type ProjectPaths } from "./cache.js";
import type { StageCatalog } from "./catalog.js";
import { codeIngredients, type CodeIngredients } from "./code-hash.js";
import { upstreamClosure } from "./dag.js";
import { resolveDatasets, type DatasetFile } from "./datasets.js";
import { gitInfo, commitLabel, type GitInfo } from "./git-info.js";
import { createFileHasher, type FileHasher } from "./file-hasher.js";
import { readLockFile, type LockFile, type LockFileError } from "./lockfile.js";
import { globMatcher, isGlob } from "./glob.js";
import { loadSpec, type PipelineSpec } from "./spec.js";
import { readStamps, type StampState } from "./stamp.js";
import { UsageError } from "./errors.js";
import { didYouMean } from "./suggest.js";
import { isVariantId } from "./sweep.js";

export interface Session {
  spec: PipelineSpec;
  paths: ProjectPaths;
  hasher: FileHasher;
  selected: Set<string>;
  /** The targets as stage ids (stage types and globs expanded); empty when no target was named. */
  targets: string[];
  code: Map<string, CodeIngredients>;
  datasets: Map<string, DatasetFile[]>;
  lock: LockFile;
  git: Promise<GitInfo>;
  /** The commit label stamped into build/ by stamping stages (engine/stamp.ts); set when one is selected. */
  gitCommit?: string;
  /** Things the user should know before planning (an unreadable cofail.lock, no package-lock.json). */
  warnings: string[];
  /** Set when cofail.lock exists but cannot be parsed (it was read as empty). */
  lockProblem?: LockFileError;
  /** How the stamped files in build/ were stamped (.cofail/stamps.json). */
  stamps: StampState;
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
  const named = expandTargets(spec, options.targets ?? []);
  const targets = named.length ? named : Object.keys(spec.stages);
  const selected = upstreamClosure(spec.deps, targets);
  const hasher = await createFileHasher({ cacheFile: paths.statCache });
  const groups = new Map<string, string[]>();
  for (const id of selected) {
    const decl = spec.stages[id]!;
    groups.set(id, [decl.modulePath, ...(decl.stageType.codeFiles?.(decl.parsedParams) ?? [])]);
  }
  const datasetNames = [...selected].flatMap((id) => Object.values(spec.stages[id]!.inputs)
    .flatMap((i) => i.refs.flatMap((r) => (r.kind === "dataset" ? [r.dataset] : []))));
  const needsCommit = [...selected].some((id) => spec.stages[id]!.stageType.stampsGitCommit);
  const warnings: string[] = [];
  let lockProblem: LockFileError | undefined;
  const [code, datasets, lock, stamps] = await Promise.all([
    codeIngredients({ projectDir: options.projectDir, groups, hasher, onWarning: (m) => warnings.push(m) }),
    resolveDatasets({ spec, hasher, names: datasetNames }),
    readLockFile(paths.lockFile, (e) => {
      lockProblem = e;
      warnings.push(`${e.message}\n  cofail.lock is read as empty: every task is restored from the run-cache (or run); a run writes a fresh lock and moves the unreadable one to .cofail/quarantine/`);
    }),
    readStamps(paths),
  ]);
  const gitCommit = needsCommit ? commitLabel(await git) ?? "unknown" : undefined;
  return { spec, paths, hasher, selected, targets: named, code, datasets, lock, git, gitCommit, stamps, warnings, ...(lockProblem ? { lockProblem } : {}) };
}

/**
 * A target is a stage id, a sweep's declared name (all its variants), a stage type (`grade` = every grade stage), or
 * a glob over stage ids (`copula-*`; variants only with an `@` in the pattern: `copula-lcb-conventions@*`), so a
 * user can run one kind of work across all pools without listing them.
 */
export function expandTargets(spec: PipelineSpec, targets: string[]): string[] {
  const ids = Object.keys(spec.stages).sort();
  const out = new Set<string>();
  for (const t of targets) {
    const matches = spec.stages[t] ? [t]
      : spec.sweeps[t] ? spec.sweeps[t]!.variants.map((v) => v.id)
      : isGlob(t) ? ids.filter((id) => (t.includes("@") || !isVariantId(id)) && globMatcher(t)(id))
      : ids.filter((id) => spec.stages[id]!.type === t);
    if (!matches.length) {
      const types = [...new Set(ids.map((id) => spec.stages[id]!.type))].sort();
      throw new UsageError(`unknown target "${t}"${didYouMean(t, [...ids, ...types])}: not a stage id, a stage type (${types.join(", ")}) or a glob matching a stage id; \`cofail dag\` lists the ${ids.length} stage ids`);
    }
    for (const m of matches) out.add(m);
  }
  return [...out];
}
