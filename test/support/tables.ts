// Small hand-written canonical tables for the stage tests.
import type { CanonicalRow, CanonicalTable } from "../../core/canonical-table.js";

/** One table from a compact spec: model -> provider and a string of verdicts per item ("1", "0", "-" = absent). */
export function tableFrom(task: string, items: string[], models: Record<string, { provider: string; verdicts: string; answers?: string[] }>): CanonicalTable {
  const rows: CanonicalRow[] = [];
  for (const [model, spec] of Object.entries(models)) {
    [...spec.verdicts].forEach((v, i) => {
      if (v === "-") return;
      rows.push({
        task, item_id: items[i], model, sample: 0, provider: spec.provider,
        correct: v === "1" ? 1 : v === "0" ? 0 : null,
        ...(spec.answers ? { answer: spec.answers[i] } : {}),
      });
    });
  }
  return { task, source: { adapter: "fixture", files: [] }, rows, warnings: [] };
}
