// Applies a grader to a canonical table and checks what it returns.
import { CanonicalRow, type CanonicalTable } from "../core/canonical-table.js";
import type { Grader } from "./graders/types.js";

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
