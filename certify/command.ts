// `cofail certify` option handling: validates the command-line options and returns what to print.
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { adapterTable, certifyFiles, checkOverhead, resolveFormat, type CertifyFileOptions, type CertifySide } from "./certificate.js";
import { certificateText } from "./report.js";
import { AUDIT_KINDS, auditParams, auditText, certifyWithAudit, type AuditKind } from "./audit.js";
import type { CertifySamplePolicy } from "./read-verdicts.js";

export interface CertifyCliOptions {
  adapter?: string;
  task?: string;
  level: string | number;
  side: string;
  samplePolicy: string;
  copula?: string | boolean;
  seed?: string | number;
  option?: string[];
  preSpecified?: string;
  overhead?: string | number;
  json?: boolean;
  audit?: string | boolean;
  auditParam?: string[];
}

const POLICIES = ["first", "majority", "any"];

/** Each results file named on the command line exists and is a file; the error names it as it was given. */
async function checkFiles(files: string[]): Promise<void> {
  for (const f of files) {
    let st;
    try { st = await stat(f); } catch (e) {
      throw new Error(`${f}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : `cannot be read (${(e as NodeJS.ErrnoException).code})`}; expected a results file (CSV or JSONL, optionally .gz)`);
    }
    if (st.isDirectory()) throw new Error(`${f}: is a directory; expected a results file (CSV or JSONL, optionally .gz), e.g. ${f.replace(/\/$/, "")}/*.csv`);
    if (!st.isFile()) throw new Error(`${f}: not a regular file; expected a results file (CSV or JSONL)`);
  }
}

/** Standard input, read whole (a results file piped into `cofail certify -`). */
async function readStdin(stdin: NodeJS.ReadableStream & { isTTY?: boolean }): Promise<Buffer> {
  if (stdin.isTTY) throw new Error("-: standard input is a terminal; pipe a results file into certify (cofail certify - < results.csv)");
  const chunks: Buffer[] = [];
  for await (const c of stdin) chunks.push(typeof c === "string" ? Buffer.from(c) : (c as Buffer));
  const all = Buffer.concat(chunks);
  if (all.length === 0) throw new Error("-: standard input is empty (expected a results file)");
  return all;
}

/**
 * `cofail certify <files...>`: "-" reads standard input (once; into a temporary file, so every format, zip and
 * parquet included, is read the same way), named "stdin" in messages.
 */
export async function certifyCommand(files: string[], o: CertifyCliOptions, io: { stdin?: NodeJS.ReadableStream & { isTTY?: boolean } } = {}): Promise<string> {
  if (files.filter((f) => f === "-").length > 1) throw new Error("certify: \"-\" (standard input) may be given once");
  if (!files.includes("-")) return certifyPaths(files.map((f) => resolve(f)), files, o);
  const dir = await mkdtemp(join(tmpdir(), "cofail-stdin-"));
  try {
    const tmp = join(dir, "stdin");
    await writeFile(tmp, await readStdin(io.stdin ?? process.stdin));
    return await certifyPaths(files.map((f) => (f === "-" ? tmp : resolve(f))), files.map((f) => (f === "-" ? "stdin" : f)), o);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function certifyPaths(paths: string[], names: string[], o: CertifyCliOptions): Promise<string> {
  const level = Number(o.level);
  if (!(level > 0 && level < 1)) throw new Error(`--level must be a number in (0, 1), e.g. 0.95; got ${o.level}`);
  if (o.side !== "two-sided" && o.side !== "upper") throw new Error(`--side must be two-sided or upper; got ${o.side}`);
  if (!POLICIES.includes(o.samplePolicy)) throw new Error(`--sample-policy must be one of ${POLICIES.join(", ")}; got ${o.samplePolicy}`);
  const copula = o.copula === undefined || o.copula === false ? undefined : o.copula === true ? "full" : o.copula;
  if (copula !== undefined && copula !== "sf" && copula !== "full") throw new Error(`--copula takes sf or full; got ${o.copula}`);
  if (o.preSpecified !== undefined && o.preSpecified.trim() === "") throw new Error("--pre-specified expects a model name; got an empty string");
  const overhead = o.overhead === undefined ? undefined
    : checkOverhead(typeof o.overhead === "number" ? o.overhead : o.overhead.trim() === "" ? NaN : Number(o.overhead), o.overhead);
  const seed = o.seed === undefined ? 0 : Number(o.seed);
  if (!(Number.isSafeInteger(seed) && seed >= 0)) throw new Error(`--seed must be a non-negative integer; got ${o.seed}`);
  if (names.length === 0) throw new Error("certify expects at least one results file");
  await checkFiles(names.filter((n) => n !== "stdin"));
  const adapterOptions: Record<string, unknown> = {};
  for (const kv of o.option ?? []) {
    const eq = kv.indexOf("=");
    if (eq <= 0) throw new Error(`--option expects key=value, got ${kv}`);
    const key = kv.slice(0, eq);
    if (key in adapterOptions) throw new Error(`--option ${key} given twice`);
    adapterOptions[key] = kv.slice(eq + 1);
  }
  const options: CertifyFileOptions = {
    level, side: o.side as CertifySide, samplePolicy: o.samplePolicy as CertifySamplePolicy, task: o.task, adapter: o.adapter,
    adapterOptions, names, copula: copula as CertifyFileOptions["copula"], preSpecified: o.preSpecified, overhead, orthant: { seed },
  };
  // The format (told from the content unless --adapter) and its declared options: an --option it does not take is an error.
  options.resolved = await resolveFormat(paths, options);
  const { adapterOptions: declaredOptions } = await import("../ingest/adapters/index.js");
  const { normaliseAdapterOptions } = await import("../ingest/adapters/options.js");
  const declared = await declaredOptions(options.resolved.adapter);
  try {
    normaliseAdapterOptions(options.resolved.adapter, declared, adapterOptions);
  } catch (e) {
    throw new Error(`--option: ${(e as Error).message}`);
  }
  if (o.audit !== undefined && o.audit !== false) {
    const kind = o.audit === true ? "math" : o.audit;
    if (!(AUDIT_KINDS as readonly string[]).includes(kind)) throw new Error(`--audit takes ${AUDIT_KINDS.join(" or ")} (how answers are compared); got ${o.audit}`);
    const pairs: Record<string, string> = {};
    for (const kv of o.auditParam ?? []) {
      const eq = kv.indexOf("=");
      if (eq <= 0) throw new Error(`--audit-param expects key=value, got ${kv}`);
      pairs[kv.slice(0, eq)] = kv.slice(eq + 1);
    }
    const params = auditParams(kind as AuditKind, pairs);
    const source = names.map((p) => p.split("/").pop()).join(", ");
    const a = certifyWithAudit(await adapterTable(paths, { ...options, adapter: options.resolved.adapter }), params, options, source);
    if (o.json) return JSON.stringify(a, null, 2);
    return [certificateText(a.raw), "", auditText(a.audit), "", "certificate on the audited verdicts:", certificateText(a.audited)].join("\n");
  }
  if (o.auditParam?.length) throw new Error("--audit-param needs --audit");
  const cert = await certifyFiles(paths, options);
  return o.json ? JSON.stringify(cert, null, 2) : certificateText(cert);
}
