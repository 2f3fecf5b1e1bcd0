// The cofail command line: global options, the verb groups (one file each), and how errors end the process (the
// exit codes of ./output.ts). Verbs import their modules lazily so `cofail run` with nothing to do starts fast.
import { readFileSync } from "node:fs";
import { Command, CommanderError, Option } from "commander";
import { certifyVerbs } from "./certify.js";
import { cliContext } from "./context.js";
import { inspectVerbs } from "./inspect.js";
import { maintenanceVerbs } from "./maintenance.js";
import { EXIT, EXIT_CODES_HELP, exitQuietlyOnClosedPipe } from "./output.js";
import { pipelineVerbs } from "./pipeline.js";
import { capMessage, errorText } from "../engine/errors.js";

exitQuietlyOnClosedPipe();

const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };

const program = new Command("cofail")
  .description("Reproducible paper pipeline: pipeline.yaml -> cached, provenance-tracked stages -> build/")
  .version(version, "-V, --version", "print the cofail version")
  .option("-C, --dir <dir>", "project directory (where pipeline.yaml lives)", process.cwd())
  .option("-f, --file <file>", "pipeline spec (default <dir>/pipeline.yaml)")
  .addOption(new Option("--catalog <module>", "stage catalog module exporting stageCatalog").env("COFAIL_CATALOG").hideHelp())
  .option("--debug", "show stack traces in errors (also in .cofail/runs/*.json)")
  .hook("preAction", (cmd) => { if (cmd.opts<{ debug?: boolean }>().debug) process.env.COFAIL_DEBUG = "1"; })
  .addHelpText("after", EXIT_CODES_HELP)
  .showHelpAfterError("(add --help for usage)")
  // Errors of the command line itself (unknown option, missing argument, bad value) are thrown, not exited on,
  // so they get the usage exit code; subcommands inherit this.
  .exitOverride();

const cli = cliContext(program);
for (const group of [pipelineVerbs, inspectVerbs, maintenanceVerbs, certifyVerbs]) group(program, cli);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  const err = e as Error;
  if (err instanceof CommanderError) {
    // commander has printed the message (or the help / version asked for).
    process.exitCode = err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else if (err.name === "UsageError") {
    console.error(`error: ${capMessage(err.message)}`);
    process.exitCode = EXIT.usage;
  } else if (err.name === "SpecError" || err.name === "DataError" || err.name === "LockFileError") {
    console.error(err.name === "DataError" ? `error: ${capMessage(err.message)}` : capMessage(err.message));
    process.exitCode = EXIT.data;
  } else {
    console.error(`error: ${errorText(err)}`);
    process.exitCode = EXIT.failure;
  }
}
