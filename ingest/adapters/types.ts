// The interface every ingest adapter implements: source files in, canonical rows out.
import type { InputFile } from "../../engine/types.js";
import type { CanonicalRow } from "../../core/canonical-table.js";
import type { ModelRegistry } from "../../core/model-registry.js";

export interface AdapterContext {
  /** Task name the rows are tagged with (e.g. "math-l5"). */
  task: string;
  files: InputFile[];
  /** Adapter-specific options from the stage params (`params.options`). */
  options: Record<string, unknown>;
  models: ModelRegistry;
  warn(message: string): void;
}

/** Throws an Error whose message names the file (and line/key where possible) and what was expected. */
export type Adapter = (ctx: AdapterContext) => Promise<CanonicalRow[]>;
