// `pool`: graded canonical tables -> one models x items 0/1 matrix, the input of every co-failure analysis
// (core/build-pool.ts decides the models, the items and how samples become one verdict).
import { defineStage } from "../engine/types.js";
import { CanonicalTable } from "../core/canonical-table.js";
import { buildPoolMatrix, countProviders, PoolParams } from "../core/build-pool.js";
import { flattenInput, isCanonicalTableLike } from "../core/inputs.js";
import { PoolMatrix } from "../core/pool-matrix.js";

export default defineStage({
  type: "pool",
  description: "Graded canonical tables -> the pool's models x items 0/1 matrix (models by accuracy, items sorted)",
  params: PoolParams,
  inputs: {
    tables: { kind: "json", schema: CanonicalTable, description: "graded CanonicalTable(s): one, a list, or one per partition" },
  },
  outputs: {
    matrix: { file: "matrix.json", kind: "json", schema: PoolMatrix, description: "models x items verdict matrix" },
  },
  async run(ctx) {
    const tables = flattenInput(ctx.inputs.tables, isCanonicalTableLike, "CanonicalTable") as CanonicalTable[];
    const matrix = buildPoolMatrix(tables, ctx.params, (m) => ctx.warn(m));
    for (const note of matrix.notes) ctx.log(note);
    const pool = matrix.pool;
    const unknown = matrix.models.filter((_, m) => matrix.providers[m] === "unknown");
    if (unknown.length) ctx.warn(`pool ${pool}: ${unknown.length} model(s) with unknown provider, not counted as providers: ${unknown.join(", ")}`);
    ctx.publish(`${pool}.n.items`, matrix.items.length, { format: "int", description: `items in pool ${pool}` });
    ctx.publish(`${pool}.n.models`, matrix.models.length, { format: "int", description: `models in pool ${pool}` });
    ctx.publish(`${pool}.n.providers`, countProviders(matrix.providers), { format: "int", description: `distinct model providers in pool ${pool}` });
    return { matrix };
  },
});
