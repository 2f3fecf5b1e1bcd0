// gpqa-mc-rotations (HaveFunWithAI/gpqa_diamond_exp): per run a CSV of 198 rows with responses r1..r4 and extracted
// letters a1..a4, version k having the correct option at "ABCD"[k-1]. There is no question id: row i is the i-th
// question of the official gpqa_diamond.csv order, which is the row order of answer-matching's
// `gpqa-diamond-freeform.csv` — so that CSV is a required input, and only its `Record ID` column feeds rows.
// Row: item gpqa-<Record ID>, model resolved by the file stem (e.g. gpqa_diamond_gpt4o_eval), sample = k-1
// (rotation A..D), answer = a{k} ("E" = no clear option, an empty cell = no answer), gold = the rotated letter,
// source_verdict = a{k} == "ABCD"[k-1]. Responses are never copied (GPQA text policy).
// Alignment check (the README's): the reference answer text occurs in row i's responses (any run) for 194/198
// rows, versus <= 16/198 for a shift of 1-3 rows; fewer than 90 % is an error (a shifted or re-ordered file). Optional `benches/gpqa.jsonl` adds meta.subject.
import type { InputFile } from "../../engine/types.js";
import type { CanonicalRow } from "../../core/canonical-table.js";
import { columnIndex, parseCsv } from "../csv.js";
import { duplicateGuard, modelFields, resolveSourceModel } from "./common.js";
import { gpqaItemId, isGpqaBenchFile, readGpqaSubjects, type GpqaSubject } from "./gpqa.js";
import { baseName, readText } from "../read-lines.js";
import type { Adapter, AdapterOptions } from "./types.js";

const letters = "ABCD";

function readOrder(file: InputFile): { ids: string[]; answers: string[] } {
  const table = parseCsv(readText(file), file.name);
  const idCol = columnIndex(table, "Record ID", file.name);
  const ansCol = table.header.indexOf("Answer");
  const ids = table.records.map((r) => r.fields[idCol]);
  ids.forEach((id, i) => {
    if (!/^rec[A-Za-z0-9]+$/.test(id)) throw new Error(`${file.name}: line ${table.records[i].line}: Record ID ${JSON.stringify(id)}: expected rec...`);
  });
  return { ids, answers: ansCol < 0 ? [] : table.records.map((r) => r.fields[ansCol]) };
}

export const options: AdapterOptions = {};

const gpqaRotations: Adapter = async (ctx) => {
  let order: { ids: string[]; answers: string[] } | undefined;
  let subjects: Map<string, GpqaSubject> | undefined;
  const runs: InputFile[] = [];
  for (const f of ctx.files) {
    const base = baseName(f);
    if (base === "gpqa-diamond-freeform.csv") order = readOrder(f);
    else if (isGpqaBenchFile(f)) subjects = readGpqaSubjects(f);
    else runs.push(f);
  }
  if (!order) throw new Error("gpqa-rotations: missing input gpqa-diamond-freeform.csv (its row order gives the question ids)");
  if (runs.length === 0) throw new Error("gpqa-rotations: no run CSVs (gpqa_diamond_<run>_eval.csv)");
  const check = duplicateGuard();
  const rows: CanonicalRow[] = [];
  const aligned = new Set<number>();
  for (const f of runs) {
    const table = parseCsv(readText(f), f.name);
    const aCols = [1, 2, 3, 4].map((k) => columnIndex(table, `a${k}`, f.name));
    const rCols = [1, 2, 3, 4].map((k) => columnIndex(table, `r${k}`, f.name));
    if (table.records.length !== order.ids.length) {
      throw new Error(`${f.name}: ${table.records.length} data rows, expected ${order.ids.length} (one per question of gpqa-diamond-freeform.csv)`);
    }
    const m = resolveSourceModel(ctx, "gpqa-rotations", baseName(f).replace(/\.csv$/, ""));
    table.records.forEach((rec, i) => {
      const recordId = order!.ids[i];
      const ref = order!.answers[i]?.trim();
      if (ref && rCols.some((c) => rec.fields[c].includes(ref))) aligned.add(i);
      for (let k = 0; k < 4; k++) {
        const where = `${f.name}: line ${rec.line}: column a${k + 1}`;
        const a = rec.fields[aCols[k]].trim();
        if (a !== "" && !/^[A-E]$/.test(a)) throw new Error(`${where}: ${JSON.stringify(a)}: expected a letter A-E or empty`);
        const row: CanonicalRow = {
          task: ctx.task,
          item_id: gpqaItemId(recordId),
          sample: k,
          ...modelFields(m),
          gold: letters[k],
          source_verdict: a === letters[k] ? 1 : 0,
        };
        if (a !== "") row.answer = a;
        const s = subjects?.get(recordId);
        if (s) row.meta = { subject: s.subject, subdomain: s.subdomain };
        check(row, where);
        rows.push(row);
      }
    });
  }
  if (order.answers.length > 0 && aligned.size < 0.9 * order.ids.length) {
    throw new Error(`gpqa-rotations: the reference answer occurs in the responses of only ${aligned.size}/${order.ids.length} rows: the run CSVs do not follow gpqa-diamond-freeform.csv order`);
  }
  return rows;
};
export default gpqaRotations;
