// The contract between the generic engine and the stage modules that plug into it.
// The engine knows nothing about LLMs: a stage is a typed function from inputs and params to outputs,
// plus named scalar results it publishes to the registry. Stage modules import only types (and defineStage) from here.
import type { z } from "zod";

/** A file handed to a stage as an input: a fetched dataset file or a user's local results file. */
export interface InputFile {
  /** Logical path (manifest path for dataset files, project-relative path for local files). */
  name: string;
  /** Absolute path of the verified local copy (decompressed when the mirror stores it gzipped). */
  path: string;
  /** sha256 of the (uncompressed) content. */
  sha256: string;
  /** Source URL pinned to a commit, when the file comes from the data manifest. */
  url?: string;
  /** Free-form metadata from the manifest (license, source repo, commit…). */
  meta?: Record<string, unknown>;
}

/**
 * How a stage consumes one named input.
 * - "json": the upstream output is parsed and validated against `schema`; the stage gets the value.
 *   If the input reference expands to several outputs (a list or a glob), the stage gets an array, in
 *   the order of the references as written (globs expand sorted by stage id).
 *   If the upstream stage is partitioned (`foreach`), the stage gets Record<partitionKey, value>.
 * - "files": the stage gets InputFile[] (datasets, local files, or non-JSON upstream outputs).
 */
export interface InputSpec {
  kind: "json" | "files";
  schema?: z.ZodType;
  optional?: boolean;
  description?: string;
}

/** One output file a stage writes. `schema` is checked before the output is cached: a failure is an error. */
export interface OutputSpec {
  /** File name inside the stage's output directory, e.g. "table.json", "beta-k.svg". */
  file: string;
  kind: "json" | "text" | "binary";
  schema?: z.ZodType;
  description?: string;
  /**
   * Keep a content-addressed copy of this output for every run (in .cofail/snapshots/, referenced by the run
   * record), so two runs can be compared after the run-cache has been pruned (e.g. the paper's numbers.json).
   */
  snapshot?: boolean;
  /**
   * The artefact a run exists to produce (the paper): `cofail run` names its path in build/ on its last line
   * whenever its stage is among the stages run.
   */
  headline?: boolean;
}

export type OutputValue = unknown | string | Uint8Array;

/** Optional extras attached to a published result. */
export interface PublishOptions {
  /** How the paper typesets it: "fixed:3", "pct:1", "int", "sci:2", "ratio:2" (see paper/format.ts). */
  format?: string;
  /** One-line human description ("beta on math-l5, all 43 models"). */
  description?: string;
  /** Confidence or bootstrap interval and its level. */
  ci?: { lower: number; upper: number; level: number; method?: string };
  /** Monte-Carlo / bootstrap standard error of the value, when it is estimated stochastically. */
  mcError?: number;
  unit?: string;
}

/** A named scalar result, as stored in the registry (build/registry.json). */
export interface ResultRecord extends PublishOptions {
  id: string;
  value: number;
  /** Stage id that published it and the cache key of that stage run. */
  stage: string;
  key: string;
}

export interface StageContext<P = unknown> {
  /** The stage id from pipeline.yaml (e.g. "grade-math-l5"). */
  id: string;
  /** Partition key when the stage runs once per partition (`foreach`), else undefined. */
  partition?: string;
  /**
   * For a stage declared with `blocks: N`: this block's index (0..N-1) and N. Every block has the stage's seed, so a
   * block computes replicates index*share.. of one replicate sequence and the results do not depend on N.
   */
  block?: { index: number; count: number };
  params: P;
  /** Named inputs, already loaded and validated (see InputSpec). */
  inputs: Record<string, unknown>;
  /** Deterministic seed for this stage (and partition): derived from the global seed and the stage id, never from code. */
  seed: number;
  /** Absolute project root (where pipeline.yaml lives). */
  projectDir: string;
  /**
   * Only for stage types with `stampsGitCommit`: a placeholder to write verbatim into text or json outputs where
   * the project's git commit belongs; build/ gets the commit (+ "-dirty"), the run-cache and cofail.lock keep the
   * placeholder (see engine/stamp.ts), so the commit is never part of a cache key.
   */
  gitCommit?: string;
  /** Report progress of long work; the engine draws a bar with ETA on a TTY, plain lines otherwise. */
  progress(done: number, total: number, label?: string): void;
  log(message: string): void;
  /** A warning is shown to the user and recorded in the stage's provenance record. */
  warn(message: string): void;
  /** Publish a named scalar result to the registry. Ids are global: "<pool>.<quantity>[.<variant>]". */
  publish(id: string, value: number, options?: PublishOptions): void;
  /** The stage's own parallel work, on worker threads of the engine's pool (see ParallelMap). */
  parallel: ParallelMap;
}

/**
 * Runs an exported function of an ES module (by URL, e.g. `new URL("./block.ts", import.meta.url).href`) on each
 * argument, spread over `threads` worker threads; results in argument order. The function must be pure (its
 * result a function of its argument only), so how the work is split never changes a result. Arguments and results
 * are structured-cloned: plain objects, arrays and typed arrays.
 */
export interface ParallelMap {
  readonly threads: number;
  map<A, R>(fn: { module: string; export: string }, args: A[]): Promise<R[]>;
}

/** What a stage module exports as its default export. */
export interface StageType<P = any> {
  /** The `type:` name used in pipeline.yaml. */
  type: string;
  description: string;
  params: z.ZodType<P>;
  inputs: Record<string, InputSpec>;
  /** Outputs may depend on params (e.g. one figure per pool). */
  outputs: Record<string, OutputSpec> | ((params: P) => Record<string, OutputSpec>);
  /**
   * Extra code entry points whose transitive local imports are part of the cache key, for code that the
   * stage loads by a computed path (e.g. the ingest adapter named in params). Project-relative paths.
   */
  codeFiles?: (params: P) => string[];
  /** The stage prints the git commit in its text/json outputs (the paper): see StageContext.gitCommit. */
  stampsGitCommit?: boolean;
  /** Returns one value per declared output name: JSON-serialisable values for "json", string or bytes otherwise. */
  run(ctx: StageContext<P>): Promise<Record<string, OutputValue>>;
}

/**
 * A short, escaped excerpt of text read from a user's file, for an error message: control characters as JSON escapes,
 * at most `max` characters (then the full length). Errors never echo more of a file than this.
 */
export function excerpt(text: string, max = 60): string {
  const escaped = JSON.stringify(text).slice(1, -1);
  return escaped.length <= max ? escaped : `${escaped.slice(0, max)}… (${text.length} characters)`;
}

/** Key of a resource bound in zod's global registry (read by engine/strict-keys.ts). */
export const RESOURCE_META = "cofailResourceLimit";

/**
 * Marks a numeric param as a resource (replicates, points, subsets, threads): a value above `max` is refused when
 * pipeline.yaml is loaded, naming the param, the bound and `what` it counts, unless the stage lists the param under
 * `allow_large:`. Bounds sit about two orders of magnitude above the paper's settings: past them a run would take
 * hours to days, which is far likelier a typo (an extra 000) than a plan.
 */
export function resourceLimit<S extends z.ZodType>(schema: S, max: number, what: string): S {
  return schema.meta({ [RESOURCE_META]: { max, what } }) as S;
}

/** Identity helper that keeps the param type inferred from the zod schema. */
export function defineStage<S extends z.ZodType>(
  stage: Omit<StageType<z.output<S>>, "params"> & { params: S },
): StageType<z.output<S>> {
  return stage as StageType<z.output<S>>;
}
