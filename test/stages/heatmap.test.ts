import { test } from "node:test";
import assert from "node:assert/strict";
import copulaStage from "../../stages/copula.js";
import fig, { heatmapSpec } from "../../stages/fig-tetrachoric-heatmap.js";
import type { CopulaSummary } from "../../core/copula-summary.js";
import { fakeContext } from "../support/stage-context.js";
import { simulatePool } from "../support/simulate.js";

test("tetrachoric heatmap: models in accuracy order, off-diagonal cells, svg + png", async () => {
  const matrix = simulatePool({ errorRates: [0.2, 0.3, 0.4, 0.35], loadings: [0.5, 0.6, 0.5, 0.7], items: 2000, seed: 8 });
  const { ctx } = fakeContext({ params: copulaStage.params.parse({ B_sf: 10, B_full: 0, workers: 1 }), inputs: { matrix } });
  const { summary } = (await copulaStage.run(ctx)) as { summary: CopulaSummary };
  const spec = heatmapSpec("sim", summary.full, { matrix: "raw" }) as unknown as { data: { values: { row: string; col: string; r: number }[] }; encoding: { x: { sort: string[] } } };
  assert.equal(spec.data.values.length, (4 * 3) / 2, "the lower triangle: each pair once");
  assert.deepEqual(spec.encoding.x.sort, matrix.models.slice(0, -1).map((m, i) => `${i + 1}. ${m}`));
  const { ctx: fctx } = fakeContext({ params: fig.params.parse({}), inputs: { summary } });
  const out = (await fig.run(fctx)) as { svg: string; png: Uint8Array };
  assert.match(out.svg, /tetrachoric r/);
  assert.deepEqual([...out.png.slice(1, 4)], [0x50, 0x4e, 0x47]);
});

test("tetrachoric heatmap: positive-only correlations on a sequential 0-1 scale; pairs with an empty 2x2 cell are marked", async () => {
  const { correctedPairs } = await import("../../stages/fig-tetrachoric-heatmap.js");
  // a and b are never wrong together (empty both-wrong cell); c is wrong with each of them.
  const m = {
    pool: "fx", samplePolicy: "first" as const, items: ["1", "2", "3", "4", "5", "6"], models: ["a", "b", "c"], providers: ["p", "p", "p"],
    correct: [[0, 1, 1, 1, 0, 1], [1, 0, 1, 1, 1, 0], [0, 0, 1, 0, 1, 1]] as (0 | 1)[][], notes: [],
  };
  assert.deepEqual([...correctedPairs(m, ["a", "b", "c"])], ["0,1"]);
  assert.deepEqual([...correctedPairs(m, ["b", "a", "c"])], ["0,1"]);
  const matrix = simulatePool({ errorRates: [0.2, 0.3, 0.4], loadings: [0.5, 0.6, 0.5], items: 2000, seed: 9 });
  const { ctx } = fakeContext({ params: copulaStage.params.parse({ B_sf: 10, B_full: 0, workers: 1 }), inputs: { matrix } });
  const { summary } = (await copulaStage.run(ctx)) as { summary: CopulaSummary };
  const spec = heatmapSpec("sim", summary.full, { matrix: "raw", corrected: new Set(["0,2"]) }) as unknown as {
    data: { values: { row: string; col: string; corrected: boolean }[] }; layer: { encoding?: { color?: { scale: { scheme: string; domain: number[] } } } }[];
  };
  assert.deepEqual(spec.layer[0]!.encoding!.color!.scale.domain, [0, 1]);
  assert.equal(spec.layer[0]!.encoding!.color!.scale.scheme, "viridis");
  assert.deepEqual(spec.data.values.filter((c) => c.corrected).map((c) => [c.row, c.col]), [[`3. ${matrix.models[2]}`, `1. ${matrix.models[0]}`]]);
});
