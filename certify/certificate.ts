// `cofail certify`: from one results file, before anyone trains a router — per-model accuracy, beta, its
// Clopper–Pearson bound, the ceiling 1 - beta, the best single model and the largest gain any member-output
// policy (router, vote, cascade) could deliver at the chosen confidence (stats/router-certificate.ts: sound for the
// in-sample best by Bonferroni, and optionally for a model fixed in advance), an overhead verdict; optionally the Gaussian-copula
// predictions of beta and the underpricing ratio. All numerics are the stats core's (the same functions the
// `cofailure` and `copula` stages call), so a certificate matches the pipeline's numbers for the same pool.
import type { InputFile } from "../engine/types.js";
import { clopperPearson } from "../stats/clopper-pearson.js";
import { certifiedMaxGain, overheadVerdict, preSpecifiedMaxGain, type CertificateMethod, type OverheadVerdict, type RouterGainBound } from "../stats/router-certificate.js";
import { allWrongCount, modelErrorCounts } from "../stats/cofailure.js";
import { packErrors } from "../stats/verdict-bits.js";
import type { CanonicalTable } from "../core/canonical-table.js";
import { MISSING, readGenericVerdicts, type CertifySamplePolicy, type VerdictTable } from "./read-verdicts.js";
import type { TextTableFormat } from "../ingest/csv.js";

export type CertifySide = "two-sided" | "upper";

export interface CertifyOptions {
  level: number;
  /**
   * The printed interval of beta: "two-sided" Clopper–Pearson, or "upper" a one-sided upper bound. The gain bound
   * is one-sided either way (an upper bound on the gain at delta = 1 - level; see stats/router-certificate.ts).
   */
  side: CertifySide;
  /** Also the certificate for this model, named before seeing the data (no multiplicity correction). */
  preSpecified?: string;
  /** Overhead of the policy (accuracy it costs, as a fraction): adds a verdict to each certificate. */
  overhead?: number;
  /** Copula predictions: "sf" single factor only, "full" single factor and full Gaussian copula. */
  copula?: "sf" | "full";
  /** Seed and accuracy of the full copula's orthant integral (Genz–Bretz QMC). */
  orthant?: { absEps?: number; maxPoints?: number; seed?: number };
}

export interface CopulaPrediction {
  /** Models the copula is fitted on (0 < error rate < 1). */
  activeModels: number;
  beta1f: number;
  ratioSf: number | null;
  betaFull: { value: number; error: number } | null;
  ratioFull: number | null;
  minEigenBefore: number | null;
}

/** A router-gain certificate as certify reports it, with the overhead verdict when an overhead was given. */
export type GainStatement<Method extends CertificateMethod = CertificateMethod> = RouterGainBound<Method> & { verdict?: OverheadVerdict };

export interface Certificate {
  source: string;
  samplePolicy: CertifySamplePolicy;
  nModels: number;
  nItems: number;
  /** Models by accuracy (ties by name), on the items every model answered. */
  models: { model: string; accuracy: number; correct: number }[];
  allWrong: number;
  beta: number;
  level: number;
  side: CertifySide;
  /** Bounds on beta: [lower, upper] two-sided, or [0, upper] one-sided. */
  betaInterval: { lower: number; upper: number };
  ceiling: number;
  /** 1 - the certificate's betaLo: with the stated confidence, no member-output policy is more accurate than this. */
  ceilingUpper: number;
  best: { model: string; accuracy: number };
  headroom: number;
  /** = certificate.maxGain: the largest gain over the best single model any router/vote/cascade could deliver. */
  maxGain: number;
  /** The certificate for the in-sample best (method "bonferroni-in-sample"), delta = 1 - level. */
  certificate: GainStatement<"bonferroni-in-sample">;
  /** The certificate for the model named by --pre-specified (method "pre-specified"). */
  preSpecified?: GainStatement<"pre-specified">;
  overhead?: number;
  copula?: CopulaPrediction;
  notes: string[];
  /** Cautions about the result itself (e.g. too few items for a useful interval). */
  warnings: string[];
}

/** Below this many common items the interval on beta is too wide to certify much: certify says so. */
export const SMALL_N = 30;

/** The --overhead value: a fraction of accuracy in [0, 1]; `raw` is what the user typed, for the message. */
export function checkOverhead(value: number, raw: unknown = value): number {
  if (!(Number.isFinite(value) && value >= 0 && value <= 1)) {
    throw new Error(`--overhead must be a number in [0, 1] (accuracy the policy costs, as a fraction: 0.02 = two points); got ${raw}`);
  }
  return value;
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The certificate of a verdict matrix (models x items, 1 right / 0 wrong) — the pure core. */
export function certifyMatrix(input: { source: string; samplePolicy: CertifySamplePolicy; models: string[]; correct: Uint8Array[]; notes?: string[] }, options: CertifyOptions): Certificate {
  const M = input.models.length;
  const N = M ? input.correct[0]!.length : 0;
  if (M === 0 || N === 0) throw new Error(`${input.source}: empty pool (${M} models x ${N} items)`);
  if (!(options.level > 0 && options.level < 1)) throw new Error(`--level must be in (0, 1), got ${options.level}`);
  if (options.overhead !== undefined) checkOverhead(options.overhead);
  const bits = packErrors(input.correct);
  const correct = Array.from(modelErrorCounts(bits), (e) => N - e);
  const acc = correct.map((c) => c / N);
  const order = [...input.models.keys()].sort((a, b) => acc[b]! - acc[a]! || byName(input.models[a]!, input.models[b]!));
  const best = order[0]!;
  const x = allWrongCount(bits);
  const interval = clopperPearson(x, N, { level: options.level, side: options.side });
  const delta = 1 - options.level;
  const withVerdict = <S extends RouterGainBound>(s: S): S & { verdict?: OverheadVerdict } =>
    options.overhead === undefined ? s : { ...s, verdict: overheadVerdict(s.maxGain, options.overhead) };
  const certificate = withVerdict(certifiedMaxGain({ allWrong: x, n: N, correct, models: input.models, delta }));
  const beta = x / N;
  const out: Certificate = {
    source: input.source, samplePolicy: input.samplePolicy, nModels: M, nItems: N,
    models: order.map((m) => ({ model: input.models[m]!, accuracy: acc[m]!, correct: correct[m]! })),
    allWrong: x, beta, level: options.level, side: options.side, betaInterval: interval,
    ceiling: 1 - beta, ceilingUpper: 1 - certificate.betaLo, best: { model: input.models[best]!, accuracy: acc[best]! },
    headroom: 1 - beta - acc[best]!, maxGain: certificate.maxGain, certificate, notes: [...(input.notes ?? [])], warnings: [],
  };
  if (N < SMALL_N) {
    out.warnings.push(
      `only ${N} item${N === 1 ? "" : "s"} every model answered (fewer than ${SMALL_N}): the interval on beta is wide ` +
        `([${interval.lower.toFixed(3)}, ${interval.upper.toFixed(3)}]), so the bound on the gain says little; add items before trusting it`,
    );
  }
  if (options.preSpecified !== undefined) {
    const k = input.models.indexOf(options.preSpecified);
    if (k < 0) {
      const some = order.slice(0, 5).map((m) => input.models[m]!).join(", ");
      throw new Error(`--pre-specified expects one of the ${M} model names in ${input.source}; got "${options.preSpecified}" (models include: ${some}${M > 5 ? ", …" : ""})`);
    }
    out.preSpecified = withVerdict(preSpecifiedMaxGain({ allWrong: x, n: N, correct: correct[k]!, nModels: M, name: options.preSpecified, delta }));
  }
  if (options.overhead !== undefined) out.overhead = options.overhead;
  if (options.copula) out.copula = copulaPrediction(bits, options);
  return out;
}

function copulaPrediction(bits: ReturnType<typeof packErrors>, options: CertifyOptions): CopulaPrediction {
  // The copula stage's calibration, imported lazily: certify without --copula does not load it.
  const fit = fitCopulaSync(bits, options);
  const finite = (v: number) => (Number.isFinite(v) ? v : null);
  return {
    activeModels: fit.active.length,
    beta1f: fit.beta1f,
    ratioSf: finite(fit.ratioSf),
    betaFull: fit.betaFull ? { value: fit.betaFull.value, error: fit.betaFull.error } : null,
    ratioFull: fit.betaFull ? finite(fit.ratioFull) : null,
    minEigenBefore: finite(fit.mineigBefore),
  };
}

let fitCopulaRef: typeof import("../stats/copula.js").fitCopula | undefined;
function fitCopulaSync(bits: ReturnType<typeof packErrors>, options: CertifyOptions) {
  if (!fitCopulaRef) throw new Error("internal: copula module not loaded (call loadCopula first)");
  return fitCopulaRef(bits, {
    full: options.copula === "full" ? { absEps: options.orthant?.absEps ?? 2e-5, maxPoints: options.orthant?.maxPoints ?? 1_000_000, seed: options.orthant?.seed ?? 0 } : null,
  });
}

async function loadCopula(): Promise<void> {
  fitCopulaRef ??= (await import("../stats/copula.js")).fitCopula;
}

/** Keeps the items every model answered (the pool stage's `items: common`), with a note on what was dropped. */
export function commonItems(table: VerdictTable): { correct: Uint8Array[]; items: string[]; notes: string[] } {
  const N = table.items.length;
  // Per model, mark the items it lacks (one pass over each row: this runs on ten million cells).
  const lacks = new Uint8Array(N);
  const lacking: { m: string; n: number }[] = [];
  table.cells.forEach((row, k) => {
    let n = 0;
    for (let i = 0; i < N; i++) if (row[i] === MISSING) { lacks[i] = 1; n++; }
    if (n) lacking.push({ m: table.models[k]!, n });
  });
  const keep: number[] = [];
  for (let i = 0; i < N; i++) if (!lacks[i]) keep.push(i);
  const notes = [...table.warnings];
  if (keep.length < N) {
    notes.push(`items=common: ${keep.length} of ${N} items are answered by all ${table.models.length} models (${lacking.slice(0, 5).map((x) => `${x.m} lacks ${x.n}`).join(", ")}${lacking.length > 5 ? ", …" : ""})`);
  }
  const correct = table.cells.map((row) => {
    if (keep.length === N) return row;
    const out = new Uint8Array(keep.length);
    for (let k = 0; k < keep.length; k++) out[k] = row[keep[k]!]!;
    return out;
  });
  return { correct, items: keep.map((i) => table.items[i]!), notes };
}

export interface CertifyFileOptions extends CertifyOptions {
  samplePolicy: CertifySamplePolicy;
  task?: string;
  /**
   * Adapter name (ingest/adapters/<name>.ts); by default told from the content of the files (detect-format.ts); the
   * generic long format is read by the fast reader.
   */
  adapter?: string;
  /** Names of the files in messages and for adapters (default: the paths); e.g. "stdin" for `-`. */
  names?: string[];
  /** The format already resolved by resolveFormat (so the files are not sniffed twice). */
  resolved?: ResolvedFormat;
  /** Adapter options (as `params.options` of an ingest stage). */
  adapterOptions?: Record<string, unknown>;
}

/** The adapter for the files: --adapter, else the one every file's content shows (detect-format.ts). */
export interface ResolvedFormat { adapter: string; note?: string; textFormat?: TextTableFormat }

export async function resolveFormat(paths: string[], options: CertifyFileOptions): Promise<ResolvedFormat> {
  if (options.resolved) return options.resolved;
  if (options.adapter) return { adapter: options.adapter };
  const { detectFormat } = await import("./detect-format.js");
  const names = options.names ?? paths;
  const found = await Promise.all(paths.map((p, i) => detectFormat(p, names[i]!)));
  const adapters = [...new Set(found.map((f) => f.adapter))];
  if (adapters.length > 1) {
    throw new Error(`the files are of different formats: ${found.map((f, i) => `${names[i]} (${f.seen})`).join(", ")}; certify reads one format at a time (choose with --adapter)`);
  }
  const textFormats = [...new Set(found.map((f) => f.textFormat))];
  // The generic format is the documented default: a note only when another format was recognised.
  const note = adapters[0] === "generic" ? undefined : `format: ${found[0]!.seen}, told from the content (force another with --adapter)`;
  return { adapter: adapters[0]!, note, textFormat: textFormats.length === 1 ? textFormats[0] : undefined };
}

/** Certify one results file (or several files read together by an adapter). */
export async function certifyFiles(paths: string[], options: CertifyFileOptions): Promise<Certificate> {
  if (options.copula) await loadCopula();
  const names = options.names ?? paths;
  const source = names.map((p) => p.split("/").pop()).join(", ");
  const format = await resolveFormat(paths, options);
  if (format.adapter === "generic") {
    // The fast reader takes no adapter options, as the generic adapter declares none: an --option is an error here too.
    const { normaliseAdapterOptions } = await import("../ingest/adapters/options.js");
    const { adapterOptions } = await import("../ingest/adapters/index.js");
    normaliseAdapterOptions("generic", await adapterOptions("generic"), options.adapterOptions ?? {});
    if (paths.length !== 1) throw new Error("certify reads one generic-format file at a time");
    const table = await readGenericVerdicts(paths[0]!, { samplePolicy: options.samplePolicy, task: options.task, format: format.textFormat, name: names[0]!.split("/").pop() });
    const common = commonItems(table);
    if (format.note) common.notes.unshift(format.note);
    if (table.samples > 1) common.notes.push(`${table.samples} samples per (model, item) at most; sample policy "${options.samplePolicy}"`);
    return certifyMatrix({ source, samplePolicy: options.samplePolicy, models: table.models, correct: common.correct, notes: common.notes }, options);
  }
  const table = await adapterTable(paths, { ...options, adapter: format.adapter });
  if (format.note) table.warnings.unshift(format.note);
  return certifyTable(table, options, source);
}

/** A canonical table (from any adapter), reduced exactly as the `pool` stage does, then certified. */
export async function certifyTable(table: CanonicalTable, options: CertifyFileOptions, source: string): Promise<Certificate> {
  if (options.copula) await loadCopula();
  const { buildPoolMatrix } = await import("../core/build-pool.js");
  const notes: string[] = [...table.warnings];
  const matrix = buildPoolMatrix([table], { name: "certify", sample_policy: options.samplePolicy, models: {}, items: "common" }, (m) => notes.push(m));
  notes.push(...matrix.notes);
  return certifyMatrix({ source, samplePolicy: options.samplePolicy, models: matrix.models, correct: matrix.correct.map((r) => Uint8Array.from(r)), notes }, options);
}

/** Any adapter's canonical table of the given files (the generic adapter keeps answer, gold and response columns). */
export async function adapterTable(paths: string[], options: CertifyFileOptions): Promise<CanonicalTable> {
  const { createHash } = await import("node:crypto");
  const { readFileSync } = await import("node:fs");
  const { ingestTable } = await import("../ingest/ingest-table.js");
  const { loadAdapter } = await import("../ingest/adapters/index.js");
  // The whole path as the logical name: some adapters read the model from the directory (lm-eval-harness).
  const names = options.names ?? paths;
  const files: InputFile[] = paths.map((p, i) => ({ name: names[i]!, path: p, sha256: createHash("sha256").update(readFileSync(p)).digest("hex") }));
  const warnings: string[] = [];
  return ingestTable({
    adapter: await loadAdapter(options.adapter!), adapterName: options.adapter!, task: options.task ?? "certify", files,
    options: options.adapterOptions ?? {}, models: { models: {}, byAlias: new Map() }, warn: (m) => warnings.push(m),
  });
}
