// Stanford CRFM HELM run outputs: `benchmark_output/runs/<suite>/<run name>/`, one directory per run spec (scenario
// x adapter x model), holding per_instance_stats.json, display_predictions.json and run_spec.json among others.
// Source: helm src/helm/benchmark/metrics/metric.py (PerInstanceStats {instance_id, perturbation, train_trial_index,
// stats: [Stat]}), metrics/statistic.py (Stat {name: MetricName {name, split, sub_split, perturbation}, count, sum,
// min, max, mean, ...}), presentation/run_display.py (DisplayPrediction {instance_id, perturbation,
// train_trial_index, predicted_text, mapped_output, stats: {metric: value}}), run_spec.py (RunSpec {name,
// adapter_spec {model, ...}}).
//
// Verdict: the stat named by option `metric`, by default the first of exact_match, quasi_exact_match,
// prefix_exact_match, final_number_exact_match, math_equiv_chain_of_thought, math_equiv present (warned when several
// are); its mean must be 0 or 1 (a graded metric is an error). From per_instance_stats.json when given, else from
// display_predictions.json (its `stats`); display_predictions.json also gives the answer (mapped_output, else
// predicted_text, <= 200 chars; for GPQA runs only option letters). Perturbed instances (robustness variants) are
// skipped (warned). Stats of another split than option `split` (default: any; an instance with two splits is an
// error) are skipped. Sample index = train_trial_index (HELM's repeated few-shot draws).
// Model: option `model`, else run_spec.json's adapter_spec.model (an input file, or the file beside the stats), else
// the run name's `model=` argument with its first "_" read as "/" (HELM writes org/name as org_name there).
// Item id: `<run>-<instance_id>` where run is option `itemPrefix`, else the run name (run_spec.json's name, else the
// directory) without its model= and model_deployment= arguments, so the same scenario run for several models pools.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { InputFile } from "../../engine/types.js";
import type { CanonicalRow } from "../../core/canonical-table.js";
import { duplicateGuard, modelFields, parseBinary, resolveSourceModel, shortAnswer, stringOption } from "./common.js";
import { baseName, isRecord, parseJsonDocument, readJson } from "../read-lines.js";
import type { Adapter, AdapterContext, AdapterOptions } from "./types.js";

export const DEFAULT_HELM_METRICS = ["exact_match", "quasi_exact_match", "prefix_exact_match", "final_number_exact_match", "math_equiv_chain_of_thought", "math_equiv"] as const;

export const options: AdapterOptions = {
  metric: { type: "string", description: `the per-instance 0/1 stat (default: the first of ${DEFAULT_HELM_METRICS.join(", ")} present)` },
  split: { type: "string", description: "keep only stats of this split (test, valid, ...)" },
  model: { type: "string", description: "model name (default: run_spec.json's adapter_spec.model, else the run name's model=)" },
  itemPrefix: { type: "string", description: "prefix of item ids <prefix>-<instance_id> (default: the run name without its model arguments)" },
};

const KINDS = ["per_instance_stats.json", "display_predictions.json", "run_spec.json"] as const;
type Kind = (typeof KINDS)[number];

/** The run name without model=/model_deployment= arguments: "mmlu:subject=anatomy,method=multiple_choice_joint". */
export function helmRunPrefix(run: string): string {
  const colon = run.indexOf(":");
  if (colon < 0) return run;
  const args = run.slice(colon + 1).split(",").filter((a) => !/^(model|model_deployment)=/.test(a));
  return args.length ? `${run.slice(0, colon)}:${args.join(",")}` : run.slice(0, colon);
}

function modelFromRunName(run: string): string | undefined {
  const m = /(?:^|[:,])model=([^,]+)/.exec(run);
  return m ? m[1]!.replace("_", "/") : undefined;
}

interface Verdicts { where: string; instance: string; trial: number; verdict: 0 | 1 }

function keyOf(instance: string, trial: number) { return `${instance}\u0000${trial}`; }

function trialOf(e: Record<string, unknown>, where: string): number {
  const t = e.train_trial_index ?? 0;
  if (typeof t !== "number" || !Number.isInteger(t) || t < 0) throw new Error(`${where}: train_trial_index: expected a non-negative integer, got ${JSON.stringify(t)}`);
  return t;
}

function instanceOf(e: Record<string, unknown>, where: string): string {
  if (typeof e.instance_id !== "string" || e.instance_id === "") throw new Error(`${where}: instance_id: expected a string, got ${JSON.stringify(e.instance_id)}`);
  return e.instance_id;
}

function entries(file: InputFile, doc: unknown): { where: string; e: Record<string, unknown> }[] {
  if (!Array.isArray(doc)) throw new Error(`${file.name}: expected a JSON array of per-instance entries`);
  return doc.map((e, i) => {
    const where = `${file.name}: [${i}]`;
    if (!isRecord(e)) throw new Error(`${where}: expected a JSON object`);
    return { where, e };
  });
}

/** Stat names with a 0/1-capable default, in preference order, found in a list of names. */
function chooseMetric(ctx: AdapterContext, label: string, present: Set<string>): string {
  const chosen = stringOption(ctx, "metric");
  if (chosen !== undefined) {
    if (!present.has(chosen)) throw new Error(`${label}: no stat "${chosen}" (stats: ${[...present].sort().join(", ")})`);
    return chosen;
  }
  const found = DEFAULT_HELM_METRICS.filter((m) => present.has(m));
  if (found.length === 0) throw new Error(`${label}: none of ${DEFAULT_HELM_METRICS.join(", ")} present (stats: ${[...present].sort().join(", ")}); set option "metric"`);
  if (found.length > 1) ctx.warn(`${label}: stats ${found.join(", ")} present; reading "${found[0]}" — choose another with option metric`);
  return found[0]!;
}

function fromPerInstanceStats(ctx: AdapterContext, file: InputFile, skipped: { perturbed: number; split: number }): Verdicts[] {
  const list = entries(file, readJson(file));
  const wantSplit = stringOption(ctx, "split");
  const present = new Set<string>();
  for (const { e } of list) if (Array.isArray(e.stats)) for (const s of e.stats) if (isRecord(s) && isRecord(s.name) && typeof s.name.name === "string") present.add(s.name.name);
  const metric = chooseMetric(ctx, file.name, present);
  const out: Verdicts[] = [];
  for (const { where, e } of list) {
    if (e.perturbation !== undefined && e.perturbation !== null) { skipped.perturbed++; continue; }
    const instance = instanceOf(e, where);
    const trial = trialOf(e, where);
    if (!Array.isArray(e.stats)) throw new Error(`${where}: stats: expected an array`);
    const hits = e.stats.filter((s): s is Record<string, unknown> => isRecord(s) && isRecord(s.name) && s.name.name === metric && (s.name.perturbation === undefined || s.name.perturbation === null));
    const splits = hits.filter((s) => wantSplit === undefined || (s.name as Record<string, unknown>).split === wantSplit);
    if (splits.length < hits.length) skipped.split += hits.length - splits.length;
    if (splits.length === 0) continue;
    if (splits.length > 1) {
      const names = splits.map((s) => String((s.name as Record<string, unknown>).split));
      throw new Error(`${where}: stat "${metric}" for ${splits.length} splits (${names.join(", ")}); choose one with option split`);
    }
    const stat = splits[0]!;
    const mean = typeof stat.mean === "number" ? stat.mean : typeof stat.sum === "number" && typeof stat.count === "number" && stat.count > 0 ? stat.sum / stat.count : undefined;
    out.push({ where, instance, trial, verdict: parseBinary(mean, `${where}: ${metric} (mean)`) });
  }
  return out;
}

function fromDisplayPredictions(ctx: AdapterContext, file: InputFile, list: { where: string; e: Record<string, unknown> }[], skipped: { perturbed: number }): Verdicts[] {
  const present = new Set<string>();
  for (const { e } of list) if (isRecord(e.stats)) for (const k of Object.keys(e.stats)) present.add(k);
  const metric = chooseMetric(ctx, file.name, present);
  const out: Verdicts[] = [];
  for (const { where, e } of list) {
    if (e.perturbation !== undefined && e.perturbation !== null) { skipped.perturbed++; continue; }
    if (!isRecord(e.stats) || !(metric in e.stats)) throw new Error(`${where}: stats.${metric} missing`);
    out.push({ where, instance: instanceOf(e, where), trial: trialOf(e, where), verdict: parseBinary(e.stats[metric], `${where}: stats.${metric}`) });
  }
  return out;
}

interface RunDir { dir: string; files: Partial<Record<Kind, InputFile>> }

function runSpecOf(run: RunDir): Record<string, unknown> | undefined {
  const given = run.files["run_spec.json"];
  const path = given?.path ?? (run.files["per_instance_stats.json"] ?? run.files["display_predictions.json"])!.path;
  const specPath = given ? given.path : join(dirname(path), "run_spec.json");
  if (!given && !existsSync(specPath)) return undefined;
  const spec = given ? readJson(given) : parseJsonDocument(readFileSync(specPath, "utf8"), specPath);
  if (!isRecord(spec)) throw new Error(`${given?.name ?? specPath}: expected a JSON object (a HELM RunSpec)`);
  return spec;
}

const helm: Adapter = async (ctx) => {
  if (ctx.files.length === 0) throw new Error("helm: no input files");
  const runs = new Map<string, RunDir>();
  for (const f of ctx.files) {
    const kind = KINDS.find((k) => baseName(f) === k);
    if (!kind) throw new Error(`${f.name}: expected one of ${KINDS.join(", ")} from a HELM run directory`);
    const dir = f.name.includes("/") ? f.name.slice(0, f.name.lastIndexOf("/")) : ".";
    let run = runs.get(dir);
    if (!run) runs.set(dir, (run = { dir, files: {} }));
    if (run.files[kind]) throw new Error(`${f.name}: two ${kind} files for the run directory ${dir}`);
    run.files[kind] = f;
  }
  const check = duplicateGuard();
  const rows: CanonicalRow[] = [];
  for (const run of runs.values()) {
    const stats = run.files["per_instance_stats.json"];
    const preds = run.files["display_predictions.json"];
    if (!stats && !preds) throw new Error(`${run.files["run_spec.json"]!.name}: a run_spec.json alone holds no verdicts (add per_instance_stats.json or display_predictions.json)`);
    const label = (stats ?? preds)!.name;
    const spec = runSpecOf(run);
    const runName = typeof spec?.name === "string" ? spec.name : run.dir.split("/").pop()!;
    const adapterSpec = isRecord(spec?.adapter_spec) ? spec!.adapter_spec as Record<string, unknown> : undefined;
    const modelName = stringOption(ctx, "model") ?? (typeof adapterSpec?.model === "string" ? adapterSpec.model : undefined) ?? modelFromRunName(runName);
    if (!modelName) throw new Error(`${label}: cannot tell the model (no run_spec.json with adapter_spec.model, no model= in the run name "${runName}"); set option "model"`);
    const m = resolveSourceModel(ctx, undefined, modelName);
    const prefix = stringOption(ctx, "itemPrefix") ?? helmRunPrefix(runName);
    const gpqa = /gpqa/i.test(prefix);
    const skipped = { perturbed: 0, split: 0 };
    const predList = preds ? entries(preds, readJson(preds)) : undefined;
    const verdicts = stats ? fromPerInstanceStats(ctx, stats, skipped) : fromDisplayPredictions(ctx, preds!, predList!, skipped);
    const answers = new Map<string, string>();
    for (const { where, e } of predList ?? []) {
      if (e.perturbation !== undefined && e.perturbation !== null) continue;
      const text = typeof e.mapped_output === "string" && e.mapped_output !== "" ? e.mapped_output : typeof e.predicted_text === "string" ? e.predicted_text : undefined;
      if (text !== undefined) answers.set(keyOf(instanceOf(e, where), trialOf(e, where)), text);
    }
    for (const v of verdicts) {
      const row: CanonicalRow = { task: ctx.task, item_id: `${prefix}-${v.instance}`, sample: v.trial, ...modelFields(m), source_verdict: v.verdict, correct: v.verdict };
      const answer = answers.get(keyOf(v.instance, v.trial));
      if (answer !== undefined && (!gpqa || /^\(?[A-J]\)?$/.test(answer.trim()))) row.answer = shortAnswer(answer);
      check(row, v.where);
      rows.push(row);
    }
    if (skipped.perturbed) ctx.warn(`${label}: ${skipped.perturbed} perturbed instances (robustness/fairness variants) skipped`);
    if (skipped.split) ctx.warn(`${label}: ${skipped.split} stats of splits other than "${stringOption(ctx, "split")}" skipped`);
    if (verdicts.length === 0) throw new Error(`${label}: no per-instance verdicts`);
  }
  return rows;
};
export default helm;
