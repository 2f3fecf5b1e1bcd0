// `fig-artifact-atom`: the common-mode-atom signature (the original study's Prop. "poolbias") per pool.
// ratio(k) = observed beta of the best k / the single-factor copula's beta of the same k (core/atom-ratio.ts).
// A common-mode atom — items every model fails, real or an evaluation artifact — makes the ratio grow with k;
// smooth dependence keeps it flat near 1. Raw and audited curves side by side show how much of the growth the
// audit removes. Without audited curves the stage renders and publishes the raw side only.
import { z } from "zod";
import { defineStage, type StageContext } from "../engine/types.js";
import { renderVegaLite } from "../figures/vega-lite.js";
import { flattenInput } from "../core/inputs.js";
import { sortByPoolOrder } from "../core/pool-order.js";
import { BetaKCurve, isBetaKCurve } from "../core/beta-k-curve.js";
import {
  atomRatioCurve, kMax, kSmall, pairByPool, ratioAt, ratioGrowth, type AtomRatioCurve, type PoolPair,
} from "../core/atom-ratio.js";
import { atomRatioSpec } from "../figures/atom-ratio-spec.js";
import { Table } from "../core/table.js";

const Params = z.object({
  title: z.string().optional(),
  columns: z.number().int().positive().default(2),
  /** Panel and table-row order by (raw) pool name; pools not listed follow in name order. */
  order: z.array(z.string()).optional(),
  /** The audited curve of raw pool P has pool name P + auditedSuffix ("" = the same pool name). */
  auditedSuffix: z.string().default("-audited"),
  /** Pool sizes tabulated and published besides the whole pool (k = M); a k above M gives a blank cell. */
  ks: z.array(z.number().int().positive()).default([5, 10]),
});
type Params = z.infer<typeof Params>;

type Role = "raw" | "audited";
const ROLES: readonly Role[] = ["raw", "audited"];

export function atomTable(pairs: PoolPair<AtomRatioCurve>[], params: Params): Table {
  const roles = ROLES.filter((r) => r === "raw" || pairs.some((p) => p.audited));
  const ks = [...new Set(params.ks)].sort((a, b) => a - b);
  const label = (r: Role) => (r === "raw" ? "raw" : "audited");
  return {
    title: "Common-mode atom: observed over single-factor copula beta of the best k models",
    caption:
      "Ratio of the observed all-wrong rate of the k most accurate models to the single-factor Gaussian copula's prediction " +
      "for the same models (calibrated to tetrachoric rho on the whole pool), at fixed k and for the whole pool (k = M); growth = ratio at M / ratio at " +
      "the smaller of 5 and M. A ratio growing with k is the signature of a common-mode atom (items every model fails); under smooth " +
      "dependence it stays near 1.",
    columns: [
      { key: "pool", label: "Pool", align: "left" },
      { key: "models", label: "M", format: "int", align: "right" },
      ...roles.flatMap((r) => [
        ...ks.map((k) => ({ key: `${r}_k${k}`, label: `${label(r)}, k = ${k}`, format: "ratio:2", align: "right" as const })),
        { key: `${r}_kmax`, label: `${label(r)}, k = M`, format: "ratio:2", align: "right" as const },
        { key: `${r}_growth`, label: `${label(r)}, growth`, format: "ratio:2", align: "right" as const },
      ]),
    ],
    rows: pairs.map((p) => {
      const row: Record<string, string | number | null> = { pool: p.pool, models: p.raw.models };
      for (const r of roles) {
        const c = p[r];
        for (const k of ks) row[`${r}_k${k}`] = c ? ratioAt(c, k) : null;
        row[`${r}_kmax`] = c ? ratioAt(c, kMax(c)) : null;
        row[`${r}_growth`] = c ? ratioGrowth(c) : null;
      }
      return row;
    }),
    notes: [
      "Blank: k above the pool size, or no finite ratio — the prediction is 0 (0/0 when nothing is observed either; unbounded otherwise) or the pool has no copula fit. Observed 0 against a positive prediction gives ratio 0.",
      ...pairs.filter((p) => p.audited && p.audited.models !== p.raw.models)
        .map((p) => `${p.pool}: the audited pool has ${p.audited!.models} models, the raw pool ${p.raw.models}; k = M differs.`),
    ],
  };
}

export default defineStage({
  type: "fig-artifact-atom",
  description: "Figure + table: observed / single-factor copula beta of the best k against k, raw vs audited verdicts, per pool (the common-mode-atom signature)",
  params: Params,
  inputs: {
    raw: { kind: "json", schema: BetaKCurve, description: "beta(k) curves on the raw pool matrices (a list of beta-k-<pool>.curve)" },
    audited: {
      kind: "json", schema: BetaKCurve, optional: true,
      description: "beta(k) curves on the audited pool matrices (pool = <raw pool><auditedSuffix>); absent: raw only",
    },
  },
  outputs: {
    svg: { file: "artifact-atom.svg", kind: "text" },
    png: { file: "artifact-atom.png", kind: "binary" },
    spec: { file: "artifact-atom.vl.json", kind: "json" },
    table: { file: "table.json", kind: "json", schema: Table, description: "ratio at k = ks and k = M, and its growth, per pool, raw and audited" },
  },
  async run(ctx) {
    const raw = flattenInput(ctx.inputs.raw, isBetaKCurve, "beta(k) curve");
    if (raw.length === 0) throw new Error("fig-artifact-atom: no raw curves in the input");
    const audited = ctx.inputs.audited === undefined ? [] : flattenInput(ctx.inputs.audited, isBetaKCurve, "beta(k) curve");
    if (audited.length === 0) ctx.warn("no audited curves: raw ratios only (the audited series, columns and results are left out)");
    const pairs = sortByPoolOrder(pairByPool(raw, audited, ctx.params.auditedSuffix), ctx.params.order).map((p) => ({
      pool: p.pool, raw: atomRatioCurve(p.raw), audited: p.audited ? atomRatioCurve(p.audited) : null,
    }));
    for (const p of pairs) {
      if (audited.length > 0 && !p.audited) ctx.warn(`${p.pool}: no audited curve (expected pool "${p.pool}${ctx.params.auditedSuffix}")`);
      for (const r of ROLES) {
        const c = p[r];
        if (!c) continue;
        const blank = c.points.filter((x) => x.ratio === null);
        if (blank.length) ctx.log(`${p.pool} ${r}: no finite ratio at k = ${blank.map((x) => `${x.k} (${x.status})`).join(", ")}`);
        publishRole(ctx, p.pool, r, c, ctx.params.ks);
      }
    }
    const spec = atomRatioSpec(pairs, { title: ctx.params.title, columns: Math.min(ctx.params.columns, pairs.length) });
    return { ...(await renderVegaLite(spec)), table: atomTable(pairs, ctx.params) };
  },
});

function publishRole(
  ctx: StageContext<Params>, pool: string, role: Role, c: AtomRatioCurve, ks: number[],
) {
  const what = role === "raw" ? "raw verdicts" : "audited verdicts";
  const M = kMax(c);
  const put = (id: string, value: number | null, description: string) => {
    if (value === null) ctx.warn(`${pool}: ${id} not published (no finite ratio; see core/atom-ratio.ts)`);
    else ctx.publish(id, value, { format: "ratio:2", description });
  };
  const ratioText = (k: number) => `observed beta of the best ${k} of ${pool} / the single-factor copula's beta of the same models (${what})`;
  for (const k of [...new Set(ks)].filter((k) => k < M)) put(`${pool}.atom.ratio.${role}.k${k}`, ratioAt(c, k), ratioText(k));
  put(`${pool}.atom.ratio.${role}.kmax`, ratioAt(c, M), `${ratioText(M)}: all ${M} models`);
  put(`${pool}.atom.growth.${role}`, ratioGrowth(c),
    `growth of the observed / single-factor beta ratio of ${pool} with pool size (${what}): ratio at k = ${M} over ratio at k = ${kSmall(c)}; > 1 is the common-mode-atom signature`);
}
