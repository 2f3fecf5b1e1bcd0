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
