// The pool matrix: the one shape every analysis stage downstream of `pool` reads.
// Models x items of 0/1 verdicts, models ordered by accuracy (desc, ties by name), items sorted, so that
// "the best k models" is always the first k rows.
import { z } from "zod";
import { ItemMeta, SamplePolicy } from "./canonical-table.js";

const Bit = z.union([z.literal(0), z.literal(1)]);

export const PoolMatrix = z.object({
  pool: z.string(),
  samplePolicy: SamplePolicy,
  /** Sorted item ids (task-prefixed "task/item" when the pool mixes tasks). */
  items: z.array(z.string()),
  /** Ordered by accuracy desc, then name. */
  models: z.array(z.string()),
  /** Provider of each model (aligned with `models`). */
  providers: z.array(z.string()),
  /** models x items, 1 = right. */
  correct: z.array(z.array(Bit)),
  /** models x items, fraction of passing samples; only with sample_policy "expected". */
  passRate: z.array(z.array(z.number().min(0).max(1))).optional(),
  /** models x items, passing samples and samples drawn, when the source has several samples or counts. */
  passCount: z.array(z.array(z.number().int().nonnegative())).optional(),
  nSamples: z.array(z.array(z.number().int().positive())).optional(),
  /** Item metadata aligned with `items` (empty objects where the source has none). */
  itemMeta: z.array(ItemMeta).optional(),
  /** models x items, normalised short answers (null = no answer), for plurality vote. */
  answers: z.array(z.array(z.string().nullable())).optional(),
  /** What the pool builder dropped or decided, for the provenance record. */
  notes: z.array(z.string()).default([]),
});
export type PoolMatrix = z.infer<typeof PoolMatrix>;

/** Rows of the matrix restricted to the given model indices (in that order); items unchanged. */
export function selectModels(matrix: PoolMatrix, modelIndices: number[]): PoolMatrix {
  const pick = <T>(rows: T[] | undefined) => (rows ? modelIndices.map((m) => rows[m]) : undefined);
  return {
    ...matrix,
    models: modelIndices.map((m) => matrix.models[m]),
    providers: modelIndices.map((m) => matrix.providers[m]),
    correct: pick(matrix.correct)!,
    passRate: pick(matrix.passRate),
    passCount: pick(matrix.passCount),
    nSamples: pick(matrix.nSamples),
    answers: pick(matrix.answers),
  };
}

/** Per-model accuracy (mean of `correct` over items). */
export function modelAccuracies(matrix: PoolMatrix): number[] {
  const n = matrix.items.length;
  return matrix.correct.map((row) => {
    let s = 0;
    for (const v of row) s += v;
    return n === 0 ? NaN : s / n;
  });
}
