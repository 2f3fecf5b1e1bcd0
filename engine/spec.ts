// Loads pipeline.yaml: YAML with positions, a zod shape check, then semantic checks against the stage
// catalog (types, params, inputs, foreach, cycles). Every error names file:line:col, the key path and what
// was expected, so a user can fix the spec without reading engine code.
import { realpathSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from "yaml";
import { z } from "zod";
import { importStageType, stageOutputs, type StageCatalog } from "./catalog.js";
import { findCycle, type StageDeps } from "./dag.js";
import { globMatcher, isGlob } from "./glob.js";
import { closestName, resourceOverLimits, resourceParamPaths, unknownKeys, type UnknownKey } from "./strict-keys.js";
import { didYouMean } from "./suggest.js";
import { expandSweep, interpolate, isVariantId, pairedVariants, SweepShape, type Sweep, type SweepIssue } from "./sweep.js";
import type { StageType } from "./types.js";

const Name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, "a name of letters, digits, '-' or '_'");
const InputRef = z.union([z.string().min(1), z.array(z.string().min(1))]);

export const StageShape = z.strictObject({
  type: z.string().min(1).describe("a stage type from the stage catalog"),
  inputs: z.record(z.string(), InputRef).default({}).describe("input name -> dataset:<name> | <stage>.<output> | [..] | <glob>.<output>"),
  params: z.record(z.string(), z.unknown()).default({}),
  foreach: z.string().optional().describe("run once per partition of this input"),
  blocks: z.number().int().min(1).max(10_000).optional()
    .describe("run as this many partitions block-0..block-(N-1) (ctx.block = {index, count}; every block gets the stage's seed), e.g. bootstrap replicate blocks spread over cluster jobs"),
  seed_of: z.string().min(1).optional()
    .describe("draw this stage's random numbers from another stage's seed (common random numbers), e.g. the replicate blocks of a bootstrap that the other stage summarises"),
  allow_large: z.array(z.string().min(1)).optional()
    .describe("resource params (dotted paths, e.g. B_sf or orthant.max_points) allowed above their bound"),
  sweep: SweepShape.optional(),
});

export const DatasetShape = z.union([
  z.strictObject({ files: z.array(z.string().min(1)).min(1).describe("globs over data manifest paths") }),
  z.strictObject({ local: z.array(z.string().min(1)).min(1).describe("project-relative files") }),
]);

/** Where a shared copy of the run-cache lives (engine/remote.ts); env COFAIL_REMOTE overrides it ("none" disables). */
export const CacheShape = z.strictObject({
  remote: z.string().regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[^\s]*)?$/, "an s3://bucket[/prefix] URL")
    .optional().describe("shared run-cache: s3://bucket/prefix on any S3-compatible store; credentials from the AWS SDK's default chain, endpoint from AWS_ENDPOINT_URL_S3"),
  transfers: z.number().int().min(1).max(64).default(8).describe("parallel object transfers"),
});

/** Resources of one SLURM job; any key left out falls back to executor.slurm.default, then to the built-in default. */
export const SlurmResources = z.strictObject({
  partition: z.string().min(1).optional().describe("sbatch --partition"),
  account: z.string().min(1).optional().describe("sbatch --account"),
  time: z.string().regex(/^(\d+-)?\d+(:\d\d){0,2}$/, "a SLURM time limit such as 30, 1:00:00 or 2-00:00:00").optional().describe("sbatch --time"),
  mem: z.string().regex(/^\d+[KMGT]?$/, "a SLURM memory size such as 4G").optional().describe("sbatch --mem"),
  cpus: z.number().int().min(1).max(1024).optional().describe("sbatch --cpus-per-task (and ctx.parallel threads)"),
});

export const ExecutorShape = z.strictObject({
  slurm: z.strictObject({
    default: SlurmResources.optional().describe("resources of every job"),
    types: z.record(z.string().min(1), SlurmResources).default({}).describe("stage type -> resources (over the default)"),
    poll_s: z.number().min(0.05).max(600).default(2).describe("longest wait between two polls of squeue"),
    command_timeout_s: z.number().min(1).max(600).default(20).describe("a squeue/sacct/sbatch/scancel call that takes longer is abandoned (and retried)"),
  }).optional(),
});

export const PipelineShape = z.strictObject({
  version: z.literal(1),
  seed: z.number().int(),
  cache: CacheShape.optional(),
  executor: ExecutorShape.optional(),
  data: z.strictObject({
    manifest: z.string().default("data/manifest.json"),
    mirror: z.string().default(""),
    downloads: z.string().default("data/downloads"),
    local_roots: z.array(z.string().min(1)).default([])
      .describe("directories outside the project that local: files may be in (project-relative or absolute)"),
  }).default({ manifest: "data/manifest.json", mirror: "", downloads: "data/downloads", local_roots: [] }),
  datasets: z.record(Name, DatasetShape).default({}),
  stages: z.record(Name, StageShape),
});

export type ResolvedRef =
  | { kind: "dataset"; dataset: string; ref: string }
  | {
    kind: "output"; stage: string; output: string; ref: string;
    /** Part of a whole-sweep reference: the reference as written (one input group) and this variant's label. */
    sweep?: { ref: string; key: string };
  };

export interface StageInput {
  /** Reference(s) as written. */
  written: string | string[];
  /** A list or a glob: the stage receives an array. */
  multi: boolean;
  refs: ResolvedRef[];
}

export interface StageDecl {
  id: string;
  type: string;
  stageType: StageType;
  modulePath: string;
  /** Params exactly as written (canonicalised into the key). */
  params: Record<string, unknown>;
  /** Params after the type's schema (defaults applied), for outputs() and codeFiles(). */
  parsedParams: unknown;
  inputs: Record<string, StageInput>;
  foreach?: string;
  /** `blocks: N`: the stage runs as N partitions block-0..block-(N-1), every block with the stage's seed. */
  blocks?: number;
  /** `seed_of: <stage>`: the stage's tasks get that stage's seed instead of their own (common random numbers). */
  seedOf?: string;
  /** Set for a variant of a sweep: the declared name, its label and var -> label. */
  variant?: { of: string; label: string; labels: Record<string, string> };
}

export interface PipelineSpec {
  file: string;
  projectDir: string;
  seed: number;
  data: { manifest: string; mirror: string; downloads: string; local_roots: string[] };
  cache?: z.output<typeof CacheShape>;
  executor?: z.output<typeof ExecutorShape>;
  datasets: Record<string, { files?: string[]; local?: string[] }>;
  stages: Record<string, StageDecl>;
  /** Declared name -> its variants (each one a stage in `stages`). */
  sweeps: Record<string, Sweep>;
  deps: StageDeps;
}

export interface SpecIssue { line: number; col: number; path: string; message: string }

export class SpecError extends Error {
  constructor(readonly file: string, readonly issues: SpecIssue[]) {
    super(issues.map((i) => `${file}:${i.line}:${i.col}: ${i.path || "(root)"}: ${i.message}`).join("\n"));
    this.name = "SpecError";
  }
}

type Path = (string | number)[];

export async function loadSpec(options: { projectDir: string; file: string; catalog: StageCatalog }): Promise<PipelineSpec> {
  const shownFile = relative(process.cwd(), options.file) || options.file;
  let text: string;
  try {
    text = await readFile(options.file, "utf8");
  } catch (e) {
    throw new SpecError(shownFile, [{ line: 0, col: 0, path: "", message: `cannot read: ${(e as Error).message}` }]);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  // A variant's issues are placed at its declaration (the stage id segment is the declared name in the file).
  const declaredAs = new Map<string, string>();
  const atDoc = positionFinder(doc, lineCounter);
  const at = (path: Path, where: "key" | "value") =>
    atDoc(path[0] === "stages" && declaredAs.has(String(path[1])) ? ["stages", declaredAs.get(String(path[1]))!, ...path.slice(2)] : path, where);
  if (doc.errors.length) {
    throw new SpecError(shownFile, doc.errors.map((e) => {
      const lp = e.linePos?.[0] ?? lineCounter.linePos(e.pos[0]);
      const dup = /unique/i.test(e.message);
      return { line: lp.line, col: lp.col, path: keyPathAt(doc, e.pos[0]),
        message: dup ? `duplicate key: ${firstLine(e.message)} (each key may appear once)` : `invalid YAML: ${firstLine(e.message)}` };
    }));
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    // yaml refuses documents whose aliases expand exponentially (a "billion laughs"); say where the aliases are.
    const alias = firstAlias(doc);
    const lp = alias !== undefined ? lineCounter.linePos(alias) : { line: 1, col: 1 };
    throw new SpecError(shownFile, [{ line: lp.line, col: lp.col, path: alias !== undefined ? keyPathAt(doc, alias) : "",
      message: `cannot expand YAML aliases: ${firstLine((e as Error).message)} (expected at most 1000 alias expansions; write the values out)` }]);
  }
  const rootUnknown = unknownKeys(PipelineShape, raw);
  const shape = PipelineShape.safeParse(raw);
  if (rootUnknown.length || !shape.success) {
    throw new SpecError(shownFile, [
      ...rootUnknown.map((u) => unknownKeyIssue(u, [], at, "key")),
      ...(shape.success ? [] : shape.error.issues.filter((i) => i.code !== "unrecognized_keys").map((i) => zodIssue(i, [], at))),
    ].sort((a, b) => a.line - b.line || a.col - b.col));
  }
  const pipeline = shape.data;
  const issues: SpecIssue[] = [];
  const issue = (path: Path, message: string, where: "key" | "value" = "value") =>
    issues.push({ ...at(path, where), path: path.join("."), message });

  // Sweeps: each declaration with `sweep:` becomes one stage per variant, ${var} replaced in params and inputs.
  const sweeps: Record<string, Sweep> = {};
  // A variable is used when ${var} appears, or when it pairs a variant with another sweep's (resolveRef).
  const sweepUsed = new Map<string, Set<string>>();
  const expanded: Record<string, typeof pipeline.stages[string] & { variant?: StageDecl["variant"] }> = {};
  for (const [name, s] of Object.entries(pipeline.stages)) {
    if (!s.sweep) { expanded[name] = s; continue; }
    const sweepIssues = (list: SweepIssue[], id = name) => list.forEach((i) => issue(["stages", id, ...i.path], i.message, i.where));
    const { sweep, issues: bad } = expandSweep(name, s.sweep);
    if (!sweep) { sweepIssues(bad); continue; }
    sweeps[name] = sweep;
    const used = new Set<string>();
    sweepUsed.set(name, used);
    for (const v of sweep.variants) {
      const found: SweepIssue[] = [];
      const params = interpolate(s.params, v.values, used, ["params"], found) as Record<string, unknown>;
      const inputs = interpolate(s.inputs, v.values, used, ["inputs"], found) as Record<string, string | string[]>;
      for (const [input, ref] of Object.entries(inputs)) {
        if (!InputRef.safeParse(ref).success) found.push({ path: ["inputs", input], message: `after \${...} replacement in ${v.id}: expected a reference or a list of references, got ${JSON.stringify(ref)}` });
      }
      if (found.length) { sweepIssues(found); break; }
      declaredAs.set(v.id, name);
      const { sweep: _sweep, ...rest } = s;
      expanded[v.id] = { ...rest, params, inputs, variant: { of: name, label: v.label, labels: v.labels } };
    }
  }

  // Stage types: import only the modules this pipeline uses.
  const known = Object.keys(options.catalog).sort();
  const types = new Map<string, StageType>();
  for (const type of new Set(Object.values(expanded).map((s) => s.type))) {
    const modulePath = options.catalog[type];
    if (!modulePath) continue;
    try {
      types.set(type, await importStageType({ projectDir: options.projectDir, modulePath }));
    } catch (e) {
      const first = Object.entries(expanded).find(([, s]) => s.type === type)![0];
      issue(["stages", first, "type"], `cannot load stage module ${modulePath}: ${firstLine((e as Error).message)}`);
    }
  }

  // Local files: inside the project (or a declared local root), existing regular files; names project-relative.
  const roots = [options.projectDir, ...pipeline.data.local_roots.map((r) => resolve(options.projectDir, r))];
  for (const [name, ds] of Object.entries(pipeline.datasets)) {
    if (!("local" in ds)) continue;
    ds.local.forEach((written, k) => {
      const checked = checkLocalPath(written, options.projectDir, roots);
      if (typeof checked === "string") issue(["datasets", name, "local", k], checked);
      else ds.local[k] = checked.name;
    });
  }

  const stages: Record<string, StageDecl> = {};
  // Stages whose type or params are wrong: reported once; references to them are not reported again.
  const broken = new Set<string>();
  for (const [id, s] of Object.entries(expanded)) {
    const stageType = types.get(s.type);
    if (!stageType) {
      broken.add(id);
      if (!options.catalog[s.type]) issue(["stages", id, "type"], `unknown stage type "${s.type}"${didYouMean(s.type, known)}; expected one of: ${known.join(", ") || "(catalog is empty)"}`);
      continue;
    }
    const prefix: Path = ["stages", id, "params"];
    const unknown = unknownKeys(stageType.params, s.params);
    for (const u of unknown) issues.push(unknownKeyIssue(u, prefix, at, "key", `stage type "${s.type}"`));
    const parsed = stageType.params.safeParse(s.params);
    if (!parsed.success) {
      for (const i of parsed.error.issues) if (!(unknown.length && i.code === "unrecognized_keys")) issues.push(zodIssue(i, prefix, at));
    }
    const allowed = new Set(s.allow_large ?? []);
    const over = resourceOverLimits(stageType.params, s.params);
    for (const o of over) {
      const dotted = o.path.join(".");
      if (allowed.has(dotted)) continue;
      issue([...prefix, ...o.path], `${o.value} is above the bound ${o.max} for ${o.what}; a run this large would take hours or days. ` +
        `If you mean it, add "allow_large: [${dotted}]" to stage ${id}`);
    }
    for (const [k, a] of (s.allow_large ?? []).entries()) {
      const limited = resourceParamPaths(stageType.params);
      if (!limited.includes(a)) {
        const near = closestName(a, limited);
        issue(["stages", id, "allow_large", k], `"${a}" is not a resource param of stage type "${s.type}"; ${near ? `did you mean "${near}"? ` : ""}expected one of: ${limited.join(", ") || "(none)"}`);
      }
    }
    if (!parsed.success || unknown.length || over.some((o) => !allowed.has(o.path.join(".")))) {
      broken.add(id);
      continue;
    }
    const outputs = stageOutputs(stageType, parsed.data);
    const files = new Map<string, string>();
    for (const [name, o] of Object.entries(outputs)) {
      if (files.has(o.file)) issue(["stages", id, "type"], `stage type "${s.type}" declares output file "${o.file}" twice (outputs ${files.get(o.file)} and ${name})`);
      files.set(o.file, name);
    }
    stages[id] = { id, type: s.type, stageType, modulePath: options.catalog[s.type]!, params: s.params,
      parsedParams: parsed.data, inputs: {}, foreach: s.foreach, ...(s.blocks !== undefined ? { blocks: s.blocks } : {}), ...(s.seed_of !== undefined ? { seedOf: s.seed_of } : {}), ...(s.variant ? { variant: s.variant } : {}) };
  }

  // Inputs: every reference must resolve; every required input must be given.
  for (const [id, decl] of Object.entries(stages)) {
    const written = expanded[id]!.inputs;
    const declared = decl.stageType.inputs;
    for (const [name, ref] of Object.entries(written)) {
      if (!declared[name]) {
        issue(["stages", id, "inputs", name], `input "${name}" is not declared by stage type "${decl.type}"; expected one of: ${Object.keys(declared).sort().join(", ") || "(none)"}`, "key");
        continue;
      }
      const list = Array.isArray(ref) ? ref : [ref];
      const refs: ResolvedRef[] = [];
      let multi = Array.isArray(ref);
      list.forEach((r, k) => {
        const path: Path = Array.isArray(ref) ? ["stages", id, "inputs", name, k] : ["stages", id, "inputs", name];
        const resolved = resolveRef(r, {
          self: id, stages, sweeps, datasets: pipeline.datasets, broken,
          paired: (vars) => { if (decl.variant) for (const v of vars) sweepUsed.get(decl.variant.of)!.add(v); },
        });
        if (resolved === undefined) return; // refers to a stage already reported above
        if (typeof resolved === "string") issue(path, resolved);
        else {
          if (isGlob(r)) multi = true;
          refs.push(...resolved);
        }
      });
      const seen = new Set<string>();
      for (const r of refs) {
        const k = r.kind === "dataset" ? `dataset:${r.dataset}` : `${r.stage}.${r.output}`;
        if (seen.has(k)) issue(["stages", id, "inputs", name], `duplicate reference ${k} in input "${name}"`);
        seen.add(k);
      }
      decl.inputs[name] = { written: ref, multi, refs };
    }
    for (const [name, spec] of Object.entries(declared)) {
      if (!spec.optional && !written[name]) {
        issue(["stages", id, "inputs"], `missing required input "${name}" (${spec.kind}) of stage type "${decl.type}"`, written && Object.keys(written).length ? "value" : "key");
      }
    }
  }

  for (const [name, sweep] of Object.entries(sweeps)) {
    for (const v of sweep.variables) {
      if (!sweepUsed.get(name)!.has(v)) issue(["stages", name, "sweep"], `sweep variable "${v}" is not used: write \${${v}} in params or inputs, or pair with a sweep that has it`);
    }
  }

  // seed_of: another declared stage or sweep, not itself, and not one that takes its seed from a third stage.
  const seedReported = new Set<string>();
  for (const [id, decl] of Object.entries(stages)) {
    const declared = decl.variant?.of ?? id;
    if (decl.seedOf === undefined || seedReported.has(declared)) continue;
    seedReported.add(declared);
    const target = decl.seedOf, path: Path = ["stages", declared, "seed_of"];
    const names = [...new Set([...Object.keys(expanded).filter((k) => !expanded[k]!.variant), ...Object.keys(sweeps)])].sort();
    const chained = expanded[target]?.seed_of ?? Object.values(expanded).find((s) => s.variant?.of === target)?.seed_of;
    if (target === declared || target === id) issue(path, `seed_of names the stage itself; remove it, or name the stage whose seed this one shares`);
    else if (!expanded[target] && !sweeps[target]) issue(path, `unknown stage "${target}"${didYouMean(target, names)}; expected a stage declared under stages`);
    else if (chained !== undefined) issue(path, `stage "${target}" takes its own seed from "${chained}"; name "${chained}" instead`);
  }

  // foreach: a single reference to a dataset's files or to a partitioned upstream output.
  const partitioned = (stage: string) => stages[stage]?.foreach !== undefined || stages[stage]?.blocks !== undefined;
  for (const [id, decl] of Object.entries(stages)) {
    if (decl.foreach !== undefined && decl.blocks !== undefined) issue(["stages", id, "blocks"], `a stage runs either foreach an input or as blocks, not both (remove blocks or foreach)`);
    if (decl.foreach === undefined) continue;
    const path: Path = ["stages", id, "foreach"];
    const input = decl.inputs[decl.foreach];
    if (!decl.stageType.inputs[decl.foreach]) {
      issue(path, `foreach "${decl.foreach}" is not an input of stage type "${decl.type}"; expected one of: ${Object.keys(decl.stageType.inputs).sort().join(", ")}`);
    } else if (!input) {
      issue(path, `foreach "${decl.foreach}" names an input that is not given under inputs`);
    } else if (input.refs.some((r) => r.kind === "output" && r.sweep)) {
      issue(path, `foreach "${decl.foreach}" cannot take a whole sweep (${input.refs[0]!.ref}, ...); name one variant, or sweep this stage too so its variants pair with the upstream's`);
    } else if (input.multi || input.refs.length !== 1) {
      issue(path, `foreach "${decl.foreach}" must name an input with exactly one reference (not a list or glob)`);
    } else {
      const r = input.refs[0]!;
      if (r.kind === "dataset" && decl.stageType.inputs[decl.foreach]!.kind !== "files") {
        issue(path, `foreach over dataset input "${decl.foreach}" needs an input of kind "files"`);
      } else if (r.kind === "output" && !partitioned(r.stage)) {
        issue(path, `foreach "${decl.foreach}" refers to ${r.ref}, which is neither a dataset nor an output of a partitioned (foreach) stage`);
      }
    }
  }

  const deps: StageDeps = new Map();
  for (const [id, decl] of Object.entries(stages)) {
    deps.set(id, new Set(Object.values(decl.inputs).flatMap((i) => i.refs.flatMap((r) => (r.kind === "output" ? [r.stage] : [])))));
  }
  if (!issues.length) {
    const cycle = findCycle(deps);
    if (cycle) issue(["stages", cycle[0]!, "inputs"], `dependency cycle: ${cycle.join(" -> ")}`);
  }
  if (issues.length) throw new SpecError(shownFile, issues.sort((a, b) => a.line - b.line || a.col - b.col));
  return { file: options.file, projectDir: options.projectDir, seed: pipeline.seed, data: pipeline.data,
    ...(pipeline.cache ? { cache: pipeline.cache } : {}), ...(pipeline.executor ? { executor: pipeline.executor } : {}),
    datasets: pipeline.datasets, stages, sweeps, deps };
}

function resolveRef(
  ref: string,
  ctx: {
    self: string; stages: Record<string, StageDecl>; sweeps: Record<string, Sweep>; datasets: Record<string, unknown>;
    /** Stages already reported as broken: a reference to one is not reported again. */
    broken: Set<string>;
    /** Called with the variables a variant shares with the sweep it refers to. */
    paired: (vars: string[]) => void;
  },
): ResolvedRef[] | string | undefined {
  if (ref.startsWith("dataset:")) {
    const name = ref.slice("dataset:".length);
    if (!ctx.datasets[name]) return `unknown dataset "${name}"${didYouMean(name, Object.keys(ctx.datasets))}; expected one of: ${Object.keys(ctx.datasets).sort().join(", ") || "(none declared under datasets)"}`;
    return [{ kind: "dataset", dataset: name, ref }];
  }
  const dot = ref.lastIndexOf(".");
  if (dot <= 0) return `bad reference "${ref}"; expected dataset:<name>, <stage>.<output> or <glob>.<output>`;
  const stagePart = ref.slice(0, dot);
  const output = ref.slice(dot + 1);
  const outputsOf = (id: string) => stageOutputs(ctx.stages[id]!.stageType, ctx.stages[id]!.parsedParams);
  if (ctx.broken.has(stagePart)) return undefined;
  if (isGlob(stagePart)) {
    // Like a shell's `*` and dot files: variants are matched only by a pattern that has an `@`.
    const match = globMatcher(stagePart);
    const variants = stagePart.includes("@");
    return Object.keys(ctx.stages).filter((id) => id !== ctx.self && (variants || !isVariantId(id)) && match(id) && outputsOf(id)[output]).sort()
      .map((stage) => ({ kind: "output" as const, stage, output, ref: `${stage}.${output}` }));
  }
  const sweep = ctx.sweeps[stagePart];
  if (sweep) {
    const self = ctx.stages[ctx.self]?.variant;
    const { variants, paired, shared } = pairedVariants(sweep, self?.labels);
    ctx.paired(shared);
    if (!variants.length) return `no variant of sweep "${stagePart}" has ${Object.entries(self?.labels ?? {}).map(([k, v]) => `${k}=${v}`).join(",")}; its variants: ${sweep.variants.map((v) => v.label).join("; ")}`;
    const missing = variants.filter((v) => !ctx.stages[v.id]);
    if (missing.length) return `sweep "${stagePart}" has variants that failed to load (${missing.map((v) => v.id).join(", ")})`;
    for (const v of variants) {
      if (!outputsOf(v.id)[output]) return `variant "${v.id}" has no output "${output}"; expected one of: ${Object.keys(outputsOf(v.id)).sort().join(", ")}`;
      if (ctx.stages[v.id]!.foreach !== undefined && !paired) return `sweep "${stagePart}" runs foreach ${ctx.stages[v.id]!.foreach}: a whole-sweep reference needs variants that run once; name the variants`;
    }
    if (paired) return [{ kind: "output", stage: variants[0]!.id, output, ref: `${variants[0]!.id}.${output}` }];
    return variants.map((v) => ({ kind: "output" as const, stage: v.id, output, ref: `${v.id}.${output}`, sweep: { ref, key: v.label } }));
  }
  if (!ctx.stages[stagePart]) return `unknown stage "${stagePart}" in reference "${ref}"${didYouMean(stagePart, Object.keys(ctx.stages).filter((id) => !isVariantId(id)).concat(Object.keys(ctx.sweeps)))}; expected one of: ${Object.keys(ctx.stages).filter((id) => !isVariantId(id)).concat(Object.keys(ctx.sweeps)).sort().join(", ")}`;
  const outs = outputsOf(stagePart);
  if (!outs[output]) return `stage "${stagePart}" has no output "${output}"${didYouMean(output, Object.keys(outs))}; expected one of: ${Object.keys(outs).sort().join(", ")}`;
  return [{ kind: "output", stage: stagePart, output, ref }];
}

/** An unknown key as a spec issue: at the key, naming the closest valid name and the valid ones. */
function unknownKeyIssue(u: UnknownKey, prefix: Path, at: ReturnType<typeof positionFinder>, where: "key", owner?: string): SpecIssue {
  const path = [...prefix, ...u.path];
  const parent = [...prefix, ...u.path.slice(0, -1)].join(".") || "(root)";
  const what = prefix[prefix.length - 1] === "params" && u.path.length === 1 ? `unknown param "${u.key}"${owner ? ` of ${owner}` : ""}` : `unknown key "${u.key}" in ${parent}`;
  const hint = u.suggestion ? `; did you mean "${u.suggestion}"?` : "";
  return { ...at(path, where), path: path.join("."), message: `${what}${hint} Expected one of: ${u.known.join(", ") || "(no keys)"}` };
}

/**
 * A `local:` path: the project-relative name of an existing regular file inside the project or a declared local
 * root, or the reason it is refused (outside, missing, a directory, a glob). Symbolic links are followed first, so
 * a link inside the project that points outside it is refused too.
 */
export function checkLocalPath(written: string, projectDir: string, roots: string[]): { name: string; abs: string } | string {
  if (isGlob(written)) return `"${written}" is a glob; local: lists files one by one (or use files: for globs over the data manifest)`;
  const abs = resolve(projectDir, written);
  let real: string;
  try {
    real = realpathSync(abs);
  } catch {
    return `local file "${written}" does not exist (looked for ${shownPath(abs, projectDir)})`;
  }
  const realRoots = roots.map((r) => { try { return realpathSync(r); } catch { return r; } });
  const inside = realRoots.some((r) => real === r || real.startsWith(r.endsWith(sep) ? r : r + sep));
  if (!inside) {
    return `local file "${written}" is outside the project${roots.length > 1 ? " and the data.local_roots" : ""}: ` +
      `expected a path inside ${roots.length > 1 ? "one of them" : "the project directory"}; to read files from another directory, ` +
      `list it under data: local_roots: in pipeline.yaml`;
  }
  let st;
  try { st = statSync(real); } catch (e) { return `local file "${written}" cannot be read: ${(e as NodeJS.ErrnoException).code ?? "error"}`; }
  if (st.isDirectory()) return `local file "${written}" is a directory; expected a file (list the files in it one by one)`;
  if (!st.isFile()) return `local file "${written}" is not a regular file`;
  const name = relative(projectDir, abs).split(sep).join("/");
  return { name: isAbsolute(name) ? written : name, abs };
}

function shownPath(abs: string, projectDir: string): string {
  const rel = relative(projectDir, abs);
  return rel.startsWith("..") || isAbsolute(rel) ? abs : rel;
}

/** Source offset of the first alias node in a document, if any. */
function firstAlias(doc: Document): number | undefined {
  let found: number | undefined;
  visit(doc, { Alias(_key, node) { found = node.range?.[0]; return visit.BREAK; } });
  return found;
}

function zodIssue(i: z.core.$ZodIssue, prefix: Path, at: ReturnType<typeof positionFinder>): SpecIssue {
  const path = [...prefix, ...(i.path as Path)];
  let message = i.message;
  if (i.code === "unrecognized_keys") {
    message = `unknown key(s) ${i.keys.map((k) => `"${k}"`).join(", ")}`;
    return { ...at([...path, i.keys[0]!], "key"), path: path.join(".") || "(root)", message };
  }
  if (i.code === "invalid_key") {
    const inner = (i.issues ?? []).map((x) => x.message).join("; ");
    return { ...at(path, "key"), path: path.join("."), message: `invalid name "${String(path[path.length - 1])}": expected ${inner || "a valid key"}` };
  }
  if (i.code === "invalid_union" && path[0] === "datasets") message = `expected exactly one of files: [globs] or local: [paths]`;
  return { ...at(path, "value"), path: path.join("."), message };
}

/** Line/column of the node at a key path: the value node, or the key when asked or when the value is absent. */
function positionFinder(doc: Document, lc: LineCounter) {
  return (path: Path, where: "key" | "value"): { line: number; col: number } => {
    for (let n = path.length; n >= 0; n--) {
      const found = findPair(doc, path.slice(0, n));
      if (!found) continue;
      // A missing key is reported at its nearest existing parent's key (e.g. the stage id).
      const exact = n === path.length;
      const node = (exact ? (where === "key" ? found.key ?? found.value : found.value ?? found.key) : found.key ?? found.value) as Node | undefined;
      const offset = node?.range?.[0];
      if (offset !== undefined) return lc.linePos(offset);
    }
    return { line: 1, col: 1 };
  };
}

function findPair(doc: Document, path: Path): { key?: unknown; value?: unknown } | undefined {
  let node: unknown = doc.contents;
  let pair: { key?: unknown; value?: unknown } = { value: node };
  for (const seg of path) {
    if (isMap(node)) {
      const p = node.items.find((it) => isPair(it) && isScalar(it.key) && String(it.key.value) === String(seg));
      if (!p) return undefined;
      pair = { key: p.key, value: p.value };
      node = p.value;
    } else if (isSeq(node) && typeof seg === "number") {
      node = node.items[seg];
      if (!node) return undefined;
      pair = { key: node, value: node };
    } else return undefined;
  }
  return pair;
}

/** Key path of the innermost map pair containing a source offset (for YAML parser errors). */
function keyPathAt(doc: Document, offset: number): string {
  const path: string[] = [];
  let node: unknown = doc.contents;
  for (;;) {
    if (!isMap(node)) break;
    const p = node.items.find((it) => {
      const k = it.key as Node | undefined, v = it.value as Node | undefined;
      const start = k?.range?.[0] ?? 0, end = v?.range?.[2] ?? k?.range?.[2] ?? 0;
      return start <= offset && offset <= end;
    });
    if (!p || !isScalar(p.key)) break;
    path.push(String(p.key.value));
    node = p.value;
  }
  return path.join(".");
}

function firstLine(s: string): string {
  return s.split("\n")[0]!;
}

/** A JSON Schema for pipeline.yaml, with each stage type's params where zod can express them. */
export function specJsonSchema(types: Record<string, StageType>): unknown {
  const variants = Object.entries(types).sort(([a], [b]) => a.localeCompare(b)).map(([name, t]) => {
    let params: z.ZodType = z.record(z.string(), z.unknown());
    try {
      z.toJSONSchema(t.params, { unrepresentable: "any", io: "input" });
      params = t.params;
    } catch { /* params not expressible as JSON Schema: fall back to any object */ }
    return StageShape.extend({ type: z.literal(name).describe(t.description), params: params as z.ZodType });
  });
  const stage = variants.length >= 2 ? z.union(variants as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]])
    : variants.length === 1 ? variants[0]! : StageShape;
  const schema = PipelineShape.extend({ stages: z.record(Name, stage as z.ZodType) });
  return withSweepPlaceholders(z.toJSONSchema(schema, { unrepresentable: "any", io: "input", target: "draft-2020-12" }));
}

const PLACEHOLDER_SCHEMA = {
  type: "string", pattern: "^\\$\\{[A-Za-z_][A-Za-z0-9_]*\\}$",
  description: "a sweep variable: the variant's value (engine/sweep.ts)",
} as const;

/** Every stage param (at any depth) may also be written `${var}`, for a stage with `sweep:`. */
function withSweepPlaceholders(schema: unknown): unknown {
  const params = (node: Record<string, unknown>): Record<string, unknown> => {
    const props = node.properties as Record<string, Record<string, unknown>> | undefined;
    if (!props) return node;
    return { ...node, properties: Object.fromEntries(Object.entries(props).map(([k, p]) => [k, { anyOf: [params(p), PLACEHOLDER_SCHEMA] }])) };
  };
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== "object") return node;
    const o = node as Record<string, unknown>;
    const props = o.properties as Record<string, unknown> | undefined;
    const isStage = props && typeof props.type === "object" && props.type !== null && "const" in (props.type as object) && props.params;
    const out = Object.fromEntries(Object.entries(o).map(([k, v]) => [k, walk(v)]));
    if (isStage) out.properties = { ...(out.properties as object), params: params(props.params as Record<string, unknown>) };
    return out;
  };
  return walk(schema);
}
