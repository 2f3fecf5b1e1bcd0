// `pool-summary`: every pool's co-failure row -> the paper's cross-pool table.
import { z } from "zod";
import { defineStage } from "../engine/types.js";
import { flattenInput } from "../core/inputs.js";
import { isPoolRow, PoolRow } from "../core/pool-row.js";
import { Table } from "../core/table.js";

const Params = z.object({
  title: z.string().default("Co-failure ceiling per pool"),
  caption: z.string().optional(),
  /** Row order by pool name; pools not listed follow in name order. Default: name order. */
  order: z.array(z.string()).optional(),
});

export function poolTable(rows: PoolRow[], params: z.infer<typeof Params>): Table {
  const seen = new Set<string>();
  for (const r of rows) {
    if (seen.has(r.pool)) throw new Error(`pool-summary: pool "${r.pool}" appears twice in the inputs`);
    seen.add(r.pool);
  }
  const rank = (pool: string) => { const i = params.order?.indexOf(pool) ?? -1; return i < 0 ? Infinity : i; };
  const sorted = [...rows].sort((a, b) => rank(a.pool) - rank(b.pool) || (a.pool < b.pool ? -1 : a.pool > b.pool ? 1 : 0));
  const anyVote = rows.some((r) => r.voteAccuracy !== null);
  return {
    title: params.title,
    caption: params.caption ??
      "beta: share of items every model gets wrong; ceiling = 1 - beta caps every router, vote or cascade that outputs a member's answer. " +
      "CP: Clopper–Pearson interval on beta. Max gain: largest improvement over the best single model any such policy could deliver " +
      "(one-sided 95%: beta's lower limit at 2.5% minus the best accuracy's lower limit with a Bonferroni correction over the models, " +
      "since the best is chosen on the same items).",
    columns: [
      { key: "pool", label: "Pool", align: "left" },
      { key: "models", label: "Models", format: "int", align: "right" },
      { key: "providers", label: "Providers", format: "int", align: "right" },
      { key: "items", label: "Items", format: "int", align: "right" },
      { key: "best_model", label: "Best model", align: "left" },
      { key: "best_accuracy", label: "Best acc.", format: "pct:1", align: "right" },
      ...(anyVote ? [{ key: "vote_accuracy", label: "Vote acc.", format: "pct:1", align: "right" as const }] : []),
      { key: "beta", label: "beta", format: "fixed:3", align: "right" },
      { key: "cp95_lower", label: "CP95 low", format: "fixed:3", align: "right" },
      { key: "cp95_upper", label: "CP95 high", format: "fixed:3", align: "right" },
      { key: "ceiling", label: "Ceiling", format: "pct:1", align: "right" },
      { key: "headroom", label: "Headroom", format: "pct:1", align: "right" },
      { key: "max_gain", label: "Max gain (95%)", format: "pct:1", align: "right" },
      { key: "rho", label: "Mean rho", format: "fixed:2", align: "right" },
    ],
    rows: sorted.map((r) => ({
      pool: r.pool,
      models: r.nModels,
      providers: r.nProviders,
      items: r.nItems,
      best_model: r.best.model,
      best_accuracy: r.best.accuracy,
      ...(anyVote ? { vote_accuracy: r.voteAccuracy } : {}),
      beta: r.beta,
      cp95_lower: r.cp95.lower,
      cp95_upper: r.cp95.upper,
      ceiling: r.ceiling,
      headroom: r.headroom,
      max_gain: r.certificate95.maxGain,
      rho: r.rhoMean,
    })),
    notes: [
      ...(anyVote ? ["Vote: plurality over normalised answers, ties to the most accurate model's answer; blank where the source has no short answers."] : []),
      ...rows.filter((r) => r.samplePolicy !== "first").map((r) => `${r.pool}: several samples reduced by the "${r.samplePolicy}" policy.`),
    ],
  };
}

export default defineStage({
  type: "pool-summary",
  description: "Cross-pool table of beta, its Clopper–Pearson interval, ceiling, headroom and router-gain certificate",
  params: Params,
  inputs: {
    rows: { kind: "json", schema: PoolRow, description: "cofailure rows of every pool (a list or a glob *.row)" },
  },
  outputs: {
    table: { file: "table.json", kind: "json", schema: Table, description: "the pool table" },
  },
  async run(ctx) {
    const rows = flattenInput(ctx.inputs.rows, isPoolRow, "pool row");
    if (rows.length === 0) throw new Error("pool-summary: no pool rows in the input");
    return { table: poolTable(rows, ctx.params) };
  },
});
