// Verbs that read what runs left behind: explain (a number's chain, optionally re-verified) and diff (the paper diff).
import { InvalidArgumentError } from "commander";
import type { VerbGroup } from "./context.js";
import { EXIT } from "./output.js";

/** --depth: a number of stage levels (0 = the run that published it) or "all". */
export function parseDepth(v: string): number {
  if (v === "all") return Infinity;
  if (!/^\d+$/.test(v)) throw new InvalidArgumentError(`expected a whole number of stage levels (0, 1, 2, ...) or "all"; got "${v}"`);
  return Number(v);
}

export const inspectVerbs: VerbGroup = (program, cli) => {
  program.command("explain")
    .description("trace a result id or an output file down to the raw files (URLs and sha256): a one-screen summary, or every run N levels up with --depth N")
    .argument("<what>", "result id (e.g. math-l5.beta) or output file (e.g. build/grade/table.json)")
    .option("--depth <n>", "list every stage run up to n levels above the one that wrote it (0 = that run alone; \"all\" = the whole chain)", parseDepth)
    .option("--json", "the chain as JSON: every run (to --depth, default all) and the raw files")
    .option("--verify", "re-hash every input and output on the way (run-cache, build/, raw files); exit 3 on a mismatch")
    .action(async (what: string, o: { verify?: boolean; depth?: number; json?: boolean }) => {
      const { explainChain, limitDepth, summaryText, chainText } = await import("../engine/explain.js");
      const chain = await explainChain({ projectDir: cli.projectDir(), what });
      let report: { lines: string[]; problems: string[]; checked: number } | undefined;
      if (o.verify) {
        const { loadSpec } = await import("../engine/spec.js");
        const spec = await loadSpec({ projectDir: cli.projectDir(), file: cli.specFile(), catalog: await cli.loadCatalog() });
        report = await (await import("../engine/verify.js")).verifyChain({ projectDir: cli.projectDir(), what, data: spec.data });
        if (report.problems.length) process.exitCode = EXIT.verify;
      }
      if (o.json) {
        console.log(JSON.stringify({ ...limitDepth(chain, o.depth ?? Infinity), ...(report ? { verify: { checked: report.checked, problems: report.problems } } : {}) }, null, 2));
        return;
      }
      console.log(o.depth === undefined ? summaryText(chain) : chainText(chain, o.depth));
      if (report) console.log(["", ...report.lines].join("\n"));
    });

  program.command("diff")
    .description("paper diff between two recorded runs (default: the last two): every number that moved, old -> new, against its error, and where the paper uses it")
    .argument("[runs...]", "two run ids (or id prefixes, record file names, ~0 = last run, ~1 = the one before)")
    .option("--json", "machine-readable output")
    .action(async (runs: string[], o: { json?: boolean }) => {
      if (runs.length > 2) {
        const { UsageError } = await import("../engine/errors.js");
        throw new UsageError("cofail diff takes at most two runs");
      }
      const { paperDiffCommand } = await import("../paper/run-diff.js");
      console.log(await paperDiffCommand({ projectDir: cli.projectDir(), a: runs[0], b: runs[1], json: o.json }));
    });
};
