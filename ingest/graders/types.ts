// The interface every grader implements: canonical rows in, rows with `correct` (and `answer`) set out.
import type { CanonicalRow } from "../../core/canonical-table.js";

export interface GraderContext {
  /** Grader-specific options from the stage params (`params.options`). */
  options: Record<string, unknown>;
  warn(message: string): void;
}

export type Grader = (rows: CanonicalRow[], ctx: GraderContext) => CanonicalRow[];
