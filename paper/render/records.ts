// What the paper stage receives from the engine, read defensively: registry results (ResultRecord) and
// provenance records (each stage's lock entry). The engine may hand them over as arrays, arrays of arrays (one
// per stage, from a glob) or Record<partition, ...> (partitioned stages), and a record may carry fields this
// module does not know; everything is flattened and normalised into the small views the renderer needs.
import type { ResultRecord } from "../../engine/types.js";

export interface RawFileView {
  name: string;
  url?: string;
  sha256?: string;
}

export interface InputView {
  /** Input name in the stage (e.g. "table"), when the record says. */
  name?: string;
  /** Reference as written in pipeline.yaml: "dataset:math-l5", "grade-math-l5.table". */
  ref: string;
  /** Content hash of the input. */
  hash?: string;
  /** Upstream stage id and cache key, for stage outputs. */
  upstreamStage?: string;
  upstreamKey?: string;
  /** Files behind the input (for datasets: the raw files with URL and sha256). */
  files: RawFileView[];
}

export interface ProvenanceView {
  stage: string;
  type?: string;
  key: string;
  partition?: string;
  params?: unknown;
  seed?: number;
  gitCommit?: string;
  codeHash?: string;
  code: { file: string; sha256?: string }[];
  inputs: InputView[];
  outputs: { name?: string; file: string; sha256?: string }[];
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);
const str = (x: unknown): string | undefined => (typeof x === "string" && x !== "" ? x : undefined);

function isResultRecord(x: unknown): x is ResultRecord {
  return isObject(x) && typeof x.id === "string" && typeof x.value === "number" && typeof x.stage === "string";
}

/** Every ResultRecord found anywhere in the value (arrays and partition maps are walked). */
export function flattenResults(value: unknown): ResultRecord[] {
  const out: ResultRecord[] = [];
  const walk = (x: unknown) => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (isResultRecord(x)) out.push(x);
    else if (isObject(x)) Object.keys(x).sort().forEach((k) => walk(x[k]));
  };
  walk(value);
  return out;
}

/** Results by id. The same id published twice with different values is an error: the paper could cite either. */
export function indexResults(records: ResultRecord[]): Map<string, ResultRecord> {
  const byId = new Map<string, ResultRecord>();
  const clashes: string[] = [];
  for (const r of records) {
    const seen = byId.get(r.id);
    if (!seen) byId.set(r.id, r);
    else if (seen.value !== r.value || seen.stage !== r.stage) {
      clashes.push(`${r.id}: ${seen.value} from ${seen.stage} and ${r.value} from ${r.stage}`);
    }
  }
  if (clashes.length) throw new Error(`result ids published more than once:\n  ${clashes.join("\n  ")}`);
  return byId;
}

// The engine's lock entries carry no stage id (the file they live in names it); a record is recognised by its
// key plus the ingredients every entry has.
function isProvenanceRecord(x: unknown): x is Record<string, unknown> {
  return isObject(x) && typeof x.key === "string" && (typeof x.stage === "string" || (typeof x.type === "string" && ("inputs" in x || "outputs" in x)));
}

export function flattenProvenance(value: unknown): ProvenanceView[] {
  const out: ProvenanceView[] = [];
  const walk = (x: unknown) => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (isProvenanceRecord(x)) out.push(normaliseProvenance(x));
    else if (isObject(x)) Object.keys(x).sort().forEach((k) => walk(x[k]));
  };
  walk(value);
  return out;
}

export function normaliseProvenance(r: Record<string, unknown>): ProvenanceView {
  const code = r.code ?? r.codeFiles;
  // Either {hash, files: [...]} or, as the engine writes it, a map file -> hash.
  const codeFiles = isObject(code) && ("files" in code || "imports" in code) ? code.files ?? code.imports : code;
  return {
    stage: str(r.stage) ?? "?",
    type: str(r.type),
    key: r.key as string,
    partition: str(r.partition),
    params: r.params,
    seed: typeof r.seed === "number" ? r.seed : undefined,
    gitCommit: str(r.gitCommit) ?? str(r.commit),
    codeHash: str(r.codeHash) ?? (isObject(code) ? str(code.hash) ?? str(code.sha256) : undefined),
    code: listOf(codeFiles).flatMap(([name, f]) => {
      if (typeof f === "string") return name ? [{ file: name, sha256: f }] : [{ file: f }];
      if (!isObject(f)) return [];
      const file = str(f.file) ?? str(f.path) ?? str(f.name) ?? name;
      return file ? [{ file, sha256: str(f.sha256) ?? str(f.hash) }] : [];
    }),
    inputs: listOf(r.inputs).flatMap(([name, i]) => normaliseInput(i, name)),
    outputs: listOf(r.outputs).flatMap(([name, o]) => {
      if (typeof o === "string") return name ? [{ name, file: name, sha256: o }] : [];
      if (!isObject(o)) return [];
      const file = str(o.file) ?? str(o.path) ?? name;
      return file ? [{ name: str(o.name) ?? str(o.output) ?? name, file, sha256: str(o.sha256) ?? str(o.hash) }] : [];
    }),
  };
}

// Inputs may be an array of entries or a record name -> entry | entry[]; a multi-reference input may nest its
// references under `refs`.
// The engine writes one entry per file: {ref, name: <file name>, sha256, url?, upstreamKey?} under the input name.
function normaliseInput(i: unknown, keyName: string | undefined): InputView[] {
  if (Array.isArray(i)) return i.flatMap((x) => normaliseInput(x, keyName));
  if (!isObject(i)) return [];
  const inputName = keyName ?? str(i.input) ?? str(i.name);
  if (Array.isArray(i.refs) && i.ref === undefined) return i.refs.flatMap((x: unknown) => normaliseInput(x, inputName));
  const ref = str(i.ref) ?? (str(i.dataset) ? `dataset:${i.dataset}` : undefined) ??
    (str(i.stage) && str(i.output) ? `${i.stage}.${i.output}` : undefined) ?? inputName ?? "?";
  const upstream = i.upstream;
  const files = listOf(i.files).flatMap(([fname, f]): RawFileView[] => {
    if (typeof f === "string") return fname ? [{ name: fname, sha256: f }] : [{ name: f }];
    if (!isObject(f)) return [];
    const n = str(f.name) ?? str(f.path) ?? fname;
    return n ? [{ name: n, url: str(f.url), sha256: str(f.sha256) ?? str(f.hash) }] : [];
  });
  if (files.length === 0 && ref.startsWith("dataset:") && str(i.name) && str(i.name) !== inputName) {
    files.push({ name: i.name as string, url: str(i.url), sha256: str(i.sha256) ?? str(i.hash) });
  }
  const refStage = /^dataset:/.test(ref) ? undefined : /^([A-Za-z0-9][A-Za-z0-9_-]*)\.[^.]/.exec(ref)?.[1];
  return [{
    name: inputName,
    ref,
    hash: str(i.hash) ?? str(i.sha256) ?? str(i.contentHash),
    upstreamStage: str(i.upstreamStage) ?? str(i.stage) ?? (isObject(upstream) ? str(upstream.stage) : undefined) ?? refStage,
    upstreamKey: str(i.upstreamKey) ?? str(i.upstream_key) ?? str(i.key) ??
      (typeof upstream === "string" ? upstream : isObject(upstream) ? str(upstream.key) : undefined),
    files,
  }];
}

function listOf(x: unknown): [string | undefined, unknown][] {
  if (Array.isArray(x)) return x.map((v) => [undefined, v]);
  if (isObject(x)) return Object.keys(x).sort().map((k) => [k, x[k]]);
  return [];
}

/** A JSON output file the paper received, with the engine's logical name "<stage>/<file>" or "<stage>/<partition>/<file>". */
export interface JsonFile {
  name: string;
  json: unknown;
}

function origin(name: string): { stage: string; partition?: string } {
  const parts = name.split("/");
  return parts.length >= 3 ? { stage: parts[0]!, partition: parts.slice(1, -1).join("/") } : { stage: parts[0]! };
}

/** Provenance records from the stages' provenance.json files; the stage id and partition come from the file name when the record lacks them. */
export function provenanceFromFiles(files: JsonFile[]): ProvenanceView[] {
  return files.flatMap((f) => {
    const o = origin(f.name);
    return flattenProvenance(f.json).map((r) => ({
      ...r, stage: r.stage === "?" ? o.stage : r.stage, ...(r.partition ?? o.partition ? { partition: r.partition ?? o.partition } : {}),
    }));
  });
}

/**
 * Results from the stages' results.json files. A stage writes {id, value, ...options}; the stage id comes from
 * the file name and the cache key from that stage run's provenance record (same stage and partition).
 */
export function resultsFromFiles(files: JsonFile[], provenance: ProvenanceView[]): ResultRecord[] {
  const out: ResultRecord[] = [];
  for (const f of files) {
    const o = origin(f.name);
    const run = provenance.find((r) => r.stage === o.stage && r.partition === o.partition) ?? provenance.find((r) => r.stage === o.stage);
    const walk = (x: unknown) => {
      if (Array.isArray(x)) x.forEach(walk);
      else if (isObject(x) && typeof x.id === "string" && typeof x.value === "number") {
        out.push({ ...(x as unknown as ResultRecord), stage: str(x.stage) ?? o.stage, key: str(x.key) ?? run?.key ?? "?" });
      }
    };
    walk(f.json);
  }
  return out;
}

export interface InputGroup {
  name?: string;
  ref: string;
  entries: InputView[];
}

/** Inputs grouped by (input name, reference): a dataset input lists one entry per file, shown as one line. */
export function groupInputs(inputs: InputView[]): InputGroup[] {
  const groups = new Map<string, InputGroup>();
  for (const i of inputs) {
    const k = `${i.name ?? ""}\u0000${i.ref}`;
    const g = groups.get(k) ?? { name: i.name, ref: i.ref, entries: [] };
    g.entries.push(i);
    groups.set(k, g);
  }
  return [...groups.values()];
}
