// The interface every ingest adapter implements: source files in, canonical rows out; and the options it declares.
import type { InputFile } from "../../engine/types.js";
import type { CanonicalRow } from "../../core/canonical-table.js";
import type { ModelRegistry } from "../../core/model-registry.js";

export interface AdapterContext {
  /** Task name the rows are tagged with (e.g. "math-l5"). */
  task: string;
  files: InputFile[];
  /**
   * Adapter-specific options from the stage params (`params.options`) or `cofail certify --option k=v`; when the
   * adapter is loaded through `loadAdapter` they are checked against its declared `options` and normalised first.
   */
  options: Record<string, unknown>;
  models: ModelRegistry;
  warn(message: string): void;
}

/** Throws an Error whose message names the file (and line/key where possible) and what was expected. */
export type Adapter = (ctx: AdapterContext) => Promise<CanonicalRow[]>;

/**
 * How an option's value is read. From the command line every value arrives as a string; from pipeline.yaml as YAML:
 *   string    any text
 *   boolean   true/false (also "true"/"false")
 *   integer   an integer (also its decimal string)
 *   strings   a list of strings (also one comma-separated string)
 *   verdicts  a map from a source's score value to 0 or 1 (also "C=1,I=0,N=0")
 */
export type OptionType = "string" | "boolean" | "integer" | "strings" | "verdicts";

export interface OptionSpec {
  type: OptionType;
  description: string;
  /** For type string: the allowed values. */
  values?: readonly string[];
}

/** Every option an adapter reads; any other key is an error (ingest/adapters/options.ts). */
export type AdapterOptions = Readonly<Record<string, OptionSpec>>;
