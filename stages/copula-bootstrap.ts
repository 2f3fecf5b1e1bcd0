// `copula-bootstrap`: the item-bootstrap replicates of a pool's copula calibration (full pool and best k), one share
// of the replicate indices per block, so a large B spreads over `blocks: N` cluster jobs. Replicate r draws stream r
// of the seed, so the blocks' values are those of one unsplit run whatever N is. Declare it with
// `seed_of: <the copula stage>` and give that stage these blocks as its `replicates` input: it checks that they were
// drawn for its matrix, seed and params and summarises them exactly as it would its own replicates.
import { z } from "zod";
import { defineStage } from "../engine/types.js";
import { packErrors } from "../stats/verdict-bits.js";
import { copulaReplicateValues } from "../stats/copula-bootstrap.js";
import { fitCopula } from "../stats/copula.js";
import { CopulaBootstrapParams, CopulaReplicateBlock, blockRanges, matrixFingerprint, replicateInput, replicateSetting, toNullable } from "../core/copula-replicates.js";
import { PoolMatrix, selectModels } from "../core/pool-matrix.js";

const Params = z.object(CopulaBootstrapParams);

export default defineStage({
  type: "copula-bootstrap",
  description: "bootstrap replicates of the copula calibration over items (full pool and best k), one share of them per block, for the copula stage to summarise",
  params: Params,
  inputs: {
    matrix: { kind: "json", schema: PoolMatrix, description: "the pool matrix, the same as the copula stage's" },
  },
  outputs: {
    replicates: { file: "replicates.json", kind: "json", schema: CopulaReplicateBlock, description: "this block's replicate ranges and values" },
  },
  async run(ctx) {
    const matrix = ctx.inputs.matrix as PoolMatrix;
    const p = ctx.params;
    const M = matrix.models.length;
    if (M < 2) throw new Error(`copula-bootstrap ${matrix.pool}: needs at least 2 models, the pool has ${M}`);
    if (p.B_sf === 0) throw new Error(`stage ${ctx.id}: params.B_sf is 0, so there are no replicates to draw; expected B_sf >= 1 (or remove the stage)`);
    const { index, count } = ctx.block ?? { index: 0, count: 1 };
    const ranges = blockRanges(p, index, count);
    const conventions = { correction: p.zero_cell, repair: p.repair };
    const k = Math.min(p.k, M);
    const replicatesOf = async (m: PoolMatrix, label: string) => {
      // The point fit's solutions are every replicate's warm starts, as in the copula stage (its full-copula
      // integral is not needed for them).
      const point = fitCopula(packErrors(m.correct), { ...conventions, full: null });
      const input = replicateInput({ correct: m.correct, point, params: p, seed: ctx.seed, parallel: ctx.parallel, progress: () => {} });
      const out: number[][] = [];
      const total = ranges.reduce((s, [a, b]) => s + b - a, 0);
      for (const [from, to] of ranges) {
        const done = out.length;
        out.push(...await copulaReplicateValues({ ...input, progress: (d) => ctx.progress(done + d, total, `${label} bootstrap`) }, { from, to }));
      }
      return out;
    };
    const whole = await replicatesOf(matrix, "full pool");
    const subset = k === M ? null : await replicatesOf(selectModels(matrix, Array.from({ length: k }, (_, m) => m)), `best ${k}`);
    const replicates: CopulaReplicateBlock = {
      pool: matrix.pool, matrix: matrixFingerprint(matrix), seed: ctx.seed, setting: replicateSetting(p),
      ranges, whole: toNullable(whole), subset: subset ? toNullable(subset) : null,
    };
    return { replicates };
  },
});
