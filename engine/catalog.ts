// Loads stage modules named in the stage catalog (type name -> project-relative module path), lazily:
// only the types a pipeline uses are imported.
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { OutputSpec, StageType } from "./types.js";

export type StageCatalog = Record<string, string>;

export async function importStageType(options: { projectDir: string; modulePath: string }): Promise<StageType> {
  const mod = await import(pathToFileURL(join(options.projectDir, options.modulePath)).href);
  const stage = mod.default as StageType | undefined;
  if (!stage || typeof stage.run !== "function" || !stage.params || !stage.inputs || !stage.outputs) {
    throw new Error(`${options.modulePath} does not default-export a StageType (needs params, inputs, outputs, run)`);
  }
  return stage;
}

/** Names of the outputs every stage has without declaring them. */
export const IMPLICIT_OUTPUTS: Record<string, OutputSpec> = {
  results: { file: "results.json", kind: "json", description: "results this stage published to the registry" },
  provenance: { file: "provenance.json", kind: "json", description: "this stage's lock entry" },
};

/** Declared plus implicit outputs of a stage for the given (parsed) params. */
export function stageOutputs(type: StageType, parsedParams: unknown): Record<string, OutputSpec> {
  const declared = typeof type.outputs === "function" ? type.outputs(parsedParams) : type.outputs;
  return { ...declared, ...IMPLICIT_OUTPUTS };
}

export function declaredOutputs(type: StageType, parsedParams: unknown): Record<string, OutputSpec> {
  return typeof type.outputs === "function" ? type.outputs(parsedParams) : type.outputs;
}
