// EvalPlus (HumanEval+, MBPP+) `evalplus.evaluate` results, `<samples>_eval_results.json`, and BigCodeBench's, which
// keeps EvalPlus's layout (ingest/adapters/bigcodebench.ts reads those through codeEvalRows below).
// Source: evalplus/evaluate.py (results = {date, hash, eval: {task_id: [{task_id, solution, base_status,
// plus_status, base_fail_tests, plus_fail_tests}, ...]}}, one entry per sample sorted by completion id; statuses
// PASS "pass", FAIL "fail", TIMEOUT "timeout" from evalplus/eval/__init__.py; plus_status null with --base-only;
// the "Base + Extra" pass@k counts a sample as passing when base_status == plus_status == "pass"; releases before
// 0.2 wrote {task_id: {nfiles, base: [[status, details]], plus: [[status, details]]}}, read too) and
// evalplus/codegen.py (samples named <model with "/" as "--">_<backend>_temp_<temperature>.jsonl).
//
// Verdict: option `tests` = plus (default: base and plus tests pass, the EvalPlus "+" score) or base (base tests only).
// One row per (task, sample): item id = the task id verbatim ("HumanEval/0", "Mbpp/2"), sample = position in the
// task's list. Model: option `model`, else the file name <model>_<backend>_temp_<t>[...]_eval_results.json with "--"
// read as "/". The solution code is kept as the response only with option keepCode = true.
import type { InputFile } from "../../engine/types.js";
import type { CanonicalRow } from "../../core/canonical-table.js";
import { duplicateGuard, modelFields, resolveSourceModel, stringOption } from "./common.js";
import { baseName, isRecord, readJson } from "../read-lines.js";
import type { Adapter, AdapterContext, AdapterOptions } from "./types.js";

export const options: AdapterOptions = {
  tests: { type: "string", values: ["plus", "base"], description: "plus (default): base and EvalPlus's extra tests must pass; base: base tests only" },
  model: { type: "string", description: "model name (default: from the file name <model>_<backend>_temp_<t>_eval_results.json)" },
  keepCode: { type: "boolean", description: "keep each sample's solution code as the row's response (default false)" },
};

export const PASS = "pass";

/** EvalPlus's file naming: <model with / as -->_<backend>_temp_<temperature>[...]_eval_results.json. */
export function evalplusModelOf(fileName: string): string | undefined {
  const m = /^(.+?)_[a-z0-9]+_temp_[\d.]+.*_eval_results\.json$/i.exec(fileName);
  return m ? m[1]!.replace(/--/g, "/") : undefined;
}

export interface CodeSample { where: string; task: string; sample: number; verdict: 0 | 1; solution?: string }

function statusOf(v: unknown, where: string): string {
  if (typeof v !== "string") throw new Error(`${where}: expected a status string (pass, fail, timeout), got ${JSON.stringify(v)}`);
  return v;
}

function evalplusSamples(ctx: AdapterContext, file: InputFile, evalMap: Record<string, unknown>): CodeSample[] {
  const tests = stringOption(ctx, "tests") ?? "plus";
  const out: CodeSample[] = [];
  for (const [task, entry] of Object.entries(evalMap)) {
    const where0 = `${file.name}: eval["${task}"]`;
    if (Array.isArray(entry)) {
      entry.forEach((r, k) => {
        const where = `${where0}[${k}]`;
        if (!isRecord(r)) throw new Error(`${where}: expected an object with base_status and plus_status`);
        const base = statusOf(r.base_status, `${where}: base_status`);
        let ok = base === PASS;
        if (tests === "plus") {
          if (r.plus_status === null || r.plus_status === undefined) throw new Error(`${where}: plus_status is null (evaluated with --base-only); set option tests=base`);
          ok = ok && statusOf(r.plus_status, `${where}: plus_status`) === PASS;
        }
        out.push({ where, task, sample: k, verdict: ok ? 1 : 0, solution: typeof r.solution === "string" ? r.solution : undefined });
      });
    } else if (isRecord(entry) && Array.isArray(entry.base)) {
      const base = entry.base, plus = Array.isArray(entry.plus) ? entry.plus : [];
      if (tests === "plus" && plus.length !== base.length) throw new Error(`${where0}: ${base.length} base results but ${plus.length} plus results (evaluated with --base-only?); set option tests=base`);
      base.forEach((b, k) => {
        const where = `${where0}.base[${k}]`;
        const st = (x: unknown, w: string) => statusOf(Array.isArray(x) ? x[0] : x, w);
        const ok = st(b, where) === PASS && (tests === "base" || st(plus[k], `${where0}.plus[${k}]`) === PASS);
        out.push({ where, task, sample: k, verdict: ok ? 1 : 0 });
      });
    } else {
      throw new Error(`${where0}: expected a list of per-sample results (EvalPlus >= 0.2) or {base, plus} lists`);
    }
  }
  return out;
}

/** BigCodeBench: eval[task_id] = [{task_id, solution, status, details}]; pass iff status == "pass". */
function bigcodebenchSamples(file: InputFile, evalMap: Record<string, unknown>): CodeSample[] {
  const out: CodeSample[] = [];
  for (const [task, entry] of Object.entries(evalMap)) {
    const where0 = `${file.name}: eval["${task}"]`;
    if (!Array.isArray(entry)) throw new Error(`${where0}: expected a list of per-sample results [{task_id, solution, status}]`);
    entry.forEach((r, k) => {
      const where = `${where0}[${k}]`;
      if (!isRecord(r)) throw new Error(`${where}: expected an object with status`);
      out.push({ where, task, sample: k, verdict: statusOf(r.status, `${where}: status`) === PASS ? 1 : 0, solution: typeof r.solution === "string" ? r.solution : undefined });
    });
  }
  return out;
}

/** Rows of `*_eval_results.json` files of EvalPlus ("evalplus") or BigCodeBench ("bigcodebench"). */
export async function codeEvalRows(ctx: AdapterContext, kind: "evalplus" | "bigcodebench", modelOf: (fileName: string) => string | undefined): Promise<CanonicalRow[]> {
  if (ctx.files.length === 0) throw new Error(`${kind}: no input files`);
  const keepCode = ctx.options.keepCode === true;
  const check = duplicateGuard();
  const rows: CanonicalRow[] = [];
  for (const file of ctx.files) {
    const doc = readJson(file);
    if (!isRecord(doc) || !isRecord(doc.eval)) throw new Error(`${file.name}: expected an ${kind} results object {date, eval: {task_id: [...]}}`);
    const name = stringOption(ctx, "model") ?? modelOf(baseName(file));
    if (name === undefined) throw new Error(`${file.name}: cannot tell the model from the file name; set option "model"`);
    const m = resolveSourceModel(ctx, undefined, name);
    const samples = kind === "evalplus" ? evalplusSamples(ctx, file, doc.eval) : bigcodebenchSamples(file, doc.eval);
    if (samples.length === 0) throw new Error(`${file.name}: no results under "eval"`);
    for (const s of samples) {
      const row: CanonicalRow = { task: ctx.task, item_id: s.task, sample: s.sample, ...modelFields(m), source_verdict: s.verdict, correct: s.verdict };
      if (keepCode && s.solution !== undefined) row.response = s.solution;
      check(row, s.where);
      rows.push(row);
    }
  }
  return rows;
}

const evalplus: Adapter = (ctx) => codeEvalRows(ctx, "evalplus", evalplusModelOf);
export default evalplus;
