// Table-driven bad input across pipeline.yaml, results files, `cofail certify` and CLI flags: every case must end with a
// message that names the file and line (or the key path, or the flag) and what was expected, with the right exit code,
// and must leave the run-cache, cofail.lock and build/ exactly as they were (and no .cofail/run.lock behind).
// tier: slow
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { runCli } from "../support/engine-project.js";
import { A_CSV, B_JSONL, makeTrustProject, TRUST_PIPELINE, trustedState, writeResults } from "../support/trust-project.js";
import { certifyCommand, type CertifyCliOptions } from "../../certify/command.js";

interface Case {
  name: string;
  /** Files to write before the run (project-relative; a Buffer for binary content). */
  files?: Record<string, string | Buffer>;
  /** Symbolic links to create (project-relative path -> target). */
  links?: Record<string, string>;
  args?: string[];
  code: number;
  /** Each must match stderr (or the thrown message for certify cases). */
  expect: RegExp[];
  reject?: RegExp[];
}

const P = "pipeline.yaml";
const spec = (from: string, to: string): Record<string, string> => {
  assert.ok(TRUST_PIPELINE.includes(from), `baseline has no "${from}"`);
  return { [P]: TRUST_PIPELINE.replace(from, to) };
};
/** `pipeline.yaml:<line>:<col>: <path>: ` where line is the (1-based) line of `needle` in `text`. */
const at = (text: string, needle: string, path: string): RegExp => {
  const line = text.split("\n").findIndex((l) => l.includes(needle)) + 1;
  assert.ok(line > 0, `no "${needle}"`);
  return new RegExp(`pipeline\\.yaml:${line}:\\d+: ${path.replace(/[.()[\]]/g, "\\$&")}: `);
};
const specCase = (name: string, from: string, to: string, needle: string, path: string, message: RegExp, extra: Partial<Case> = {}): Case => {
  const files = spec(from, to);
  return { name, files, code: 4, expect: [at(files[P]!, needle, path), message], ...extra };
};
const COPULA = "  cop:\n    type: copula\n    inputs: { matrix: pool.matrix }\n";

const specCases: Case[] = [
  specCase("misspelled param names the valid one", "sample_policy: first", "sample_polcy: majority", "sample_polcy", "stages.pool.params.sample_polcy",
    /unknown param "sample_polcy" of stage type "pool"; did you mean "sample_policy"\? Expected one of: items, min_models, models, name, sample_policy/),
  specCase("misspelled adapter key; no follow-on error for references to the stage", "adapter: generic", "adaptor: generic", "adaptor", "stages.ingest.params.adaptor",
    /did you mean "adapter"\?/, { reject: [/unknown stage/] }),
  specCase("adapter not in the registry", "adapter: generic", "adapter: gneric", "gneric", "stages.ingest.params.adapter", /expected one of .*"generic"/),
  specCase("empty task", "task: t", 'task: ""', 'task: ""', "stages.ingest.params.task", /expected string to have >=1 characters/),
  specCase("enum param misspelled", "items: common", "items: commn", "commn", "stages.pool.params.items", /expected one of "common"\|"all"/),
  specCase("param of the wrong type", "sample_policy: first", "sample_policy: 3", "sample_policy: 3", "stages.pool.params.sample_policy", /expected one of "first"\|"majority"\|"any"/),
  specCase("nested unknown key", "items: common }", "items: common, models: { exlude: [m1] } }", "exlude", "stages.pool.params.models.exlude",
    /unknown key "exlude" in stages\.pool\.params\.models; did you mean "exclude"\?/),
  specCase("unknown stage type", "type: pool", "type: pol", "type: pol", "stages.pool.type", /unknown stage type "pol" \(did you mean "pool"\?\); expected one of: cofailure, copula, ingest, pool/),
  specCase("undeclared input name", "inputs: { tables: ingest.table }", "inputs: { table: ingest.table }", "table: ingest", "stages.pool.inputs.table",
    /input "table" is not declared by stage type "pool"; expected one of: tables/),
  specCase("unknown output", "ingest.table }", "ingest.tabel }", "ingest.tabel", "stages.pool.inputs.tables", /stage "ingest" has no output "tabel" \(did you mean "table"\?\)/),
  specCase("unknown upstream stage", "matrix: pool.matrix", "matrix: pool2.matrix", "pool2", "stages.cofailure.inputs.matrix",
    /unknown stage "pool2" in reference "pool2\.matrix" \(did you mean "pool"\?\)/),
  specCase("unknown dataset", "dataset:results", "dataset:result", "dataset:result", "stages.ingest.inputs.files", /unknown dataset "result" \(did you mean "results"\?\)/),
  specCase("local path climbing out of the project", "results/c.csv.gz]", "results/c.csv.gz, ../../../etc/passwd]", "passwd", "datasets.results.local.3",
    /local file "\.\.\/\.\.\/\.\.\/etc\/passwd" is outside the project: expected a path inside the project directory; .*local_roots/),
  specCase("absolute local path outside the project", "results/c.csv.gz]", "results/c.csv.gz, /etc/passwd]", "/etc/passwd", "datasets.results.local.3", /local file "\/etc\/passwd" is outside the project/),
  specCase("a glob in local:", "results/c.csv.gz]", "results/c.csv.gz, results/*.csv]", "*.csv", "datasets.results.local.3", /"results\/\*\.csv" is a glob; local: lists files one by one/),
  specCase("a directory in local:", "results/c.csv.gz]", "results/c.csv.gz, results]", "results]", "datasets.results.local.3", /local file "results" is a directory; expected a file/),
  specCase("a missing local file", "results/c.csv.gz]", "results/c.csv.gz, results/zzz.csv]", "zzz", "datasets.results.local.3", /local file "results\/zzz\.csv" does not exist/),
  { ...specCase("a symlink inside the project pointing outside", "results/c.csv.gz]", "results/c.csv.gz, results/link.csv]", "link.csv", "datasets.results.local.3", /local file "results\/link\.csv" is outside the project/),
    links: { "results/link.csv": "/etc/passwd" } },
  specCase("YAML syntax error", "inputs: { tables: ingest.table }", "inputs: { tables: [ingest.table }", "[ingest.table", "stages.pool.inputs.tables", /invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a \]/),
  { name: "duplicate stage id", code: 4, files: spec("  cofailure:\n", "  pool:\n    type: pool\n  cofailure:\n"), expect: [/pipeline\.yaml:16:3: stages\.pool: duplicate key: Map keys must be unique \(each key may appear once\)/] },
  specCase("version 2", "version: 1", "version: 2", "version: 2", "version", /expected 1/),
  specCase("fractional seed", "seed: 11", "seed: 1.5", "seed: 1.5", "seed", /expected int/),
  specCase("misspelled top-level key", "stages:\n", "stagse: {}\nstages:\n", "stagse", "stagse", /unknown key "stagse" in \(root\); did you mean "stages"\?/),
  specCase("misspelled dataset kind", "    local: [", "    locla: [", "locla", "datasets.results.locla", /unknown key "locla" in datasets\.results; did you mean "local"\?/),
  specCase("foreach on a name that is no input", "foreach: files", "foreach: file", "foreach: file", "stages.ingest.foreach", /foreach "file" is not an input of stage type "ingest"; expected one of: files, models/),
  specCase("misspelled stage key", "foreach: files", "forEach: files", "forEach", "stages.ingest.forEach", /unknown key "forEach" in stages\.ingest; did you mean "foreach"\?/),
  specCase("resource param above its bound", "    inputs: { matrix: pool.matrix }\n", `    inputs: { matrix: pool.matrix }\n${COPULA}    params: { B_sf: 1000000000 }\n`, "B_sf: 1000000000", "stages.cop.params.B_sf",
    /1000000000 is above the bound 100000 for single-factor bootstrap replicates; .*add "allow_large: \[B_sf\]" to stage cop/),
  specCase("allow_large naming no resource param", "    inputs: { matrix: pool.matrix }\n", `    inputs: { matrix: pool.matrix }\n${COPULA}    allow_large: [Bsf]\n`, "allow_large", "stages.cop.allow_large.0",
    /"Bsf" is not a resource param of stage type "copula"; did you mean "B_sf"\? expected one of: B_full, B_sf, boot_orthant\.max_points, orthant\.max_points, workers/),
  specCase("Bsf for B_sf", "    inputs: { matrix: pool.matrix }\n", `    inputs: { matrix: pool.matrix }\n${COPULA}    params: { Bsf: 20 }\n`, "Bsf", "stages.cop.params.Bsf", /unknown param "Bsf" of stage type "copula"; did you mean "B_sf"\?/),
  specCase("bound on a nested resource param", "    inputs: { matrix: pool.matrix }\n", `    inputs: { matrix: pool.matrix }\n${COPULA}    params: { orthant: { max_points: 999999999999 } }\n`, "max_points", "stages.cop.params.orthant.max_points",
    /999999999999 is above the bound 50000000 for quasi-Monte Carlo points/),
  specCase("a stage id that is not a name", "  cofailure:\n", "  co failure:\n", "co failure", "stages.co failure", /invalid name "co failure": expected a name of letters, digits/),
  specCase("an input reference that is not a string", "matrix: pool.matrix", "matrix: 42", "matrix: 42", "stages.cofailure.inputs.matrix", /Invalid input/),
  specCase("local_roots not a list", "seed: 11\n", "seed: 11\ndata: { local_roots: 5 }\n", "local_roots", "data.local_roots", /expected array/),
  { name: "YAML alias bomb", code: 4, files: { [P]: "version: 1\nseed: 1\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n" +
    "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nstages: {}\n" }, expect: [/pipeline\.yaml:4:\d+: b: cannot expand YAML aliases: .*expected at most 1000 alias expansions/] },
  { name: "an empty pipeline.yaml", code: 4, files: { [P]: "" }, expect: [/pipeline\.yaml:1:1: \(root\): .*expected object/] },
];

const csv = (body: string) => ({ "results/a.csv": body });
const line = (n: number) => A_CSV.split("\n")[n - 1]!;
const withLine = (n: number, to: string) => A_CSV.split("\n").map((l, i) => (i === n - 1 ? to : l)).join("\n");
const failed = (file: string, lineNo: number | undefined, message: RegExp): RegExp =>
  new RegExp(`FAILED ingest\\[[^\\]]+\\]: ${file.replace(/[.]/g, "\\.")}: ${lineNo === undefined ? "" : `line ${lineNo}: `}${message.source}`);

const resultCases: Case[] = [
  { name: "a verdict that is not 0/1", files: csv(withLine(3, "q2,m1,0,maybe")), code: 1, expect: [failed("results/a.csv", 3, /column "correct": "maybe" is not one of 0, 1, true, false/)] },
  { name: "a negative sample", files: csv(withLine(3, "q2,m1,-1,0")), code: 1, expect: [failed("results/a.csv", 3, /column "sample": "-1" is not a non-negative integer/)] },
  { name: "a fractional sample", files: csv(withLine(3, "q2,m1,1.5,0")), code: 1, expect: [failed("results/a.csv", 3, /column "sample": "1\.5" is not a non-negative integer/)] },
  { name: "a missing column", files: csv(withLine(1, "item_id,model,sample,verdict")), code: 1, expect: [failed("results/a.csv", undefined, /missing column "correct" \(columns: item_id, model, sample, verdict\)/)] },
  { name: "a duplicate row", files: csv(A_CSV + line(2) + "\n"), code: 1, expect: [failed("results/a.csv", 10, /duplicate row for item "q1", model "m1", sample 0 \(first seen at results\/a\.csv: line 2\)/)] },
  { name: "an unterminated quote", files: csv(A_CSV + 'q5,"m1,0,1\n'), code: 1, expect: [failed("results/a.csv", 10, /unterminated quoted field \(file truncated\?\)/)] },
  { name: "a quote inside an unquoted field", files: csv(withLine(2, 'q1,m"1",0,1')), code: 1, expect: [failed("results/a.csv", 2, /quote inside an unquoted field/)] },
  { name: "an empty file", files: csv(""), code: 1, expect: [failed("results/a.csv", undefined, /empty file \(0 bytes\)/)] },
  { name: "a header and no rows", files: csv(line(1) + "\n"), code: 1, expect: [failed("results/a.csv", undefined, /no rows for task "t"/)] },
  { name: "a short row", files: csv(withLine(2, "q1,m1,0")), code: 1, expect: [failed("results/a.csv", 2, /3 fields, expected 4 \(header: item_id, model, sample, correct\)/)] },
  { name: "an empty item id", files: csv(withLine(2, ",m1,0,1")), code: 1, expect: [failed("results/a.csv", 2, /column "item_id": empty \(expected an item id\)/)] },
  { name: "an empty model", files: csv(withLine(2, "q1,,0,1")), code: 1, expect: [failed("results/a.csv", 2, /column "model": empty \(expected a model name\)/)] },
  { name: "a 5 MB header line is quoted as a short excerpt", files: csv(`${"h".repeat(5_000_000)},model\nx,y\n`), code: 1,
    expect: [failed("results/a.csv", undefined, /missing column "item_id" \(columns: h{40}… \(5000000 characters\), model\)/), /^[\s\S]{0,4000}$/] },
  { name: "control characters are escaped", files: csv(withLine(3, "q2,m1,0,\u0007\u001b[31m")), code: 1, expect: [failed("results/a.csv", 3, /column "correct": "\\u0007\\u001b\[31m" is not one of/)], reject: [/\u001b/] },
  { name: "invalid JSON in a JSONL file", files: { "results/b.jsonl": B_JSONL.replace(/\n.*\n/, "\n{not json\n") }, code: 1, expect: [failed("results/b.jsonl", 2, /invalid JSON/)] },
  { name: "a JSONL line that is not an object", files: { "results/b.jsonl": "[1, 2]\n" + B_JSONL }, code: 1, expect: [failed("results/b.jsonl", 1, /expected a JSON object with item_id, model, sample, correct/)] },
  { name: "a JSONL row without correct", files: { "results/b.jsonl": '{"item_id": "q1", "model": "m3", "sample": 0}\n' }, code: 1, expect: [failed("results/b.jsonl", 1, /column "correct": missing/)] },
  { name: "a JSONL sample that is text", files: { "results/b.jsonl": '{"item_id": "q1", "model": "m3", "sample": "x", "correct": 1}\n' }, code: 1, expect: [failed("results/b.jsonl", 1, /column "sample": "x" is not a non-negative integer/)] },
  { name: "a .gz file that is not gzip", files: { "results/c.csv.gz": "item_id,model,sample,correct\n" }, code: 1, expect: [failed("results/c.csv.gz", undefined, /not a readable gzip file/)] },
  { name: "a gzip file whose CSV is bad", files: { "results/c.csv.gz": gzipSync(Buffer.from("item_id,model,sample,correct\nq1,m4,0,2\n")) }, code: 1, expect: [failed("results/c.csv.gz", 2, /column "correct": "2" is not one of/)] },
  { name: "rows of another task only", files: csv("item_id,model,sample,correct,task\nq1,m1,0,1,other\n"), code: 1, expect: [failed("results/a.csv", undefined, /no rows for task "t"/)] },
];

const flagCase = (args: string[], flag: string, expected: RegExp, code = 2): Case => ({
  name: `${args.join(" ")}`, args, code, expect: [new RegExp(`option '${flag.replace(/[<>]/g, "\\$&")}' argument '${args[args.length - 1]!.replace(/[.]/g, "\\.")}' is invalid\\. ${expected.source}`)],
});
const cliCases: Case[] = [
  ...["abc", "0", "-1", "1.5", "2x", "2000"].map((v) => flagCase(["run", "--jobs", v], "-j, --jobs <n>", /expected an integer from 1 to 1024, got "[^"]+"\./)),
  flagCase(["run", "--wait", "abc"], "--wait <seconds>", /expected a number of seconds from 0 to 86400/),
  flagCase(["run", "--wait", "-5"], "--wait <seconds>", /expected a number of seconds from 0 to 86400/),
  flagCase(["run", "--wait", "1e9"], "--wait <seconds>", /expected a number of seconds from 0 to 86400/),
  flagCase(["gc", "--keep-runs", "x"], "--keep-runs <n>", /expected an integer from 0 to 1000000/),
  flagCase(["gc", "--wait", "soon"], "--wait <seconds>", /expected a number of seconds/),
  flagCase(["clean", "--wait", "abc"], "--wait <seconds>", /expected a number of seconds/),
  { name: "an unknown target", args: ["run", "nope"], code: 2, expect: [/unknown target "nope": not a stage id, a stage type \(cofailure, ingest, pool\) or a glob matching a stage id/] },
  { name: "an option run does not have", args: ["run", "--seed", "5"], code: 2, expect: [/unknown option '--seed'/] },
  { name: "explain an unknown id", args: ["explain", "no.such.id"], code: 2, expect: [/"no\.such\.id" is neither a result id in build\/registry\.json nor an output file recorded in cofail\.lock/] },
  { name: "diff with three runs", args: ["diff", "a", "b", "c"], code: 2, expect: [/cofail diff takes at most two runs/] },
];

interface CertifyCase { name: string; files: string[]; options?: Partial<CertifyCliOptions>; expect: RegExp[] }
const certifyCases: CertifyCase[] = [
  { name: "--level above 1", files: ["ok.csv"], options: { level: "2" }, expect: [/--level must be a number in \(0, 1\), e\.g\. 0\.95; got 2/] },
  { name: "--level not a number", files: ["ok.csv"], options: { level: "abc" }, expect: [/--level must be a number in \(0, 1\)/] },
  { name: "--side unknown", files: ["ok.csv"], options: { side: "sideways" }, expect: [/--side must be two-sided or upper; got sideways/] },
  { name: "--sample-policy unknown", files: ["ok.csv"], options: { samplePolicy: "best" }, expect: [/--sample-policy must be one of first, majority, any; got best/] },
  { name: "--copula unknown", files: ["ok.csv"], options: { copula: "half" }, expect: [/--copula takes sf or full; got half/] },
  { name: "--seed not an integer", files: ["ok.csv"], options: { seed: "abc" }, expect: [/--seed must be a non-negative integer; got abc/] },
  { name: "--seed negative", files: ["ok.csv"], options: { seed: "-3" }, expect: [/--seed must be a non-negative integer; got -3/] },
  { name: "--overhead above 1", files: ["ok.csv"], options: { overhead: "2" }, expect: [/--overhead must be a number in \[0, 1\]/] },
  { name: "--option without =", files: ["ok.csv"], options: { option: ["novalue"] }, expect: [/--option expects key=value, got novalue/] },
  { name: "--audit-param without --audit", files: ["ok.csv"], options: { auditParam: ["x=1"] }, expect: [/--audit-param needs --audit/] },
  { name: "--audit of an unknown kind", files: ["ok.csv"], options: { audit: "weird" }, expect: [/--audit takes math or choice/] },
  { name: "--pre-specified empty", files: ["ok.csv"], options: { preSpecified: " " }, expect: [/--pre-specified expects a model name/] },
  { name: "a directory", files: ["adir"], expect: [/adir: is a directory; expected a results file \(CSV or JSONL, optionally \.gz\)/] },
  { name: "a missing file", files: ["nope.csv"], expect: [/nope\.csv: no such file; expected a results file/] },
  { name: "an unterminated quote", files: ["unterm.csv"], expect: [/unterm\.csv: line 3: unterminated quoted field/] },
  { name: "a 5 MB header", files: ["big.csv"], expect: [/big\.csv: header has no column "item_id" .*found: h{40}… \(5000000 characters\), model\)$/] },
  { name: "a duplicate JSONL row", files: ["dup.jsonl"], expect: [/dup\.jsonl: line 2: duplicate row for item "q1", model "m1", sample 0/] },
  { name: "a bad verdict", files: ["verdict.csv"], expect: [/verdict\.csv: line 2: column "correct": "yes\?" is not one of 0, 1, true, false/] },
];

test("bad input: every case names where and what was expected, exits non-zero, and changes no cache, lock or build/", async () => {
  const dir = await makeTrustProject();
  const first = await runCli(dir, ["run", "--jobs", "2"]);
  assert.equal(first.code, 0, first.stderr);
  const baseline = await trustedState(dir);
  assert.ok(Object.keys(baseline.build).includes("cofailure/row.json"), Object.keys(baseline.build).join(", "));
  const total = specCases.length + resultCases.length + cliCases.length + certifyCases.length;
  assert.ok(total >= 60, `only ${total} cases`);

  const failures: string[] = [];
  for (const c of [...specCases, ...resultCases, ...cliCases]) {
    for (const [rel, text] of Object.entries(c.files ?? {})) await writeFile(join(dir, rel), text);
    for (const [rel, target] of Object.entries(c.links ?? {})) await symlink(target, join(dir, rel));
    const r = await runCli(dir, c.args ?? ["run", "--jobs", "2"]);
    const out = r.stderr + r.stdout;
    const problems: string[] = [];
    if (r.code !== c.code) problems.push(`exit ${r.code}, expected ${c.code}`);
    for (const re of c.expect) if (!re.test(out)) problems.push(`no match for ${re}`);
    for (const re of c.reject ?? []) if (re.test(out)) problems.push(`unexpected match for ${re}`);
    if (/\n\s+at .+:\d+:\d+\)?\n/.test(out)) problems.push("a stack trace was printed");
    await writeFile(join(dir, P), TRUST_PIPELINE);
    await writeResults(dir);
    for (const rel of Object.keys(c.links ?? {})) await rm(join(dir, rel), { force: true });
    if (await stat(join(dir, ".cofail", "run.lock")).then(() => true, () => false)) problems.push(".cofail/run.lock left behind");
    const after = await trustedState(dir);
    for (const part of ["cache", "build", "lock"] as const) {
      try { assert.deepEqual(after[part], baseline[part]); } catch { problems.push(`${part} changed`); }
    }
    if (problems.length) failures.push(`${c.name}: ${problems.join("; ")}\n    output: ${out.slice(0, 600).replace(/\n/g, "\n    ")}`);
  }

  const cdir = await mkdtemp(join(tmpdir(), "cofail-certify-bad-"));
  await writeFile(join(cdir, "ok.csv"), A_CSV);
  await mkdir(join(cdir, "adir"));
  await writeFile(join(cdir, "unterm.csv"), 'item_id,model,sample,correct\nq1,m1,0,1\nq2,"m1,0,1\n');
  await writeFile(join(cdir, "big.csv"), `${"h".repeat(5_000_000)},model\nx,y\n`);
  await writeFile(join(cdir, "dup.jsonl"), '{"item_id":"q1","model":"m1","sample":0,"correct":1}\n{"item_id":"q1","model":"m1","sample":0,"correct":0}\n');
  await writeFile(join(cdir, "verdict.csv"), "item_id,model,sample,correct\nq1,m1,0,yes?\n");
  const defaults: CertifyCliOptions = { level: "0.95", side: "two-sided", samplePolicy: "first" };
  for (const c of certifyCases) {
    let message = "";
    try {
      await certifyCommand(c.files.map((f) => join(cdir, f)), { ...defaults, ...c.options });
      message = "(no error)";
    } catch (e) { message = (e as Error).message; }
    const bad = c.expect.filter((re) => !re.test(message));
    if (bad.length || message.length > 2000) failures.push(`certify ${c.name}: ${bad.map(String).join("; ")} ${message.length > 2000 ? `message of ${message.length} characters` : ""}\n    message: ${message.slice(0, 400)}`);
  }
  await rm(cdir, { recursive: true, force: true });
  const after = await trustedState(dir);
  assert.deepEqual(after, baseline);
  assert.deepEqual(failures, [], `${failures.length} of ${total} cases failed:\n${failures.join("\n")}`);
});
