// `non-identifiability`: two error laws of three models with the same marginals and the same pairwise
// correlations but different all-wrong rates — the paper's "rho does not identify beta" table.
// By default the three error rates and the common phi are params; given a pool matrix, the law is
// calibrated to its three most accurate models (their error rates and pairwise both-wrong rates).
import { z } from "zod";
import { defineStage } from "../engine/types.js";
import { modelErrorCounts, pairBothWrongCounts } from "../stats/cofailure.js";
import { CELL_PATTERNS, nonIdentifiablePair, type NonIdentifiablePair } from "../stats/non-identifiable.js";
import { packErrors } from "../stats/verdict-bits.js";
import { PoolMatrix } from "../core/pool-matrix.js";
import { Table } from "../core/table.js";

const Rate = z.number().gt(0).lt(1);
const Params = z.object({
  error_rates: z.tuple([Rate, Rate, Rate]).default([0.2, 0.2, 0.2]),
  /** Common pairwise phi of the error indicators. */
  phi: z.number().gt(-1).lt(1).default(0.3),
  /** Prefix of the published ids. */
  prefix: z.string().default("nonident"),
});
type Params = z.infer<typeof Params>;

export interface NonIdentifiabilityResult {
  pair: NonIdentifiablePair;
  models: string[] | null;
}

export function solveNonIdentifiable(params: Params, matrix?: PoolMatrix): NonIdentifiabilityResult {
  if (!matrix) return { pair: nonIdentifiablePair({ errorRates: params.error_rates, phi: params.phi }), models: null };
  if (matrix.models.length < 3) throw new Error(`non-identifiability: pool ${matrix.pool} has ${matrix.models.length} < 3 models`);
  const bits = packErrors(matrix.correct.slice(0, 3));
  const N = matrix.items.length;
  const e = modelErrorCounts(bits);
  const both = pairBothWrongCounts(bits);
  return {
    pair: nonIdentifiablePair({
      errorRates: [e[0] / N, e[1] / N, e[2] / N],
      bothWrong: [both[1] / N, both[2] / N, both[5] / N],
    }),
    models: matrix.models.slice(0, 3),
  };
}

function lawTable(result: NonIdentifiabilityResult, params: Params): Table {
  const { pair, models } = result;
  const s = pair.shared;
  const name = (m: number) => (models ? models[m] : `model ${m + 1}`);
  // The shared constraints hold for both laws by construction; recomputing them from each law shows it.
  const rows: Record<string, string | number | null>[] = CELL_PATTERNS.map((pattern, c) => ({
    quantity: `P(E = ${pattern})`, lawA: pair.minLaw[c], lawB: pair.maxLaw[c],
  }));
  const marg = (law: Float64Array, m: number) => CELL_PATTERNS.reduce((a, p, c) => a + (p[m] === "1" ? law[c] : 0), 0);
  const bothOf = (law: Float64Array, m: number, n: number) => CELL_PATTERNS.reduce((a, p, c) => a + (p[m] === "1" && p[n] === "1" ? law[c] : 0), 0);
  for (let m = 0; m < 3; m++) rows.push({ quantity: `error rate of ${name(m)}`, lawA: marg(pair.minLaw, m), lawB: marg(pair.maxLaw, m) });
  const pairs = [[0, 1], [0, 2], [1, 2]] as const;
  pairs.forEach(([m, n]) => {
    rows.push({ quantity: `both wrong: ${name(m)} & ${name(n)}`, lawA: bothOf(pair.minLaw, m, n), lawB: bothOf(pair.maxLaw, m, n) });
  });
  pairs.forEach(([m, n], k) => rows.push({ quantity: `phi (error correlation): ${name(m)} & ${name(n)}`, lawA: s.phi[k], lawB: s.phi[k] }));
  rows.push({ quantity: "beta = P(all three wrong)", lawA: pair.betaMin, lawB: pair.betaMax });
  return {
    title: "Same marginals, same pairwise correlations, different all-wrong rate",
    caption: models
      ? `Two joint error laws of the three most accurate models (${models.join(", ")}) that match their observed error rates and pairwise both-wrong rates exactly, with the smallest (A) and largest (B) possible beta.`
      : `Two joint error laws of three models with error rates ${params.error_rates.join(", ")} and pairwise error correlation phi = ${params.phi}: beta can be anything in [${pair.betaMin.toFixed(3)}, ${pair.betaMax.toFixed(3)}].`,
    columns: [
      { key: "quantity", label: "", align: "left" },
      { key: "lawA", label: "Law A (min beta)", format: "fixed:3", align: "right" },
      { key: "lawB", label: "Law B (max beta)", format: "fixed:3", align: "right" },
    ],
    rows,
    notes: ["E = (E1, E2, E3), 1 = wrong. Laws from the two linear programs min / max P(E = 111) subject to the 7 shared moments."],
  };
}

export default defineStage({
  type: "non-identifiability",
  description: "Two 3-model error laws with identical marginals and pairwise rho but different beta",
  params: Params,
  inputs: {
    matrix: { kind: "json", schema: PoolMatrix, optional: true, description: "optional pool: calibrate to its three most accurate models" },
  },
  outputs: {
    table: { file: "table.json", kind: "json", schema: Table, description: "the 8 cells of both laws, their marginals, pairwise rho and beta" },
  },
  async run(ctx) {
    const matrix = ctx.inputs.matrix as PoolMatrix | undefined;
    const result = solveNonIdentifiable(ctx.params, matrix);
    const { pair } = result;
    const p = ctx.params.prefix;
    const s = pair.shared;
    const on = result.models ? `three best models of ${matrix!.pool}` : "constructed 3-model example";
    ctx.publish(`${p}.beta.min`, pair.betaMin, { format: "fixed:3", description: `smallest all-wrong rate consistent with the shared marginals and correlations (${on})` });
    ctx.publish(`${p}.beta.max`, pair.betaMax, { format: "fixed:3", description: `largest all-wrong rate consistent with the shared marginals and correlations (${on})` });
    ctx.publish(`${p}.rho`, (s.phi[0] + s.phi[1] + s.phi[2]) / 3, { format: "fixed:2", description: `mean pairwise error correlation shared by both laws (${on})` });
    ctx.publish(`${p}.error.rate`, (s.errorRates[0] + s.errorRates[1] + s.errorRates[2]) / 3, { format: "pct:1", description: `mean error rate shared by both laws (${on})` });
    return { table: lawTable(result, ctx.params) };
  },
});
