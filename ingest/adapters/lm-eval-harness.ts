// EleutherAI lm-evaluation-harness `--log_samples` output: `<output_path>/<model>/samples_<task>_<date>.jsonl`,
// one line per document with doc_id, doc, target, resps, filtered_resps and per-document metric fields.
//
// Verdict: the metric named by option `metric`; by default the first of acc, exact_match, pass@1 present on the
// first line (the harness's per-document scores of its multiple-choice, generation and code tasks). The value must
// be 0/1 (or true/false): a graded metric such as f1 or acc_norm-like partial credit is an error, not rounded.
// Model: option `model`, else the directory the file sits in (the harness names it after the model, with "/"
// written "__"), resolved through the registry. Item id: `<task>-<doc_id>` with the task from the file name
// (option `task` overrides). answer = the first filtered response (<= 200 chars); gold = target (<= 200 chars);
// the raw response only with option keepResponse = true. For GPQA tasks no text is kept at all (GPQA policy):
// no response, and answer/gold only when they are a single option letter.
import type { InputFile } from "../../engine/types.js";
import type { CanonicalRow } from "../../core/canonical-table.js";
import { duplicateGuard, modelFields, parseBinary, resolveSourceModel, shortAnswer, stringOption } from "./common.js";
import { baseName, isRecord, readJsonl } from "../read-lines.js";
import type { Adapter, AdapterContext } from "./types.js";

export const defaultMetrics = ["acc", "exact_match", "pass@1"] as const;

export function harnessTaskOf(fileName: string): string {
  const m = /^samples_(.+)_(\d{4}-\d{2}-\d{2}T[\d.\-:]+)\.jsonl$/.exec(fileName);
  if (!m) throw new Error(`${fileName}: expected a file named samples_<task>_<date>.jsonl`);
  return m[1];
}

function modelOf(ctx: AdapterContext, file: InputFile): string {
  const fromOption = stringOption(ctx, "model");
  if (fromOption !== undefined) return fromOption;
  const parts = file.name.split("/");
  if (parts.length < 2) throw new Error(`${file.name}: cannot tell the model (set option "model", or keep the harness's <model>/ directory)`);
  return parts[parts.length - 2].replace(/__/g, "/");
}

function firstString(v: unknown): string | undefined {
  let x = v;
  while (Array.isArray(x)) x = x[0];
  return typeof x === "string" ? x : typeof x === "number" ? String(x) : undefined;
}

const lmEvalHarness: Adapter = async (ctx) => {
  if (ctx.files.length === 0) throw new Error("lm-eval-harness: no input files");
  const keepResponse = ctx.options.keepResponse === true;
  const check = duplicateGuard();
  const rows: CanonicalRow[] = [];
  for (const file of ctx.files) {
    const task = stringOption(ctx, "task") ?? harnessTaskOf(baseName(file));
    const gpqa = /gpqa/i.test(task);
    const m = resolveSourceModel(ctx, undefined, modelOf(ctx, file));
    const lines = readJsonl(file);
    const first = lines[0].value;
    if (!isRecord(first)) throw new Error(`${file.name}: line ${lines[0].line}: expected a JSON object`);
    const metric = stringOption(ctx, "metric") ?? defaultMetrics.find((k) => k in first);
    if (metric === undefined) throw new Error(`${file.name}: line ${lines[0].line}: none of ${defaultMetrics.join(", ")} present; set option "metric"`);
    for (const { line, value } of lines) {
      const where = `${file.name}: line ${line}`;
      if (!isRecord(value)) throw new Error(`${where}: expected a JSON object`);
      const docId = value.doc_id;
      if (!(typeof docId === "number" && Number.isInteger(docId)) && typeof docId !== "string") throw new Error(`${where}: doc_id: expected an integer or string`);
      if (!(metric in value)) throw new Error(`${where}: metric field "${metric}" missing`);
      const verdict = parseBinary(value[metric], `${where}: ${metric}`);
      const row: CanonicalRow = {
        task: ctx.task,
        item_id: `${task}-${docId}`,
        sample: 0,
        ...modelFields(m),
        source_verdict: verdict,
        correct: verdict,
      };
      const answer = firstString(value.filtered_resps);
      const gold = firstString(value.target);
      const letter = (s: string | undefined) => s !== undefined && /^\(?[A-J]\)?$/.test(s.trim());
      if (answer !== undefined && (!gpqa || letter(answer))) row.answer = shortAnswer(answer);
      if (gold !== undefined && (!gpqa || letter(gold))) row.gold = shortAnswer(gold);
      if (keepResponse && !gpqa) {
        const response = firstString(value.resps);
        if (response !== undefined) row.response = response;
      }
      check(row, where);
      rows.push(row);
    }
  }
  return rows;
};
export default lmEvalHarness;
