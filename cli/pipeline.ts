// Verbs that run or plan the pipeline: run, status, dag.
import { Option } from "commander";
import type { VerbGroup } from "./context.js";
import { integerOption, numberOption } from "./options.js";

// Bounds of --jobs and --wait (the engine checks the same: engine/run.ts checkRunOptions).
const MAX_JOBS = 1024;
const MAX_WAIT_S = 86_400;
import { outputWidth } from "./output.js";

export const pipelineVerbs: VerbGroup = (program, cli) => {
  program.command("run")
    .description("run the targets (default: all stages) and everything upstream of them")
    .argument("[targets...]", "stage ids, stage types (e.g. grade) or globs (e.g. 'copula-*')")
    .option("--dry", "show what would run or be restored, and why, without running")
    .option("-j, --jobs <n>", `stages run in parallel, 1 to ${MAX_JOBS} (default: available CPUs)`, integerOption(1, MAX_JOBS))
    .option("--force", "rerun the selected stages even when cached")
    .option("--wait <seconds>", `how long to wait for another run's lock, 0 to ${MAX_WAIT_S}`, numberOption(0, MAX_WAIT_S, "seconds"), 60)
    .option("--json", "print the run's summary as JSON (progress stays on stderr)")
    .addOption(new Option("--executor <name>", "where tasks run: local worker threads, or one SLURM job each (pipeline.yaml executor.slurm)").choices(["local", "slurm"]).default("local"))
    .option("--no-remote", "neither restore from nor push to the remote cache (pipeline.yaml cache.remote, COFAIL_REMOTE)")
    .action(async (targets: string[], o: { dry?: boolean; jobs?: number; force?: boolean; wait: number; json?: boolean; executor: "local" | "slurm"; remote: boolean }) => {
      const { runPipeline } = await import("../engine/run.js");
      const { plainReporter, ttyReporter } = await import("../engine/progress.js");
      const reporter = process.stderr.isTTY ? await ttyReporter() : plainReporter();
      const { plainRunCommand } = await import("../engine/noop-stamp.js");
      const noop = (o.json ? undefined : plainRunCommand(process.argv.slice(2), process.cwd())) ?? undefined;
      let summary;
      try {
        summary = await runPipeline({ ...(await cli.sessionOptions(targets)), dry: o.dry, jobs: o.jobs, force: o.force, lockWaitS: o.wait, reporter, noop, executor: o.executor, remote: o.remote });
      } finally {
        reporter.close();
      }
      process.exitCode = summary.exitCode;
      const { runEndDiff } = await import("../paper/run-diff.js");
      const diff = o.dry ? undefined : await runEndDiff(cli.projectDir());
      if (o.json) {
        const { outcomes, ...rest } = summary;
        console.log(JSON.stringify({ ...rest, outcomes, ...(diff ? { diff } : {}) }, null, 2));
        return;
      }
      console.log(summary.message);
      if (diff) console.log(diff);
      // The last line says where the run's headline artefact is (the paper), or the targets' outputs.
      if (summary.headline.length) console.log(`${summary.exitCode ? "outputs (of the stages that succeeded)" : "output"}: ${summary.headline.join(" ")}`);
    });

  for (const verb of ["push", "pull"] as const) {
    program.command(verb)
      .description(verb === "push"
        ? "upload the run-cache entries of the targets (default: all stages) to the remote cache; skips what is there"
        : "download the targets' entries (default: all stages) from the remote cache into the run-cache, verified")
      .argument("[targets...]", "stage ids, stage types or globs (and their upstream)")
      .option("--transfers <n>", "parallel transfers, 1 to 64 (default: pipeline.yaml cache.transfers, else 8)", integerOption(1, 64))
      .option("--wait <seconds>", `how long to wait for a running \`cofail run\`, 0 to ${MAX_WAIT_S}`, numberOption(0, MAX_WAIT_S, "seconds"), 60)
      .action(async (targets: string[], o: { transfers?: number; wait: number }) => {
        const { openSession } = await import("../engine/session.js");
        const { pushCache, pullCache } = await import("../engine/transfer.js");
        const session = await openSession(await cli.sessionOptions(targets));
        for (const w of session.warnings) console.error(`warning: ${w}`);
        const r = await (verb === "push" ? pushCache : pullCache)(session, { waitS: o.wait, transfers: o.transfers });
        console.log(r.message);
        process.exitCode = r.exitCode;
      });
  }

  program.command("status")
    .description("what is stale and why (never run, code changed, param changed, input changed, output missing)")
    .argument("[targets...]", "stage ids, stage types (e.g. grade) or globs (e.g. 'copula-*')")
    .option("--json", "machine-readable output")
    .action(async (targets: string[], o: { json?: boolean }) => {
      const { openSession } = await import("../engine/session.js");
      const { computeStatus } = await import("../engine/status.js");
      const session = await openSession(await cli.sessionOptions(targets));
      for (const w of session.warnings) console.error(`warning: ${w}`);
      const status = await computeStatus(session);
      await session.hasher.save();
      if (o.json) { console.log(JSON.stringify(status, null, 2)); return; }
      const { statusText } = await import("./status-text.js");
      const width = outputWidth();
      console.log(statusText(status, width));
      const impact = await (await import("../paper/status-impact.js")).statusImpactText(session, status);
      if (impact) {
        const { wrapLine } = await import("./output.js");
        console.log(width === undefined ? impact : impact.split("\n").map((l) => wrapLine(l, width, 6)).join("\n"));
      }
    });

  program.command("dag")
    .description("draw the stage graph (ASCII by default)")
    .option("--mermaid", "Mermaid flowchart")
    .option("--dot", "Graphviz dot")
    .option("--json", "stages, their inputs and layers, datasets and edges as JSON")
    .action(async (o: { mermaid?: boolean; dot?: boolean; json?: boolean }) => {
      const { loadSpec } = await import("../engine/spec.js");
      const { renderDag } = await import("../engine/dag-render.js");
      const spec = await loadSpec({ projectDir: cli.projectDir(), file: cli.specFile(), catalog: await cli.loadCatalog() });
      console.log(renderDag(spec, o.json ? "json" : o.mermaid ? "mermaid" : o.dot ? "dot" : "ascii"));
    });
};
