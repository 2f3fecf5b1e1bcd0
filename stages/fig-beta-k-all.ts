// `fig-beta-k-all`: small multiples of beta(k), one panel per pool, for the cross-pool comparison.
import { z } from "zod";
import { defineStage } from "../engine/types.js";
import { renderVegaLite } from "../figures/vega-lite.js";
import { flattenInput } from "../core/inputs.js";
import { sortByPoolOrder } from "../core/pool-order.js";
import { BetaKCurve, isBetaKCurve } from "../core/beta-k-curve.js";
import { betaKSmallMultiplesSpec } from "../figures/beta-k-spec.js";

export default defineStage({
  type: "fig-beta-k-all",
  description: "Figure: beta(k) small multiples across pools",
  params: z.object({
    title: z.string().optional(),
    columns: z.number().int().positive().default(3),
    /** Panel order by pool name; pools not listed follow in name order. */
    order: z.array(z.string()).optional(),
  }),
  inputs: {
    curves: { kind: "json", schema: BetaKCurve, description: "curves of every pool (a list or a glob *.curve)" },
  },
  outputs: {
    svg: { file: "beta-k-all.svg", kind: "text" },
    png: { file: "beta-k-all.png", kind: "binary" },
    spec: { file: "beta-k-all.vl.json", kind: "json" },
  },
  async run(ctx) {
    const curves = flattenInput(ctx.inputs.curves, isBetaKCurve, "beta(k) curve");
    if (curves.length === 0) throw new Error("fig-beta-k-all: no curves in the input");
    const spec = betaKSmallMultiplesSpec(sortByPoolOrder(curves, ctx.params.order), { title: ctx.params.title, columns: Math.min(ctx.params.columns, curves.length) });
    return renderVegaLite(spec);
  },
});
