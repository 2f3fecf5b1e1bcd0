// Independent check of the headline numbers on math-l5 (43 ZeroEval runs, verdicts = ZeroEval's own rule):
// beta and the single-factor underpricing ratio recomputed here with plain loops — no bitsets, no
// stats/tetrachoric, no stats/factor, no stats/single-factor-beta — and compared with the stages' output.
// Only the normal and bivariate normal CDFs come from stats/ (tested on their own against R).
import { test } from "node:test";
import assert from "node:assert/strict";
import poolStage from "../../stages/pool.js";
import { buildPoolMatrix } from "../../core/build-pool.js";
import { cofailureRow } from "../../stages/cofailure.js";
import { fitCopula } from "../../stats/copula.js";
import { packErrors } from "../../stats/verdict-bits.js";
import { hasData, loadMathL5 } from "../../ingest/mirror-tables.js";
import { minresByAls, plainAllWrong, plainTetrachorics, singleFactorBetaTrapezoid } from "../support/independent.js";

test("headline: math-l5 beta and single-factor ratio, independent re-implementation", { skip: !hasData && "no ../shared/data" }, async () => {
  const table = await loadMathL5();
  // --- independent: verdict map, common items, beta with plain loops
  const byModel = new Map<string, Map<string, number>>();
  for (const r of table.rows) {
    if (r.sample !== 0) continue;
    if (!byModel.has(r.model)) byModel.set(r.model, new Map());
    byModel.get(r.model)!.set(r.item_id, r.source_verdict as number);
  }
  const models = [...byModel.keys()];
  assert.equal(models.length, 43);
  const items = [...byModel.get(models[0])!.keys()].filter((i) => models.every((m) => byModel.get(m)!.has(i)));
  const N = items.length;
  const err = models.map((m) => items.map((i) => 1 - byModel.get(m)!.get(i)!));
  const allWrong = plainAllWrong(err);
  const beta = allWrong / N;

  // --- independent: thresholds, tetrachorics (bisection), minres by plain gradient-free coordinate sweeps
  const M = models.length;
  const { tau, R } = plainTetrachorics(err);

  // --- the stages on the same data
  const matrix = buildPoolMatrix([table], poolStage.params.parse({ name: "math-l5" }));
  const { row } = cofailureRow(matrix);
  assert.equal(matrix.items.length, N);
  assert.equal(row.allWrong, allWrong);
  assert.equal(row.beta, beta);
  const fit = fitCopula(packErrors(matrix.correct), { full: null });
  // Same tetrachorics (models are in a different order in the matrix: map by name).
  const pos = matrix.models.map((m) => models.indexOf(m));
  let maxDiff = 0;
  for (let a = 0; a < M; a++) for (let b = 0; b < M; b++) {
    if (a !== b) maxDiff = Math.max(maxDiff, Math.abs(fit.tetrachoric[a * M + b] - R[pos[a]][pos[b]]));
  }
  assert.ok(maxDiff < 1e-6, `tetrachoric max diff ${maxDiff}`);

  // Single factor by minres on the repaired matrix the stage used (the repair itself is checked against
  // R's Matrix::nearPD in the stats tests), fitted here by plain alternating least squares.
  const Rr = Array.from({ length: M }, (_, a) => Array.from({ length: M }, (_, b) => fit.repaired[a * M + b]));
  const lam = minresByAls(Rr);
  // beta_1f by the trapezoid rule on a fine grid (the integrand is smooth and negligible beyond |z| = 9).
  const tauM = matrix.models.map((_, a) => tau[pos[a]]);
  const beta1f = singleFactorBetaTrapezoid(tauM, lam);
  const ratio = beta / beta1f;
  assert.ok(Math.abs(fit.beta1f / beta1f - 1) < 1e-4, `beta_1f stage ${fit.beta1f} vs independent ${beta1f}`);
  assert.ok(Math.abs(fit.ratioSf / ratio - 1) < 1e-4, `ratio stage ${fit.ratioSf} vs independent ${ratio}`);
  // The numbers themselves (43 models, 425 common items): committed so a drift in data or code shows.
  assert.equal(N, 425);
  assert.equal(allWrong, 16);
  assert.ok(Math.abs(ratio - 1.643) < 0.005, `ratio ${ratio}`);
});
