// The cofail command line. Verbs import their engine modules lazily so `cofail run` with nothing to do
// starts fast; the stage catalog is handed to the engine from here (the engine never imports stages/).
import { Command, Option } from "commander";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { StageCatalog } from "./engine/catalog.js";

interface GlobalOptions { dir: string; file?: string; catalog?: string }

const program = new Command("cofail")
  .description("Reproducible paper pipeline: pipeline.yaml -> cached, provenance-tracked stages -> build/")
  .option("-C, --dir <dir>", "project directory (where pipeline.yaml lives)", process.cwd())
  .option("-f, --file <file>", "pipeline spec (default <dir>/pipeline.yaml)")
  .addOption(new Option("--catalog <module>", "stage catalog module exporting stageCatalog").env("COFAIL_CATALOG").hideHelp())
  .showHelpAfterError();

function globals(): GlobalOptions {
  return program.opts<GlobalOptions>();
}

async function loadCatalog(): Promise<StageCatalog> {
  const g = globals();
  const mod = g.catalog
    ? await import(pathToFileURL(resolve(g.catalog)).href)
    : await import("./stages/index.js");
  return mod.stageCatalog as StageCatalog;
}

async function sessionOptions(targets?: string[]) {
  const g = globals();
  const projectDir = resolve(g.dir);
  return { projectDir, specFile: g.file ? resolve(g.file) : undefined, catalog: await loadCatalog(), targets };
}

program.command("run")
  .description("run the targets (default: all stages) and everything upstream of them")
  .argument("[targets...]", "stage ids, stage types (e.g. grade) or globs (e.g. 'copula-*')")
  .option("--dry", "show what would run or be restored, and why, without running")
  .option("-j, --jobs <n>", "stages run in parallel (default: available CPUs)", (v) => parseInt(v, 10))
  .option("--force", "rerun the selected stages even when cached")
  .option("--wait <seconds>", "how long to wait for another run's lock", (v) => parseFloat(v), 60)
  .action(async (targets: string[], o: { dry?: boolean; jobs?: number; force?: boolean; wait: number }) => {
    const { runPipeline } = await import("./engine/run.js");
    const { plainReporter, ttyReporter } = await import("./engine/progress.js");
    const reporter = process.stderr.isTTY ? await ttyReporter() : plainReporter();
    const summary = await runPipeline({ ...(await sessionOptions(targets)), dry: o.dry, jobs: o.jobs, force: o.force, lockWaitS: o.wait, reporter });
    console.log(summary.message);
    process.exitCode = summary.exitCode;
    if (!o.dry) { const { runEndDiff } = await import("./paper/diff-cli.js"); const d = await runEndDiff(resolve(globals().dir)); if (d) console.log(d); }
  });

program.command("status")
  .description("what is stale and why (never run, code changed, param changed, input changed, output missing)")
  .argument("[targets...]", "stage ids, stage types (e.g. grade) or globs (e.g. 'copula-*')")
  .option("--json", "machine-readable output")
  .action(async (targets: string[], o: { json?: boolean }) => {
    const { openSession } = await import("./engine/session.js");
    const { computeStatus, taskLabel } = await import("./engine/status.js");
    const session = await openSession(await sessionOptions(targets));
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
    const impact = await (await import("./paper/status-impact.js")).statusImpactText(session, status);
    if (impact) console.log(impact);
  });

program.command("dag")
  .description("draw the stage graph (ASCII by default)")
  .option("--mermaid", "Mermaid flowchart")
  .option("--dot", "Graphviz dot")
  .action(async (o: { mermaid?: boolean; dot?: boolean }) => {
    const { loadSpec } = await import("./engine/spec.js");
    const { renderDag } = await import("./engine/dagRender.js");
    const so = await sessionOptions();
    const spec = await loadSpec({ projectDir: so.projectDir, file: so.specFile ?? resolve(so.projectDir, "pipeline.yaml"), catalog: so.catalog });
    console.log(renderDag(spec, o.mermaid ? "mermaid" : o.dot ? "dot" : "ascii"));
  });

program.command("explain")
  .description("trace a result id or an output file down to the raw files (URLs and sha256)")
  .argument("<what>", "result id (e.g. math-l5.beta) or output file (e.g. build/grade/table.json)")
  .option("--verify", "re-hash every input and output on the way (run-cache, build/, raw files); non-zero exit on a mismatch")
  .action(async (what: string, o: { verify?: boolean }) => {
    const { explain } = await import("./engine/explain.js");
    const so = await sessionOptions();
    console.log(await explain({ projectDir: so.projectDir, what }));
    if (o.verify) {
      const { loadSpec } = await import("./engine/spec.js");
      const spec = await loadSpec({ projectDir: so.projectDir, file: so.specFile ?? resolve(so.projectDir, "pipeline.yaml"), catalog: so.catalog });
      const report = await (await import("./engine/verify.js")).verifyChain({ projectDir: so.projectDir, what, data: spec.data });
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
    const { paperDiffCommand } = await import("./paper/diff-cli.js");
    console.log(await paperDiffCommand({ projectDir: resolve(globals().dir), a: runs[0], b: runs[1], json: o.json }));
  });

program.command("clean")
  .description("remove build outputs (the run-cache stays: the next run restores)")
  .action(async () => {
    const { cleanBuild } = await import("./engine/maintenance.js");
    console.log(await cleanBuild({ projectDir: resolve(globals().dir) }));
  });

program.command("gc")
  .description("drop run-cache entries not referenced by cofail.lock")
  .action(async () => {
    const { gcCache } = await import("./engine/maintenance.js");
    console.log(await gcCache({ projectDir: resolve(globals().dir) }));
  });

program.command("schema")
  .description("print a JSON Schema for pipeline.yaml (for editors)")
  .action(async () => {
    const { specJsonSchema } = await import("./engine/spec.js");
    const { importStageType } = await import("./engine/catalog.js");
    const so = await sessionOptions();
    const types: Record<string, import("./engine/types.js").StageType> = {};
    for (const [name, modulePath] of Object.entries(so.catalog)) {
      try { types[name] = await importStageType({ projectDir: so.projectDir, modulePath }); } catch { /* listed without params */ }
    }
    console.log(JSON.stringify(specJsonSchema(types), null, 2));
  });

program.command("data")
  .description("materialise every dataset file (from the mirror or by download), verifying sha256")
  .action(async () => {
    const { materializeAll } = await import("./engine/maintenance.js");
    const so = await sessionOptions();
    console.log(await materializeAll(so));
  });

program.command("certify")
  .description("before training a router: beta, its Clopper–Pearson bound, the ceiling and the largest gain any router/vote/cascade could deliver")
  .argument("<files...>", "results file(s): generic long CSV/JSONL (item_id,model,sample,correct), or any adapter's format with --adapter")
  .option("--adapter <name>", "source format (stages/adapters/<name>.ts); default generic")
  .option("--task <name>", "task to keep (files with a task column) / task name for the adapter")
  .option("--option <key=value...>", "adapter option (repeatable)")
  .option("--level <p>", "confidence level", "0.95")
  .option("--side <side>", "two-sided | upper (one-sided bounds)", "two-sided")
  .option("--sample-policy <policy>", "several samples per (item, model): first | majority | any", "first")
  .option("--copula [which]", "also the Gaussian-copula prediction of beta and the underpricing ratio: sf | full (default full)")
  .option("--seed <n>", "seed of the full copula's quasi-Monte Carlo integral", "0")
  .option("--json", "machine-readable output")
  .action(async (files: string[], o: import("./stages/lib/certify-cli.js").CertifyCliOptions) => {
    const { certifyCommand } = await import("./stages/lib/certify-cli.js");
    console.log(await certifyCommand(files, o));
  });

try {
  await program.parseAsync(process.argv);
} catch (e) {
  const err = e as Error;
  if (err.name === "SpecError") {
    console.error(err.message);
    process.exitCode = 2;
  } else {
    console.error(`error: ${process.env.COFAIL_DEBUG ? err.stack : err.message}`);
    process.exitCode = 1;
  }
}
