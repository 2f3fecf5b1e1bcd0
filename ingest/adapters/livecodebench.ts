// LiveCodeBench leaderboard snapshots (`performances_generation.json`) -> one count row per (problem, model).
//
// How snapshots merge. The three kept snapshots (2024-04-17: 45 models x 400 problems; 2025-01-15: 19 x 880;
// 2025-04-22: 16 x 1055) have cumulative problem sets (400 ⊂ 880 ⊂ 1055; same question_id = same problem).
// Snapshots are applied oldest to newest (by the `<date>_<commit>` directory in the file name): a (model, problem)
// present in several snapshots keeps the NEWEST snapshot's value, because LiveCodeBench re-scored those models
// (re-runs, or a moving endpoint such as mistral-large-latest); each such model gets one warning with the number of
// shared problems and how many of them changed. Problem metadata (difficulty, platform, contest date) must agree
// across snapshots (a disagreement is warned and the newest wins). meta.date is the UTC day of the earliest of the
// problem's epoch stamps: 5 problems carry stamps a day apart. Note the leaderboard stamps the day AFTER the contest:
// against the submissions repository's contest_date (880 problems) the offset is +24 h for 875, +48 h for 5.
//
// Samples. pass@1 = 100 x passing / drawn. Models named "(N=1)"/"(n=1)" and the reasoning models of the
// 2025-04-22 snapshot (model_style OpenAIReason, Claude3Thinking, GeminiThinking, Grok) drew 1 sample; every other
// model drew 10 (codegeneration_10_0.2). A value that is not a multiple of 100/n is an error.
//
// Options: snapshots (list of snapshot dates to use, default all given), block ("all" = every problem a model has,
// default; "common-400" = only the problems every selected model has, 400 with all three snapshots).
import type { CanonicalRow } from "../../core/canonical-table.js";
import { duplicateGuard, modelFields, resolveSourceModel } from "./common.js";
import { isRecord, readJson } from "../read-lines.js";
import type { Adapter, AdapterOptions } from "./types.js";

const singleSampleStyles = new Set(["OpenAIReason", "Claude3Thinking", "GeminiThinking", "Grok"]);

export function samplesOf(modelRepr: string, modelStyle: string | undefined): number {
  if (/\(n=1\)/i.test(modelRepr)) return 1;
  if (modelStyle !== undefined && singleSampleStyles.has(modelStyle)) return 1;
  return 10;
}

export function snapshotDate(fileName: string): string {
  const m = /(\d{4}-\d{2}-\d{2})_[0-9a-f]{6,40}\//.exec(fileName);
  if (!m) throw new Error(`${fileName}: cannot tell the snapshot date (expected a "<YYYY-MM-DD>_<commit>/" directory in the path)`);
  return m[1];
}

interface Cell { value: number; n: number; snapshot: string }
interface ProblemMeta { difficulty: string; platform: string; date: string }

export const options: AdapterOptions = {
  snapshots: { type: "strings", description: "release dates of the leaderboard snapshots to read (default: every snapshot given)" },
  block: { type: "string", values: ["all", "common-400"], description: "problems kept: all (default) or common-400" },
};

const livecodebench: Adapter = async (ctx) => {
  const wanted = ctx.options.snapshots;
  if (wanted !== undefined && !(Array.isArray(wanted) && wanted.every((s) => typeof s === "string"))) {
    throw new Error(`livecodebench: option "snapshots" must be a list of dates, got ${JSON.stringify(wanted)}`);
  }
  const block = ctx.options.block ?? "all";
  if (block !== "all" && block !== "common-400") throw new Error(`livecodebench: option "block" must be "all" or "common-400", got ${JSON.stringify(block)}`);

  const files = ctx.files
    .map((f) => ({ file: f, date: snapshotDate(f.name) }))
    .filter((s) => wanted === undefined || (wanted as string[]).includes(s.date))
    .sort((a, b) => a.date.localeCompare(b.date));
  if (files.length === 0) throw new Error(`livecodebench: no snapshot files selected (snapshots option: ${JSON.stringify(wanted)})`);
  const dates = files.map((f) => f.date);
  if (new Set(dates).size !== dates.length) throw new Error(`livecodebench: two files for the same snapshot date (${dates.join(", ")})`);

  // model (source spelling) -> problem -> cell; newest snapshot overwrites.
  const cells = new Map<string, Map<string, Cell>>();
  const itemMeta = new Map<string, ProblemMeta>();
  const snapshotsOf = new Map<string, string[]>();
  const rescored = new Map<string, { shared: number; changed: number }>();
  let metaConflicts = 0;

  for (const { file, date } of files) {
    const doc = readJson(file);
    if (!isRecord(doc) || !Array.isArray(doc.performances) || !Array.isArray(doc.models)) {
      throw new Error(`${file.name}: expected an object with "performances" and "models" lists`);
    }
    const styleOf = new Map<string, string | undefined>();
    doc.models.forEach((m, i) => {
      if (!isRecord(m) || typeof m.model_repr !== "string") throw new Error(`${file.name}: models[${i}]: expected an object with a string model_repr`);
      styleOf.set(m.model_repr, typeof m.model_style === "string" ? m.model_style : undefined);
    });
    const seenHere = new Set<string>();
    doc.performances.forEach((p, i) => {
      const where = `${file.name}: performances[${i}]`;
      if (!isRecord(p)) throw new Error(`${where}: expected an object`);
      const { question_id: qid, model, difficulty, platform, date: epoch } = p;
      const value = p["pass@1"];
      if (typeof qid !== "string" || qid === "") throw new Error(`${where}: question_id: expected a string`);
      if (typeof model !== "string") throw new Error(`${where}: model: expected a string`);
      if (!styleOf.has(model)) throw new Error(`${where}: model "${model}" is not listed in "models"`);
      if (typeof difficulty !== "string" || typeof platform !== "string") throw new Error(`${where}: difficulty/platform: expected strings`);
      if (typeof epoch !== "number") throw new Error(`${where}: date: expected epoch milliseconds`);
      if (typeof value !== "number" || !(value >= 0 && value <= 100)) throw new Error(`${where}: pass@1 ${JSON.stringify(value)}: expected a number in 0..100`);
      const n = samplesOf(model, styleOf.get(model));
      const count = (value * n) / 100;
      if (Math.abs(count - Math.round(count)) > 1e-6) {
        throw new Error(`${where}: pass@1 ${value} for "${model}" is not a multiple of ${100 / n} (expected ${n} sample${n > 1 ? "s" : ""})`);
      }
      const key = `${model}\u0000${qid}`;
      if (seenHere.has(key)) throw new Error(`${where}: duplicate record for model "${model}", question ${qid}`);
      seenHere.add(key);
      const meta: ProblemMeta = { difficulty, platform, date: new Date(epoch).toISOString().slice(0, 10) };
      const prior = itemMeta.get(qid);
      if (prior && (prior.difficulty !== meta.difficulty || prior.platform !== meta.platform)) metaConflicts++;
      // Records of one problem may carry stamps a day apart; keep the earliest.
      if (prior && prior.date < meta.date) meta.date = prior.date;
      itemMeta.set(qid, meta);
      let byProblem = cells.get(model);
      if (!byProblem) cells.set(model, (byProblem = new Map()));
      const old = byProblem.get(qid);
      if (old) {
        const r = rescored.get(model) ?? { shared: 0, changed: 0 };
        r.shared++;
        if (old.value !== value) r.changed++;
        rescored.set(model, r);
      }
      byProblem.set(qid, { value, n, snapshot: date });
    });
    for (const model of styleOf.keys()) snapshotsOf.set(model, [...(snapshotsOf.get(model) ?? []), date]);
  }

  for (const [model, r] of rescored) {
    ctx.warn(`livecodebench: "${model}" is in snapshots ${snapshotsOf.get(model)!.join(", ")}: kept the newest value; ${r.shared} values were replaced by a newer snapshot, ${r.changed} of them with a different pass@1`);
  }
  if (metaConflicts > 0) ctx.warn(`livecodebench: problem metadata differs between snapshots for ${metaConflicts} records; kept the newest`);

  let problems = new Set(itemMeta.keys());
  if (block === "common-400") {
    for (const byProblem of cells.values()) problems = new Set([...problems].filter((q) => byProblem.has(q)));
    if (problems.size === 0) throw new Error("livecodebench: no problem is shared by every selected model");
  }

  const check = duplicateGuard();
  const rows: CanonicalRow[] = [];
  for (const [model, byProblem] of cells) {
    const m = resolveSourceModel(ctx, "livecodebench", model);
    for (const [qid, cell] of byProblem) {
      if (!problems.has(qid)) continue;
      const row: CanonicalRow = {
        task: ctx.task,
        item_id: `lcb-${qid}`,
        sample: 0,
        ...modelFields(m),
        pass_count: Math.round((cell.value * cell.n) / 100),
        n_samples: cell.n,
        meta: { ...itemMeta.get(qid)! },
      };
      check(row, `livecodebench snapshot ${cell.snapshot}, model "${model}", question ${qid}`);
      rows.push(row);
    }
  }
  return rows;
};
export default livecodebench;
