// Verbs that look after the workspace: clean, gc, data (materialise the raw files), schema (pipeline.yaml's JSON Schema).
import type { StageType } from "../engine/types.js";
import type { VerbGroup } from "./context.js";
import { integerOption, numberOption } from "./options.js";

export const maintenanceVerbs: VerbGroup = (program, cli) => {
  program.command("clean")
    .description("remove build outputs (the run-cache stays: the next run restores; files matching no record are moved to .cofail/quarantine/)")
    .option("--wait <seconds>", "how long to wait for a running `cofail run`", numberOption(0, 86_400, "seconds"), 10)
    .action(async (o: { wait: number }) => {
      const { cleanBuild } = await import("../engine/maintenance.js");
      console.log(await cleanBuild({ projectDir: cli.projectDir(), waitS: o.wait }));
    });

  program.command("gc")
    .description("drop run-cache entries referenced neither by cofail.lock nor by the last run records (default 5); never on doubt")
    .option("--dry", "list what would be removed, remove nothing")
    .option("--keep-runs <n>", "also keep the entries of the last N run records", integerOption(0, 1_000_000), 5)
    .option("--wait <seconds>", "how long to wait for a running `cofail run`", numberOption(0, 86_400, "seconds"), 10)
    .action(async (o: { dry?: boolean; keepRuns: number; wait: number }) => {
      const { gcCache } = await import("../engine/maintenance.js");
      console.log(await gcCache({ projectDir: cli.projectDir(), dry: o.dry, keepRuns: o.keepRuns, waitS: o.wait }));
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
