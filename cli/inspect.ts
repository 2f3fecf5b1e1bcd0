// Verbs that read what runs left behind: explain (a number's chain, optionally re-verified) and diff (the paper diff).
import type { VerbGroup } from "./context.js";

export const inspectVerbs: VerbGroup = (program, cli) => {
  program.command("explain")
    .description("trace a result id or an output file down to the raw files (URLs and sha256)")
    .argument("<what>", "result id (e.g. math-l5.beta) or output file (e.g. build/grade/table.json)")
    .option("--verify", "re-hash every input and output on the way (run-cache, build/, raw files); non-zero exit on a mismatch")
    .action(async (what: string, o: { verify?: boolean }) => {
      const { explain } = await import("../engine/explain.js");
      console.log(await explain({ projectDir: cli.projectDir(), what }));
      if (o.verify) {
        const { loadSpec } = await import("../engine/spec.js");
        const spec = await loadSpec({ projectDir: cli.projectDir(), file: cli.specFile(), catalog: await cli.loadCatalog() });
        const report = await (await import("../engine/verify.js")).verifyChain({ projectDir: cli.projectDir(), what, data: spec.data });
        console.log(["", ...report.lines].join("\n"));
        if (report.problems.length) process.exitCode = 3;
      }
    });

  program.command("diff")
    .description("paper diff between two recorded runs (default: the last two): every number that moved, old -> new, against its error, and where the paper uses it")
    .argument("[runs...]", "two run ids (or id prefixes, record file names, ~0 = last run, ~1 = the one before)")
    .option("--json", "machine-readable output")
    .action(async (runs: string[], o: { json?: boolean }) => {
      if (runs.length > 2) throw new Error("cofail diff takes at most two runs");
      const { paperDiffCommand } = await import("../paper/run-diff.js");
      console.log(await paperDiffCommand({ projectDir: cli.projectDir(), a: runs[0], b: runs[1], json: o.json }));
    });
};
