// `grade`: canonical table -> the same table with our verdict (`correct`) and extracted `answer` set, by the
// grader named in params (ingest/graders/). Only the chosen grader's code is part of the cache key (codeFiles).
import { z } from "zod";
import { defineStage } from "../engine/types.js";
import { CanonicalTable, mergeTables } from "../core/canonical-table.js";
import { gradeTable } from "../ingest/grade-table.js";
import { GRADERS, graderModulePath, loadGrader } from "../ingest/graders/index.js";

export const GradeParams = z.object({
  grader: z.enum(GRADERS),
  options: z.record(z.string(), z.unknown()).default({}),
});
export type GradeParams = z.infer<typeof GradeParams>;

export default defineStage({
  type: "grade",
  description: "Sets our verdict on every canonical row with the named grader",
  params: GradeParams,
  inputs: { table: { kind: "json", description: "canonical table(s) of one task" } },
  outputs: { table: { file: "table.json", kind: "json", schema: CanonicalTable, description: "graded canonical rows" } },
  codeFiles: (params) => [graderModulePath(params.grader)],
  async run(ctx) {
    const table = mergeTables(ctx.inputs.table);
    const grader = await loadGrader(ctx.params.grader);
    const graded = gradeTable(table, grader, ctx.params.grader, ctx.params.options, (m) => ctx.warn(m));
    const right = graded.rows.filter((r) => r.correct === 1).length;
    ctx.log(`${ctx.params.grader}: ${right}/${graded.rows.length} rows correct`);
    return { table: graded };
  },
});
