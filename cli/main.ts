// The `cofail` entry point (bin/cofail.js runs it from a prebuilt bundle, cli/bundle.ts): a plain `cofail run` whose
// no-op stamp (engine/noop-stamp.ts) still holds is answered from `stat` alone, before any TypeScript loader,
// commander, the stage catalog or another engine module is loaded. Every other command (and a run with anything to
// do) registers tsx and goes through the CLI proper, ./index.ts, exactly as before.
import { checkNoopStamp, plainRunCommand } from "../engine/noop-stamp.js";

const command = plainRunCommand(process.argv.slice(2), process.cwd());
const message = command ? checkNoopStamp(command) : null;
if (message !== null) {
  console.log(message);
} else {
  // Stage modules are imported from their .ts sources (engine/catalog.ts), so the CLI proper needs tsx.
  const { register } = await import("tsx/esm/api");
  register();
  await import(new URL("./index.ts", import.meta.url).href);
}
