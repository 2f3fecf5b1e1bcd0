// Verbs that look after the workspace: clean, gc, data (materialise the raw files), schema (pipeline.yaml's JSON Schema).
import type { StageType } from "../engine/types.js";
import type { VerbGroup } from "./context.js";

export const maintenanceVerbs: VerbGroup = (program, cli) => {
  program.command("clean")
    .description("remove build outputs (the run-cache stays: the next run restores)")
    .action(async () => {
      const { cleanBuild } = await import("../engine/maintenance.js");
      console.log(await cleanBuild({ projectDir: cli.projectDir() }));
    });

  program.command("gc")
    .description("drop run-cache entries not referenced by cofail.lock")
    .action(async () => {
      const { gcCache } = await import("../engine/maintenance.js");
      console.log(await gcCache({ projectDir: cli.projectDir() }));
    });

  program.command("schema")
    .description("print a JSON Schema for pipeline.yaml (for editors)")
    .action(async () => {
      const { specJsonSchema } = await import("../engine/spec.js");
      const { importStageType } = await import("../engine/catalog.js");
      const catalog = await cli.loadCatalog();
      const types: Record<string, StageType> = {};
      for (const [name, modulePath] of Object.entries(catalog)) {
        try { types[name] = await importStageType({ projectDir: cli.projectDir(), modulePath }); } catch { /* listed without params */ }
      }
      console.log(JSON.stringify(specJsonSchema(types), null, 2));
    });

  program.command("data")
    .description("materialise every dataset file (from the mirror or by download), verifying sha256")
    .action(async () => {
      const { materializeAll } = await import("../engine/maintenance.js");
      console.log(await materializeAll(await cli.sessionOptions()));
    });
};
