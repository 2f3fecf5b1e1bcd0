// `cofailure`: a pool matrix -> beta, its exact intervals, the ceiling, headroom, router-gain certificate,
// mean pairwise rho and plurality vote: the pool's row of the paper's pool table.
import { z } from "zod";
import { defineStage, type StageContext } from "../engine/types.js";
import { clopperPearson } from "../stats/clopper-pearson.js";
import { certifiedMaxGain } from "../stats/router-certificate.js";
import { accuracy, allWrongCount, meanPairwiseRho, modelErrorCounts, phiMatrix } from "../stats/cofailure.js";
import { packErrors } from "../stats/verdict-bits.js";
import { expectedAllWrongRate } from "../stats/expected-beta.js";
import { PoolMatrix } from "../core/pool-matrix.js";
import { pluralityVote } from "../stats/plurality-vote.js";
import { PoolRow } from "../core/pool-row.js";
import { Table } from "../core/table.js";
import { countProviders } from "../core/build-pool.js";

const Params = z.object({}).default({});

export interface CofailureResult {
  row: PoolRow;
  accuracies: number[];
}

/** Pure computation of the pool row (tests call it directly). */
export function cofailureRow(matrix: PoolMatrix): CofailureResult {
  const N = matrix.items.length;
  const M = matrix.models.length;
  if (M === 0 || N === 0) throw new Error(`cofailure ${matrix.pool}: empty pool (${M} models x ${N} items)`);
  const bits = packErrors(matrix.correct);
  const acc = Array.from(accuracy(bits));
  // Best single model: highest accuracy, ties by name (not by row order, which under "expected" follows pass rates).
  let best = 0;
  for (let m = 1; m < M; m++) {
    if (acc[m] > acc[best] || (acc[m] === acc[best] && matrix.models[m] < matrix.models[best])) best = m;
  }
  const x = allWrongCount(bits);
  const beta = x / N;
  const cp90 = clopperPearson(x, N, { level: 0.9 });
  const cp95 = clopperPearson(x, N, { level: 0.95 });
  const up90 = clopperPearson(x, N, { level: 0.9, side: "upper" });
  const up95 = clopperPearson(x, N, { level: 0.95, side: "upper" });
  // The certificate is a one-sided statement ("with 95% confidence no policy gains more than g") that accounts for
  // choosing the best model on these same items: delta/2 on beta's lower limit, delta/(2M) on each model's accuracy.
  const cert = certifiedMaxGain({ allWrong: x, n: N, correct: Array.from(modelErrorCounts(bits), (e) => N - e), delta: 0.05 });
  const rho = M >= 2 ? meanPairwiseRho(phiMatrix(bits), M) : NaN;
  // Answers are the first sample's; with several samples reduced by another policy the verdicts describe
  // different draws than the answers, so no vote.
  const votable = matrix.answers !== undefined && (matrix.samplePolicy === "first" || matrix.passCount === undefined);
  const vote = votable ? pluralityVote(matrix.answers!, matrix.correct) : null;
  const row: PoolRow = {
    pool: matrix.pool,
    nItems: N,
    nModels: M,
    nProviders: countProviders(matrix.providers),
    best: { model: matrix.models[best], accuracy: acc[best] },
    allWrong: x,
    beta,
    cp90,
    cp95,
    upper90OneSided: up90.upper,
    upper95OneSided: up95.upper,
    ceiling: 1 - beta,
    oracle: 1 - beta,
    headroom: 1 - beta - acc[best],
    certificate95: {
      method: cert.method, delta: cert.delta, maxGain: cert.maxGain, betaLower: cert.betaLo, bestAccuracyLower: cert.bestLo, ceilingUpper: 1 - cert.betaLo,
    },
    rhoMean: Number.isNaN(rho) ? null : rho,
    voteAccuracy: vote ? vote.accuracy : null,
    betaExpected: matrix.passRate ? expectedAllWrongRate(matrix.passRate) : null,
    samplePolicy: matrix.samplePolicy,
  };
  return { row: PoolRow.parse(row), accuracies: acc };
}

function modelsTable(matrix: PoolMatrix, acc: number[]): Table {
  return {
    title: `Models of pool ${matrix.pool}`,
    caption: `Accuracy of each model on the ${matrix.items.length} items of the pool, most accurate first.`,
    columns: [
      { key: "rank", label: "#", format: "int", align: "right" },
      { key: "model", label: "Model", align: "left" },
      { key: "provider", label: "Provider", align: "left" },
      { key: "accuracy", label: "Accuracy", format: "pct:1", align: "right" },
    ],
    rows: matrix.models.map((model, m) => ({ rank: m + 1, model, provider: matrix.providers[m], accuracy: acc[m] })),
    notes: [],
  };
}

function publishRow(ctx: StageContext, row: PoolRow): void {
  const p = row.pool;
  const on = `on pool ${p} (${row.nModels} models, ${row.nItems} items)`;
  ctx.publish(`${p}.beta`, row.beta, {
    format: "fixed:3", description: `all-wrong rate beta ${on}`,
    ci: { lower: row.cp95.lower, upper: row.cp95.upper, level: 0.95, method: "Clopper-Pearson" },
  });
  ctx.publish(`${p}.beta.count`, row.allWrong, { format: "int", description: `items every model gets wrong ${on}` });
  ctx.publish(`${p}.beta.cp90.lower`, row.cp90.lower, { format: "fixed:3", description: `Clopper-Pearson 90% lower bound on beta ${on}` });
  ctx.publish(`${p}.beta.cp90.upper`, row.cp90.upper, { format: "fixed:3", description: `Clopper-Pearson 90% upper bound on beta ${on}` });
  ctx.publish(`${p}.beta.cp95.lower`, row.cp95.lower, { format: "fixed:3", description: `Clopper-Pearson 95% lower bound on beta ${on}` });
  ctx.publish(`${p}.beta.cp95.upper`, row.cp95.upper, { format: "fixed:3", description: `Clopper-Pearson 95% upper bound on beta ${on}` });
  ctx.publish(`${p}.beta.upper90.onesided`, row.upper90OneSided, { format: "fixed:3", description: `one-sided 90% Clopper-Pearson upper bound on beta ${on}` });
  ctx.publish(`${p}.beta.upper95.onesided`, row.upper95OneSided, { format: "fixed:3", description: `one-sided 95% Clopper-Pearson upper bound on beta ${on}` });
  ctx.publish(`${p}.ceiling`, row.ceiling, { format: "pct:1", description: `ceiling 1 - beta of any member-output policy ${on}` });
  ctx.publish(`${p}.oracle.accuracy`, row.oracle, { format: "pct:1", description: `oracle router accuracy (= 1 - beta) ${on}` });
  ctx.publish(`${p}.best.accuracy`, row.best.accuracy, { format: "pct:1", description: `accuracy of the best single model (${row.best.model}) ${on}` });
  ctx.publish(`${p}.headroom`, row.headroom, { format: "pct:1", description: `headroom (1 - beta) - best single accuracy ${on}` });
  const cert = row.certificate95;
  ctx.publish(`${p}.certificate.maxgain95`, cert.maxGain, {
    format: "pct:1",
    description: `largest gain over the best single model any router/vote/cascade could deliver, 95% (one-sided; method ${cert.method}: ` +
      `(1 - beta lower limit at delta/2) - best accuracy lower limit at delta/(2M), delta = ${cert.delta}) ${on}`,
  });
  ctx.publish(`${p}.certificate.beta.lower`, cert.betaLower, {
    format: "fixed:3", description: `one-sided Clopper-Pearson lower limit of beta at delta/2 = ${cert.delta / 2}, the certificate's beta term ${on}`,
  });
  ctx.publish(`${p}.best.accuracy.lower`, cert.bestAccuracyLower, {
    format: "pct:1",
    description: `lower limit of the best model's accuracy valid for in-sample selection (method ${cert.method}: max over the ${row.nModels} models ` +
      `of each one-sided Clopper-Pearson lower limit at delta/(2M), delta = ${cert.delta}) ${on}`,
  });
  if (row.rhoMean !== null) ctx.publish(`${p}.rho.mean`, row.rhoMean, { format: "fixed:2", description: `mean pairwise phi of error indicators ${on}` });
  else ctx.warn(`pool ${p}: no pair of models with error variance; ${p}.rho.mean not published`);
  if (row.voteAccuracy !== null) ctx.publish(`${p}.vote.accuracy`, row.voteAccuracy, { format: "pct:1", description: `plurality-vote accuracy ${on}` });
  if (row.betaExpected !== null) ctx.publish(`${p}.beta.expected`, row.betaExpected, { format: "fixed:3", description: `all-wrong rate with one fresh sample per model (mean of prod (1 - pass rate)) ${on}` });
}

export default defineStage({
  type: "cofailure",
  description: "beta, Clopper–Pearson bounds, ceiling, headroom, router-gain certificate, mean rho and plurality vote of one pool",
  params: Params,
  inputs: {
    matrix: { kind: "json", schema: PoolMatrix, description: "the pool matrix from `pool`" },
  },
  outputs: {
    row: { file: "row.json", kind: "json", schema: PoolRow, description: "the pool's row of the pool table" },
    models: { file: "models.json", kind: "json", schema: Table, description: "per-model accuracy table" },
  },
  async run(ctx) {
    const matrix = ctx.inputs.matrix as PoolMatrix;
    const { row, accuracies } = cofailureRow(matrix);
    publishRow(ctx, row);
    return { row, models: modelsTable(matrix, accuracies) };
  },
});
