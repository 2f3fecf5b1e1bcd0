// OpenCompass evaluation results with per-sample details:
// `outputs/<config>/<timestamp>/results/<model_abbr>/<dataset_abbr>.json`, written by the eval task when details
// are dumped (`--dump-eval-details`). The sibling predictions/<model_abbr>/<dataset_abbr>.json files hold the
// prompts and raw predictions but no verdicts, so they are refused with a pointer to the results file.
// Source: opencompass/openicl/icl_evaluator/icl_base_evaluator.py (BaseEvaluator.evaluate: the evaluator's
// `details`, a list or a dict keyed by index, one record per sample; the verdict of a record is `correct`, else
// `is_correct`, else `cascade_correct`; with n > 1 replicas the records are grouped per example, keyed
// `example_abbr`, and each field becomes the list of the replicas' values), opencompass/tasks/openicl_eval.py (the
// results path and dump of `details`), opencompass/tasks/openicl_infer.py (predictions files: {"0": {origin_prompt,
// prediction, gold}}).
//
// One row per (record, replica): item `<dataset>-<index>` (the index in the dict form; in the list form the idx
// that ends example_abbr "<subdivision>_<idx>", else the record's position), sample = replica index. Verdict: option
// `verdictKey`, else the first of correct, is_correct, cascade_correct present; it must be boolean or 0/1 (a list of
// them with replicas). Dataset: option `dataset`, else the file name without .json. Model: option `model`, else the
// directory (the model_abbr). answer = the record's `pred` (or `prediction`), gold = `answer` (or `gold`,
// `references`), when short text (<= 200 chars); for GPQA datasets only option letters are kept.
import type { InputFile } from "../../engine/types.js";
import type { CanonicalRow } from "../../core/canonical-table.js";
import { duplicateGuard, modelFields, parseBinary, resolveSourceModel, shortAnswer, stringOption } from "./common.js";
import { baseName, isRecord, readJson } from "../read-lines.js";
import type { Adapter, AdapterOptions } from "./types.js";

export const VERDICT_KEYS = ["correct", "is_correct", "cascade_correct"] as const;

export const options: AdapterOptions = {
  verdictKey: { type: "string", description: `the detail field holding the verdict (default: the first of ${VERDICT_KEYS.join(", ")} present)` },
  dataset: { type: "string", description: "dataset name in item ids <dataset>-<index> (default: the file name)" },
  model: { type: "string", description: "model name (default: the results/<model_abbr>/ directory)" },
};

const text = (v: unknown): string | undefined => {
  let x = v;
  while (Array.isArray(x) && x.length > 0) x = x[0];
  return typeof x === "string" ? x : typeof x === "number" ? String(x) : undefined;
};

function modelOf(file: InputFile, option: string | undefined): string {
  if (option !== undefined) return option;
  const parts = file.name.split("/");
  if (parts.length < 2) throw new Error(`${file.name}: cannot tell the model (set option "model", or keep OpenCompass's results/<model_abbr>/ directory)`);
  return parts[parts.length - 2]!;
}

const opencompass: Adapter = async (ctx) => {
  if (ctx.files.length === 0) throw new Error("opencompass: no input files");
  const check = duplicateGuard();
  const rows: CanonicalRow[] = [];
  for (const file of ctx.files) {
    const doc = readJson(file);
    if (!isRecord(doc)) throw new Error(`${file.name}: expected an OpenCompass results object with "details"`);
    const details = doc.details;
    if (details === undefined) {
      const values = Object.values(doc);
      if (values.length > 0 && values.every((v) => isRecord(v) && "prediction" in v && "origin_prompt" in v)) {
        throw new Error(`${file.name}: an OpenCompass predictions file (origin_prompt, prediction, gold): it holds no verdicts; read results/<model_abbr>/<dataset_abbr>.json of the same run instead`);
      }
      throw new Error(`${file.name}: no "details" (per-sample verdicts; keys: ${Object.keys(doc).slice(0, 10).join(", ")}); run OpenCompass with --dump-eval-details`);
    }
    const records: { key: string; value: Record<string, unknown> }[] = [];
    if (Array.isArray(details)) details.forEach((d, i) => { if (!isRecord(d)) throw new Error(`${file.name}: details[${i}]: expected an object`); records.push({ key: String(i), value: d }); });
    else if (isRecord(details)) for (const [k, d] of Object.entries(details)) { if (!isRecord(d)) throw new Error(`${file.name}: details["${k}"]: expected an object`); records.push({ key: k, value: d }); }
    else throw new Error(`${file.name}: "details": expected a list or an object of per-sample records`);
    if (records.length === 0) throw new Error(`${file.name}: "details" is empty`);
    const dataset = stringOption(ctx, "dataset") ?? baseName(file).replace(/\.json$/, "");
    const gpqa = /gpqa/i.test(dataset);
    const m = resolveSourceModel(ctx, undefined, modelOf(file, stringOption(ctx, "model")));
    const key = stringOption(ctx, "verdictKey") ?? VERDICT_KEYS.find((k) => k in records[0]!.value);
    if (key === undefined) {
      throw new Error(`${file.name}: details[${records[0]!.key}] has none of ${VERDICT_KEYS.join(", ")} (fields: ${Object.keys(records[0]!.value).join(", ")}); set option "verdictKey"`);
    }
    const letter = (s: string) => /^\(?[A-J]\)?$/.test(s.trim());
    for (const { key: k, value: d } of records) {
      const where = `${file.name}: details[${k}]`;
      if (!(key in d)) throw new Error(`${where}: field "${key}" missing`);
      const raw = d[key];
      const verdicts = Array.isArray(raw) ? raw : [raw];
      // example_abbr is "<subdivision>_<idx>": the idx is the item's index, the key of the dict form.
      const item = typeof d.example_abbr === "string" ? (/_(\d+)$/.exec(d.example_abbr)?.[1] ?? d.example_abbr) : k;
      const preds = Array.isArray(d.pred) ? d.pred : Array.isArray(d.prediction) ? d.prediction : undefined;
      verdicts.forEach((v, s) => {
        const verdict = parseBinary(v, `${where}: ${key}${Array.isArray(raw) ? `[${s}]` : ""}`);
        const row: CanonicalRow = { task: ctx.task, item_id: `${dataset}-${item}`, sample: s, ...modelFields(m), source_verdict: verdict, correct: verdict };
        const answer = text(preds && Array.isArray(raw) ? preds[s] : d.pred ?? d.prediction);
        const gold = text(d.answer ?? d.gold ?? d.references);
        if (answer !== undefined && (!gpqa || letter(answer))) row.answer = shortAnswer(answer);
        if (gold !== undefined && (!gpqa || letter(gold))) row.gold = shortAnswer(gold);
        check(row, where);
        rows.push(row);
      });
    }
  }
  return rows;
};
export default opencompass;
