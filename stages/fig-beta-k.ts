// `fig-beta-k`: one pool's beta(k) curves (observed best-k, random-k band, single-factor and full copula).
import { z } from "zod";
import { defineStage } from "../engine/types.js";
import { renderVegaLite } from "../figures/vega-lite.js";
import { BetaKCurve } from "../core/beta-k-curve.js";
import { betaKSpec } from "../figures/beta-k-spec.js";

export default defineStage({
  type: "fig-beta-k",
  description: "Figure: beta of k-model sub-pools of one pool, observed and under the copulas",
  params: z.object({ title: z.string().optional() }).default({}),
  inputs: {
    curve: { kind: "json", schema: BetaKCurve, description: "curve output of a `beta-k` stage" },
  },
  outputs: {
    svg: { file: "beta-k.svg", kind: "text" },
    png: { file: "beta-k.png", kind: "binary" },
    spec: { file: "beta-k.vl.json", kind: "json" },
  },
  async run(ctx) {
    const spec = betaKSpec(ctx.inputs.curve as BetaKCurve, ctx.params.title);
    return renderVegaLite(spec);
  },
});
