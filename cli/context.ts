// What every verb group needs from the program: the global options and the stage catalog (handed to the engine from
// here: the engine never imports stages/).
import type { Command } from "commander";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { StageCatalog } from "../engine/catalog.js";

export interface GlobalOptions { dir: string; file?: string; catalog?: string }

export interface CliContext {
  globals(): GlobalOptions;
  /** The project directory (-C). */
  projectDir(): string;
  loadCatalog(): Promise<StageCatalog>;
  sessionOptions(targets?: string[]): Promise<{ projectDir: string; specFile?: string; catalog: StageCatalog; targets?: string[] }>;
  /** The pipeline.yaml path (-f, else <dir>/pipeline.yaml). */
  specFile(): string;
}

export function cliContext(program: Command): CliContext {
  const globals = () => program.opts<GlobalOptions>();
  const loadCatalog = async (): Promise<StageCatalog> => {
    const g = globals();
    const mod = g.catalog ? await import(pathToFileURL(resolve(g.catalog)).href) : await import("../stages/index.js");
    return mod.stageCatalog as StageCatalog;
  };
  return {
    globals,
    projectDir: () => resolve(globals().dir),
    loadCatalog,
    specFile: () => (globals().file ? resolve(globals().file!) : resolve(globals().dir, "pipeline.yaml")),
    async sessionOptions(targets) {
      const g = globals();
      return { projectDir: resolve(g.dir), specFile: g.file ? resolve(g.file) : undefined, catalog: await loadCatalog(), targets };
    },
  };
}

export type VerbGroup = (program: Command, ctx: CliContext) => void;
