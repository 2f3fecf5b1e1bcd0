// The canonical, typed form every adapter produces and every analysis stage reads.
// One row per (task, item, model, sample). Verdicts are 0/1; null means "no verdict" (e.g. a judge
// answered "unsure"), never a missing row: a missing (item, model) is simply absent.
import { z } from "zod";
import { flattenInput, isCanonicalTableLike } from "./inputs.js";

export const Verdict = z.union([z.literal(0), z.literal(1), z.null()]);
export type Verdict = z.infer<typeof Verdict>;

export const ItemMeta = z.object({
  subject: z.string().optional(),
  difficulty: z.string().optional(),
  platform: z.string().optional(),
  /** ISO date (YYYY-MM-DD) of the item, e.g. contest date. */
  date: z.string().optional(),
}).catchall(z.union([z.string(), z.number(), z.boolean()]));
export type ItemMeta = z.infer<typeof ItemMeta>;

export const CanonicalRow = z.object({
  task: z.string(),
  item_id: z.string(),
  model: z.string(),
  /** 0-based sample index; 0 for single-sample and for count-only sources. */
  sample: z.number().int().nonnegative(),
  provider: z.string(),
  family: z.string().optional(),
  /** Raw model response, when the source has it. */
  response: z.string().optional(),
  /** Extracted final answer (by the source, or by our grader after `grade`). */
  answer: z.string().optional(),
  gold: z.string().optional(),
  /** Verdict as published by the source, when it published one. */
  source_verdict: Verdict.optional(),
  /** Count-only sources (LiveCodeBench pass@1, MathArena): passing samples out of n. */
  pass_count: z.number().int().nonnegative().optional(),
  n_samples: z.number().int().positive().optional(),
  /** Several graders of one response (LLM judges, humans): grader name -> verdict. */
  verdicts: z.record(z.string(), Verdict).optional(),
  /** Our verdict after grading (set by `grade`; adapters leave it undefined unless the source verdict is final). */
  correct: Verdict.optional(),
  meta: ItemMeta.optional(),
});
export type CanonicalRow = z.infer<typeof CanonicalRow>;

export const CanonicalTable = z.object({
  task: z.string(),
  /** Where the rows came from: adapter name and the input files (logical names). */
  source: z.object({ adapter: z.string(), files: z.array(z.string()) }),
  rows: z.array(CanonicalRow),
  warnings: z.array(z.string()).default([]),
});
export type CanonicalTable = z.infer<typeof CanonicalTable>;

/** Sample policies for reducing several samples (or a pass count of n) to one verdict per (item, model). */
export const SamplePolicy = z.enum(["first", "majority", "any", "expected"]);
export type SamplePolicy = z.infer<typeof SamplePolicy>;

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
