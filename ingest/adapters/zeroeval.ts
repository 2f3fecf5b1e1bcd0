// ZeroEval (WildEval/ZeroEval) result files: one `<model>.json` per model run, a JSON array with one
// object per problem ({id, answer, output: [generation], ...}); used for math-l5 and gsm. The files
// carry no verdict: `source_verdict` is ZeroEval's own rule (./zeroevalRule.ts). A `<task>.summary.json`
// among the inputs is not a model run: it is used to check that rule against the source's printed Acc.
import { questionSha256 } from "../../core/question-hash.js";
import type { InputFile } from "../../engine/types.js";
import type { CanonicalRow } from "../../core/canonical-table.js";
import { modelFields, resolveSourceModel } from "./common.js";
import { readText } from "../read-lines.js";
import type { Adapter, AdapterOptions } from "./types.js";
import { zeroEvalVerdict } from "./zeroeval-rule.js";

/** Extracted answers kept in rows are capped: the full generation is in `response`. */
const ANSWER_MAX = 200;

export interface ZeroEvalSummaryRow { model: string; acc: string; noAnswer?: string; total: number }

/** ZeroEval's model_name_replacement: file name -> the display name its summary uses. */
export function zeroEvalDisplayName(fileModel: string): string {
  const replacements: Array<[string, string]> = [
    ["gemma-2-9b-it@nvidia", "gemma-2-9b-it"], ["gemma-2-9b-it@together", "gemma-2-9b-it"],
    ["gemma-2-27b-it@together", "gemma-2-27b-it"], ["gemma-2-27b-it@nvidia", "gemma-2-27b-it"],
    ["deepseek-chat", "deepseek-v2-chat-0628"], ["deepseek-coder", "deepseek-v2-coder-0614"],
    ["DeepSeek-Coder-V2-0724", "deepseek-v2-coder-0724"],
    ["Llama-3.1-405B-Inst-fp8", "Llama-3.1-405B-Inst-fp8@together"],
    ["Llama-3.1-405B-Instruct-Turbo", "Llama-3.1-405B-Inst-fp8@together"],
    ["Meta-Llama-3.1-405B-Instruct@hyperbolic", "Llama-3.1-405B-Inst@hyperbolic"],
  ];
  // Python's str.replace, applied in sequence as the source does.
  return replacements.reduce((name, [from, to]) => name.split(from).join(to), fileModel);
}

/** Parses a whole JSON file; errors name the file and, where known, line and column (end of file if truncated). */
export function parseJsonFile(file: InputFile): unknown {
  const text = readText(file);
  if (text.trim() === "") throw new Error(`${file.name}: empty file (expected a JSON document)`);
  try {
    return JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const m = /position (\d+)/.exec(message);
    const pos = m ? Number(m[1]) : /end of JSON input/i.test(message) ? text.length : undefined;
    const truncated = pos !== undefined && pos >= text.trimEnd().length - 1;
    const where = pos === undefined ? "" : (() => {
      const before = text.slice(0, pos).split("\n");
      return ` at line ${before.length}, column ${before[before.length - 1]!.length + 1} (char ${pos})`;
    })();
    throw new Error(`${file.name}: invalid JSON${where}${truncated ? ": file ends early (truncated?)" : ""}: ${message}`);
  }
}

export function isSummaryFile(file: InputFile): boolean {
  return /\.summary\.json$/.test(file.name);
}

export function parseZeroEvalSummary(file: InputFile): ZeroEvalSummaryRow[] {
  const doc = parseJsonFile(file);
  if (!Array.isArray(doc)) throw new Error(`${file.name}: expected a JSON array of summary rows`);
  return doc.map((r, i) => {
    const row = r as Record<string, unknown>;
    if (typeof row?.Model !== "string" || typeof row.Acc !== "string" || typeof row.Total !== "number") {
      throw new Error(`${file.name}: row ${i}: expected {Model: string, Acc: string, Total: number}`);
    }
    return { model: row.Model, acc: row.Acc, noAnswer: typeof row["No answer"] === "string" ? row["No answer"] : undefined, total: row.Total };
  });
}

/** Python's f"{x:.2f}" for a ratio s/t*100 (JS toFixed rounds the same binary value the same way except at exact ties). */
export function pctFixed2(solved: number, total: number): string {
  return ((solved / total) * 100).toFixed(2);
}

/** `max_tokens` of ZeroEval's generation config, stored as a Python dict repr ("{'max_tokens': 4096, ...}") or an object. */
export function tokenBudget(configs: unknown): number | undefined {
  if (configs !== null && typeof configs === "object") {
    const v = (configs as Record<string, unknown>).max_tokens;
    return typeof v === "number" ? v : undefined;
  }
  if (typeof configs !== "string") return undefined;
  const m = /['"]max_tokens['"]\s*:\s*(\d+)/.exec(configs);
  return m ? Number(m[1]) : undefined;
}

interface RunStats { fileModel: string; solved: number; noAnswer: number; total: number }

export const options: AdapterOptions = {};

const adapter: Adapter = async (ctx) => {
  const rows: CanonicalRow[] = [];
  const summaries = ctx.files.filter(isSummaryFile);
  const runs = ctx.files.filter((f) => !isSummaryFile(f));
  if (runs.length === 0) throw new Error(`zeroeval: no model result files among the inputs (${ctx.files.map((f) => f.name).join(", ") || "none"})`);
  const stats: RunStats[] = [];
  for (const file of runs) {
    const fileModel = (file.name.split("/").pop() ?? file.name).replace(/\.json(\.gz)?$/, "");
    const doc = parseJsonFile(file);
    if (!Array.isArray(doc)) throw new Error(`${file.name}: expected a JSON array of result objects, got ${typeof doc}`);
    if (doc.length === 0) throw new Error(`${file.name}: no results (empty array)`);
    const model = resolveSourceModel(ctx, "zeroeval", fileModel);
    const run: RunStats = { fileModel, solved: 0, noAnswer: 0, total: doc.length };
    doc.forEach((item, index) => {
      const it = item as Record<string, unknown>;
      const where = `${file.name}: item ${index}`;
      if (typeof it !== "object" || it === null) throw new Error(`${where}: expected an object`);
      if (typeof it.id !== "number" && typeof it.id !== "string") throw new Error(`${where}: "id" must be a number or string`);
      if (typeof it.answer !== "string") throw new Error(`${where} (id ${it.id}): "answer" (gold) must be a string`);
      if (!Array.isArray(it.output) || typeof it.output[0] !== "string") {
        throw new Error(`${where} (id ${it.id}): "output" must be a list holding the generation string`);
      }
      const response = it.output[0];
      const verdict = zeroEvalVerdict(response, it.answer, fileModel);
      if (verdict.answer === undefined) run.noAnswer++;
      run.solved += verdict.correct;
      const sourceAnswer = verdict.answer;
      // The question's hash (never its text) lets the audit match published errata; the token budget explains
      // a response that stops before its final answer.
      const question = typeof it.problem === "string" ? it.problem : typeof it.question === "string" ? it.question : undefined;
      const maxTokens = tokenBudget(it.configs);
      const audit = { ...(question === undefined ? {} : { question_sha256: questionSha256(question) }), ...(maxTokens === undefined ? {} : { max_tokens: maxTokens }) };
      rows.push({
        task: ctx.task,
        item_id: `${ctx.task}-${it.id}`,
        ...modelFields(model),
        sample: 0,
        response,
        // ZeroEval's gold with its own clean-up (gsm golds read "# 72").
        gold: it.answer.replace(/#/g, "").trim(),
        source_verdict: verdict.correct,
        // The run's own name (before registry resolution) and ZeroEval's extracted answer, for the
        // agreement report (summary rows are keyed by file name; the answer explains a verdict).
        meta: sourceAnswer === undefined ? { source_model: fileModel, ...audit } : { source_model: fileModel, source_answer: sourceAnswer.slice(0, ANSWER_MAX), ...audit },
      });
    });
    stats.push(run);
  }
  for (const summary of summaries) checkSummary(summary, stats, ctx.warn);
  return rows;
};

/** Warns for every run whose re-computed Acc/Total differ from the source's printed summary. */
function checkSummary(file: InputFile, stats: RunStats[], warn: (m: string) => void): void {
  const byName = new Map(parseZeroEvalSummary(file).map((r) => [r.model, r]));
  for (const run of stats) {
    const row = byName.get(zeroEvalDisplayName(run.fileModel));
    if (!row) { warn(`${file.name}: no summary row for ${run.fileModel}`); continue; }
    const acc = pctFixed2(run.solved, run.total);
    if (acc !== row.acc || run.total !== row.total) {
      warn(`${file.name}: ${run.fileModel}: ZeroEval rule gives Acc ${acc} on ${run.total} items, the source printed ${row.acc} on ${row.total}`);
    }
  }
}

export default adapter;
