// MathArena website data (`static/js/table_data.js`: `var result_data = [...]`, a JSON literal): per AIME problem
// and model, the percentage of the 4 runs that were correct. Row per (problem, model): item aime2025I-<n>,
// pass_count = pct x runs / 100 of n_samples = runs (option `runs`, default 4; which runs passed is unknown).
// The "Avg" row must be reproduced by the mean over problems (error otherwise); the "Cost" row is ignored.
// Model keys resolve with the "matharena:" qualifier first (e.g. DeepSeek-V3 here is the Dec-2024 checkpoint).
// Option `itemPrefix` (default "aime2025I") names the contest.
import type { CanonicalRow } from "../../core/canonical-table.js";
import { duplicateGuard, modelFields, resolveSourceModel, stringOption } from "./common.js";
import { isRecord, parseJsonDocument, readText } from "../read-lines.js";
import type { Adapter, AdapterOptions } from "./types.js";

export function parseTableData(text: string, fileName: string): unknown {
  const m = /^\s*var\s+result_data\s*=\s*/.exec(text);
  if (!m) throw new Error(`${fileName}: expected the file to start with "var result_data = "`);
  // Keep line numbers of JSON errors true to the file: blank out the prefix instead of cutting it.
  const body = text.slice(0, m[0].length).replace(/[^\n]/g, " ") + text.slice(m[0].length).replace(/;\s*$/, "");
  return parseJsonDocument(body, fileName);
}

export const options: AdapterOptions = {
  runs: { type: "integer", description: "runs per (problem, model) behind each percentage (default 4)" },
  itemPrefix: { type: "string", description: "prefix of item ids (default aime2025I)" },
};

const matharena: Adapter = async (ctx) => {
  const runs = ctx.options.runs ?? 4;
  if (typeof runs !== "number" || !Number.isInteger(runs) || runs < 1) throw new Error(`matharena: option runs must be a positive integer`);
  const prefix = stringOption(ctx, "itemPrefix") ?? "aime2025I";
  if (ctx.files.length !== 1) throw new Error(`matharena: expected exactly one table_data.js, got ${ctx.files.length} files`);
  const file = ctx.files[0];
  const data = parseTableData(readText(file), file.name);
  if (!Array.isArray(data) || data.length === 0) throw new Error(`${file.name}: expected a non-empty list of rows`);

  const problems: { n: number; values: Record<string, unknown> }[] = [];
  let avg: Record<string, unknown> | undefined;
  data.forEach((r, i) => {
    if (!isRecord(r)) throw new Error(`${file.name}: result_data[${i}]: expected an object`);
    const q = r.question;
    if (q === "Avg") avg = r;
    else if (q === "Cost") return;
    else if (typeof q === "number" && Number.isInteger(q) && q > 0) {
      if (problems.some((p) => p.n === q)) throw new Error(`${file.name}: result_data[${i}]: duplicate question ${q}`);
      problems.push({ n: q, values: r });
    } else throw new Error(`${file.name}: result_data[${i}]: question ${JSON.stringify(q)}: expected a problem number, "Avg" or "Cost"`);
  });
  if (problems.length === 0) throw new Error(`${file.name}: no problem rows`);
  const modelKeys = Object.keys(problems[0].values).filter((k) => k !== "question");

  for (const p of problems) {
    const keys = Object.keys(p.values).filter((k) => k !== "question");
    const missing = modelKeys.filter((k) => !keys.includes(k));
    const extra = keys.filter((k) => !modelKeys.includes(k));
    if (missing.length || extra.length) {
      throw new Error(`${file.name}: question ${p.n}: models differ from question ${problems[0].n} (missing: ${missing.join(", ") || "none"}; extra: ${extra.join(", ") || "none"})`);
    }
  }
  const check = duplicateGuard();
  const rows: CanonicalRow[] = [];
  for (const key of modelKeys) {
    const m = resolveSourceModel(ctx, "matharena", key);
    let sum = 0;
    for (const p of problems) {
      const where = `${file.name}: question ${p.n}, model "${key}"`;
      const pct = p.values[key];
      const count = typeof pct === "number" ? (pct * runs) / 100 : NaN;
      if (!(Math.abs(count - Math.round(count)) < 1e-9 && count >= 0 && count <= runs)) {
        throw new Error(`${where}: ${JSON.stringify(pct)} is not a percentage of ${runs} runs (expected a multiple of ${100 / runs} in 0..100)`);
      }
      sum += pct as number;
      const row: CanonicalRow = {
        task: ctx.task,
        item_id: `${prefix}-${p.n}`,
        sample: 0,
        ...modelFields(m),
        pass_count: Math.round(count),
        n_samples: runs,
      };
      check(row, where);
      rows.push(row);
    }
    if (avg === undefined) ctx.warn(`${file.name}: no "Avg" row to check against`);
    else {
      const stated = avg[key];
      if (typeof stated !== "number" || Math.abs(stated - sum / problems.length) > 1e-6) {
        throw new Error(`${file.name}: "Avg" row for "${key}" is ${JSON.stringify(stated)}, but the problems average ${sum / problems.length}`);
      }
    }
  }
  return rows;
};
export default matharena;
