// Verbs that run or plan the pipeline: run, status, dag.
import type { VerbGroup } from "./context.js";

export const pipelineVerbs: VerbGroup = (program, cli) => {
  program.command("run")
    .description("run the targets (default: all stages) and everything upstream of them")
    .argument("[targets...]", "stage ids, stage types (e.g. grade) or globs (e.g. 'copula-*')")
    .option("--dry", "show what would run or be restored, and why, without running")
    .option("-j, --jobs <n>", "stages run in parallel (default: available CPUs)", (v) => parseInt(v, 10))
    .option("--force", "rerun the selected stages even when cached")
    .option("--wait <seconds>", "how long to wait for another run's lock", (v) => parseFloat(v), 60)
    .action(async (targets: string[], o: { dry?: boolean; jobs?: number; force?: boolean; wait: number }) => {
      const { runPipeline } = await import("../engine/run.js");
      const { plainReporter, ttyReporter } = await import("../engine/progress.js");
      const reporter = process.stderr.isTTY ? await ttyReporter() : plainReporter();
      const { plainRunCommand } = await import("../engine/noop-stamp.js");
      const noop = plainRunCommand(process.argv.slice(2), process.cwd()) ?? undefined;
      const summary = await runPipeline({ ...(await cli.sessionOptions(targets)), dry: o.dry, jobs: o.jobs, force: o.force, lockWaitS: o.wait, reporter, noop });
      console.log(summary.message);
      process.exitCode = summary.exitCode;
      if (!o.dry) {
        const { runEndDiff } = await import("../paper/run-diff.js");
        const d = await runEndDiff(cli.projectDir());
        if (d) console.log(d);
      }
    });

  program.command("status")
    .description("what is stale and why (never run, code changed, param changed, input changed, output missing)")
    .argument("[targets...]", "stage ids, stage types (e.g. grade) or globs (e.g. 'copula-*')")
    .option("--json", "machine-readable output")
    .action(async (targets: string[], o: { json?: boolean }) => {
      const { openSession } = await import("../engine/session.js");
      const { computeStatus, taskLabel } = await import("../engine/status.js");
      const session = await openSession(await cli.sessionOptions(targets));
      const status = await computeStatus(session);
      await session.hasher.save();
      if (o.json) { console.log(JSON.stringify(status, null, 2)); return; }
      const stale = status.filter((s) => s.state !== "up-to-date");
      for (const s of status) {
        const label = taskLabel(s.stage, s.partition);
        if (s.state === "up-to-date") console.log(`  up to date  ${label}`);
        else console.log(`  ${s.state === "run" ? "will run   " : "restorable "} ${label}: ${s.reasons.join("; ")}`);
      }
      console.log(stale.length ? `${stale.length} of ${status.length} tasks stale` : `all ${status.length} tasks up to date`);
      const impact = await (await import("../paper/status-impact.js")).statusImpactText(session, status);
      if (impact) console.log(impact);
    });

  program.command("dag")
    .description("draw the stage graph (ASCII by default)")
    .option("--mermaid", "Mermaid flowchart")
    .option("--dot", "Graphviz dot")
    .action(async (o: { mermaid?: boolean; dot?: boolean }) => {
      const { loadSpec } = await import("../engine/spec.js");
      const { renderDag } = await import("../engine/dag-render.js");
      const spec = await loadSpec({ projectDir: cli.projectDir(), file: cli.specFile(), catalog: await cli.loadCatalog() });
      console.log(renderDag(spec, o.mermaid ? "mermaid" : o.dot ? "dot" : "ascii"));
    });
};
