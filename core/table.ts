// The one shape every generated table has, so the paper renderer can typeset any of them.
// Cells hold raw values; `format` on a column says how the paper prints them (paper/format.ts).
import { z } from "zod";

export const TableColumn = z.object({
  key: z.string(),
  label: z.string(),
  /** Format for numeric cells, e.g. "fixed:3", "pct:1", "int" (see paper/format.ts). */
  format: z.string().optional(),
  align: z.enum(["left", "right", "center"]).optional(),
});

export const Table = z.object({
  title: z.string(),
  caption: z.string().optional(),
  columns: z.array(TableColumn),
  rows: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.null()]))),
  notes: z.array(z.string()).default([]),
});
export type Table = z.infer<typeof Table>;

/** A value column and its interval column ("<key>_ci", text), the pair every table with intervals has. */
export function valueWithCi(key: string, label: string, format: string, level = 0.95): z.infer<typeof TableColumn>[] {
  return [{ key, label, format }, { key: `${key}_ci`, label: `${Math.round(level * 100)}% CI` }];
}
