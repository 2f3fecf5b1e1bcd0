// The cofail command line: global options, the verb groups (one file each), and how errors end the process. Verbs
// import their modules lazily so `cofail run` with nothing to do starts fast.
import { Command, Option } from "commander";
import { certifyVerbs } from "./certify.js";
import { cliContext } from "./context.js";
import { inspectVerbs } from "./inspect.js";
import { maintenanceVerbs } from "./maintenance.js";
import { pipelineVerbs } from "./pipeline.js";
import { USAGE_EXIT } from "./options.js";
import { capMessage, errorText } from "../engine/errors.js";

const program = new Command("cofail")
  .description("Reproducible paper pipeline: pipeline.yaml -> cached, provenance-tracked stages -> build/")
  .option("-C, --dir <dir>", "project directory (where pipeline.yaml lives)", process.cwd())
  .option("-f, --file <file>", "pipeline spec (default <dir>/pipeline.yaml)")
  .addOption(new Option("--catalog <module>", "stage catalog module exporting stageCatalog").env("COFAIL_CATALOG").hideHelp())
  .option("--debug", "show stack traces in errors (also in .cofail/runs/*.json)")
  .hook("preAction", (cmd) => { if (cmd.opts<{ debug?: boolean }>().debug) process.env.COFAIL_DEBUG = "1"; })
  .exitOverride((err) => process.exit(err.code === "commander.invalidArgument" ? USAGE_EXIT : err.exitCode))
  .showHelpAfterError();

const cli = cliContext(program);
for (const group of [pipelineVerbs, inspectVerbs, maintenanceVerbs, certifyVerbs]) group(program, cli);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  const err = e as Error;
  if (err.name === "SpecError" || err.name === "LockFileError") {
    console.error(capMessage(err.message));
    process.exitCode = USAGE_EXIT;
  } else {
    console.error(`error: ${errorText(err)}`);
    process.exitCode = 1;
  }
}
