// BigCodeBench `bigcodebench.evaluate` results, `<samples>_eval_results.json`.
// Source: bigcodebench/evaluate.py (results = {date, eval: {task_id: [{task_id, solution, status, details}, ...]}},
// one entry per sample; status "pass", "fail" or "timeout" from bigcodebench/eval/__init__.py) and
// bigcodebench/generate.py (samples named <model with "/" as "--">--[<revision>--]bigcodebench-[hard-]<split>--
// <backend>-<temperature>-<n>-sanitized[_calibrated].jsonl). The layout is EvalPlus's, read by evalplus.ts.
//
// Verdict: status == "pass". One row per (task, sample): item id = the task id verbatim ("BigCodeBench/13"),
// sample = position in the task's list. Model: option `model`, else the file name's part before "--bigcodebench",
// "--" read as "/" (a third part, the revision, e.g. "--main", is dropped). The solution code is kept as the
// response only with option keepCode = true.
import { codeEvalRows } from "./evalplus.js";
import type { Adapter, AdapterOptions } from "./types.js";

export const options: AdapterOptions = {
  model: { type: "string", description: "model name (default: from the file name <org>--<name>[--<revision>]--bigcodebench-...)" },
  keepCode: { type: "boolean", description: "keep each sample's solution code as the row's response (default false)" },
};

export function bigcodebenchModelOf(fileName: string): string | undefined {
  const at = fileName.indexOf("--bigcodebench");
  if (at <= 0) return undefined;
  const parts = fileName.slice(0, at).split("--");
  return (parts.length >= 3 ? parts.slice(0, -1) : parts).join("/");
}

const bigcodebench: Adapter = (ctx) => codeEvalRows(ctx, "bigcodebench", bigcodebenchModelOf);
export default bigcodebench;
