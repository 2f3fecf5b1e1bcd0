// `grade`: canonical table -> the same table with our verdict (`correct`) and extracted `answer` set, by
// the grader named in params. Graders are loaded by a computed import (declared via codeFiles), so the
// cache key holds only the chosen grader's code.
import { z } from "zod";
import { defineStage } from "../engine/types.js";
import { CanonicalRow, CanonicalTable } from "./canonical.js";
import type { Grader } from "./graders/types.js";
import { flattenInput, isCanonicalTableLike } from "./lib/inputs.js";

export const GRADERS = ["choice", "code", "judges", "math", "source"] as const;

export const GradeParams = z.object({
  grader: z.enum(GRADERS),
  options: z.record(z.string(), z.unknown()).default({}),
});
export type GradeParams = z.infer<typeof GradeParams>;

export async function loadGrader(name: string): Promise<Grader> {
  if (!(GRADERS as readonly string[]).includes(name)) {
    throw new Error(`unknown grader "${name}"; valid graders: ${GRADERS.join(", ")}`);
  }
  const mod = (await import(`./graders/${name}.js`)) as { default?: unknown };
  if (typeof mod.default !== "function") throw new Error(`stages/graders/${name}.ts has no default-exported grader function`);
  return mod.default as Grader;
}

/**
 * One table from the input: a single table, or several (a list, or the partitions of a `foreach`
 * ingest) of the same task, concatenated in sorted partition order.
 */
export function mergeTables(input: unknown): CanonicalTable {
  const tables = flattenInput(input, isCanonicalTableLike, "canonical table").map((t) => CanonicalTable.parse(t));
  if (tables.length === 0) throw new Error("grade: no input table");
  const tasks = [...new Set(tables.map((t) => t.task))];
  if (tasks.length > 1) throw new Error(`grade: input tables are of different tasks (${tasks.join(", ")}); grade one task per stage`);
  if (tables.length === 1) return tables[0]!;
  const seen = new Set<string>();
  for (const t of tables) {
    for (const r of t.rows) {
      const key = `${r.item_id}\u0000${r.model}\u0000${r.sample}`;
      if (seen.has(key)) throw new Error(`grade: row for item "${r.item_id}", model "${r.model}", sample ${r.sample} comes from two input tables (${t.source.files.join(", ")})`);
      seen.add(key);
    }
  }
  return {
    task: tasks[0]!,
    source: { adapter: [...new Set(tables.map((t) => t.source.adapter))].join("+"), files: tables.flatMap((t) => t.source.files) },
    rows: tables.flatMap((t) => t.rows),
    warnings: tables.flatMap((t) => t.warnings),
  };
}

/** Applies a grader and checks what it returns: same rows, in order, each with a valid verdict. */
export function gradeTable(table: CanonicalTable, grader: Grader, graderName: string, options: Record<string, unknown>, warn: (m: string) => void): CanonicalTable {
  const warnings: string[] = [];
  const graded = grader(table.rows, { options, warn: (m) => { warnings.push(m); warn(m); } });
  if (graded.length !== table.rows.length) {
    throw new Error(`grader ${graderName} returned ${graded.length} rows for ${table.rows.length}`);
  }
  const rows = graded.map((r, i) => {
    const parsed = CanonicalRow.safeParse(r);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(`grader ${graderName}: row ${i} (item "${r.item_id}", model "${r.model}"): ${issue.path.join(".")}: ${issue.message}`);
    }
    if (parsed.data.correct === undefined) {
      throw new Error(`grader ${graderName}: row ${i} (item "${r.item_id}", model "${r.model}") has no verdict`);
    }
    return parsed.data;
  });
  return { ...table, rows, warnings: [...table.warnings, ...warnings] };
}

export default defineStage({
  type: "grade",
  description: "Sets our verdict on every canonical row with the named grader",
  params: GradeParams,
  inputs: { table: { kind: "json", description: "canonical table(s) of one task" } },
  outputs: { table: { file: "table.json", kind: "json", schema: CanonicalTable, description: "graded canonical rows" } },
  codeFiles: (params) => [`stages/graders/${params.grader}.ts`],
  async run(ctx) {
    const table = mergeTables(ctx.inputs.table);
    const grader = await loadGrader(ctx.params.grader);
    const graded = gradeTable(table, grader, ctx.params.grader, ctx.params.options, (m) => ctx.warn(m));
    const right = graded.rows.filter((r) => r.correct === 1).length;
    ctx.log(`${ctx.params.grader}: ${right}/${graded.rows.length} rows correct`);
    return { table: graded };
  },
});
