// `cofail certify`: the command-line face of certify/ (before training a router: beta, its bound, the ceiling and the
// largest gain any member-output policy could deliver).
import type { CertifyCliOptions } from "../certify/command.js";
import type { VerbGroup } from "./context.js";

export const certifyVerbs: VerbGroup = (program) => {
  program.command("certify")
    .description("before training a router: beta, its Clopper–Pearson bound, the ceiling and the largest gain any router/vote/cascade could deliver (sound for the in-sample best model)")
    .argument("<files...>", "results file(s), - for standard input: generic long CSV/TSV/JSONL (item_id,model,sample,correct), lm-eval samples, Inspect .eval/.json logs, HELM, lighteval/Open LLM Leaderboard parquet, OpenCompass, EvalPlus, BigCodeBench")
    .option("--adapter <name>", "source format (ingest/adapters/<name>.ts); default: told from the files' content")
    .option("--task <name>", "task to keep (files with a task column) / task name for the adapter")
    .option("--option <key=value...>", "adapter option, e.g. filter=flexible-extract (repeatable; an option the adapter does not take is an error)")
    .option("--level <p>", "confidence level", "0.95")
    .option("--side <side>", "interval printed for beta: two-sided | upper (one-sided upper bound); the gain bound is one-sided either way", "two-sided")
    .option("--pre-specified <model>", "also the certificate for this model, chosen before seeing the data (no Bonferroni correction)")
    .option("--overhead <x>", "accuracy the router/vote/cascade costs, as a fraction (0.02 = two points): prints whether any such policy could pay for itself")
    .option("--sample-policy <policy>", "several samples per (item, model): first | majority | any", "first")
    .option("--copula [which]", "also the Gaussian-copula prediction of beta and the underpricing ratio: sf | full (default full)")
    .option("--seed <n>", "seed of the full copula's quasi-Monte Carlo integral", "0")
    .option("--audit [kind]", "first audit the items every model gets wrong (audit/RULE.md; needs answer and gold columns): math | choice (default math)")
    .option("--audit-param <key=value...>", "audit threshold: truncationShare, consensusShare, consensusMinModels (repeatable)")
    .option("--json", "machine-readable output")
    .action(async (files: string[], o: CertifyCliOptions) => {
      const { certifyCommand } = await import("../certify/command.js");
      let text: string;
      try {
        text = await certifyCommand(files, o);
      } catch (e) {
        throw await classifyCertifyError(e, files);
      }
      console.log(text);
    });
};

/**
 * certify/ throws plain errors; for the exit code, one that names a flag ("--level must be ...") is a usage error and
 * one that names an input file (its line, column) a data error. Anything else stays a failure.
 */
export async function classifyCertifyError(e: unknown, files: string[]): Promise<unknown> {
  if (!(e instanceof Error) || e.name !== "Error") return e;
  const { DataError, UsageError } = await import("../engine/errors.js");
  if (/^--[a-z]/.test(e.message)) return new UsageError(e.message);
  const names = files.flatMap((f) => [f, f.split("/").pop()!]).filter((n) => n.length > 0);
  if (names.some((n) => e.message.includes(n)) || /\bline \d+\b/.test(e.message)) return new DataError(e.message);
  return e;
}
