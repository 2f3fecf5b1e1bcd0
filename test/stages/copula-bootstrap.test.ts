// `copula-bootstrap` blocks + `copula` summarising them = `copula` drawing its own replicates, to the byte, for any
// number of blocks; and `copula` refuses blocks drawn for another seed, setting or matrix, or that miss a replicate.
import { test } from "node:test";
import assert from "node:assert/strict";
import copulaStage from "../../stages/copula.js";
import bootstrapStage from "../../stages/copula-bootstrap.js";
import type { CopulaReplicateBlock } from "../../core/copula-replicates.js";
import { blockRanges } from "../../core/copula-replicates.js";
import { runStage } from "../support/stage-context.js";
import { simulatePool } from "../support/simulate.js";

const matrix = simulatePool({ errorRates: [0.2, 0.25, 0.3, 0.35, 0.4, 0.45], loadings: [0.5, 0.6, 0.55, 0.65, 0.6, 0.7], items: 1500, seed: 3, hardShare: 0.03, hardError: 1 });
const boot = { B_sf: 60, B_full: 10, k: 4, boot_orthant: { abs_eps: 1e-3, max_points: 8000 } };
const copulaParams = { ...boot, jackknife: false, B_models: 0, orthant: { abs_eps: 1e-4, max_points: 40_000 } };
const SEED = 4242;

async function blocks(count: number, over: { seed?: number; params?: Record<string, unknown>; matrix?: unknown } = {}) {
  const out: Record<string, CopulaReplicateBlock> = {};
  for (let index = 0; index < count; index++) {
    const r = await runStage(bootstrapStage, { params: { ...boot, ...over.params }, inputs: { matrix: over.matrix ?? matrix }, seed: over.seed ?? SEED, block: { index, count } });
    out[`block-${index}`] = r.outputs.replicates as CopulaReplicateBlock;
  }
  return out;
}

const summarise = (replicates?: unknown) =>
  runStage(copulaStage, { params: copulaParams, inputs: replicates === undefined ? { matrix } : { matrix, replicates }, seed: SEED, id: "copula-sim" });

test("copula-bootstrap: 1, 3 or 4 blocks summarised by copula give its own bootstrap's summary and results, to the byte", async () => {
  const own = await summarise();
  const ownJson = JSON.stringify(own.outputs), ownResults = JSON.stringify([...own.published]);
  assert.ok(own.outputs.summary && (own.outputs.summary as { full: { bootstrap: { replicates: number } } }).full.bootstrap.replicates === 60);
  for (const n of [1, 3, 4]) {
    const b = await blocks(n);
    const viaBlocks = await summarise(n === 1 ? b["block-0"] : b);
    assert.equal(JSON.stringify(viaBlocks.outputs), ownJson, `${n} block(s): summary differs`);
    assert.equal(JSON.stringify([...viaBlocks.published]), ownResults, `${n} block(s): published results differ`);
  }
  // The summary is of the blocks' values, not of replicates drawn again: change them and the interval follows.
  const b = await blocks(2);
  for (const block of Object.values(b)) for (const v of block.whole) v[2] = 7;
  const bent = await summarise(b);
  assert.deepEqual(bent.published.get("sim.ratio.sf")!.ci && [bent.published.get("sim.ratio.sf")!.ci!.lower, bent.published.get("sim.ratio.sf")!.ci!.upper], [7, 7]);
});

test("copula-bootstrap: each block takes an equal share of the full-copula and of the single-factor replicates", () => {
  assert.deepEqual([0, 1, 2, 3].map((i) => blockRanges({ B_sf: 1000, B_full: 200 }, i, 4)),
    [[[0, 50], [200, 400]], [[50, 100], [400, 600]], [[100, 150], [600, 800]], [[150, 200], [800, 1000]]]);
  // More blocks than full-copula replicates: some blocks have none of them; all replicates are covered once.
  const all = Array.from({ length: 7 }, (_, i) => blockRanges({ B_sf: 20, B_full: 3 }, i, 7)).flat();
  const covered = all.flatMap(([a, b]) => Array.from({ length: b - a }, (_, j) => a + j)).sort((x, y) => x - y);
  assert.deepEqual(covered, Array.from({ length: 20 }, (_, r) => r));
});

test("copula refuses replicate blocks of another seed, setting or matrix, or with a replicate missing, naming what differs", async () => {
  const good = await blocks(2);
  await assert.rejects(summarise(await blocks(2, { seed: 1 })), /block-0 was drawn with seed 1, this stage's seed is 4242: declare "seed_of: copula-sim"/);
  await assert.rejects(summarise(await blocks(2, { params: { B_full: 12 } })), /block-0 has other bootstrap params \(B_full: 12 there, 10 here\)/);
  await assert.rejects(summarise(await blocks(2, { params: { zero_cell: 0.1 } })), /zero_cell: 0.1 there, 0.5 here/);
  const other = simulatePool({ errorRates: [0.2, 0.25, 0.3, 0.35, 0.4, 0.45], loadings: [0.5, 0.6, 0.55, 0.65, 0.6, 0.7], items: 1500, seed: 4 });
  await assert.rejects(summarise(await blocks(2, { matrix: other })), /block-0 was drawn for another pool matrix/);
  await assert.rejects(summarise({ "block-1": good["block-1"] }), /copula-sim: replicate 0 of 60 is in no block/);
  await assert.rejects(summarise({ a: good["block-0"], b: good["block-0"] }), /replicate 0 is also in block a/);
  const truncated = { ...good["block-1"]!, whole: good["block-1"]!.whole.slice(1) };
  await assert.rejects(summarise({ "block-0": good["block-0"], "block-1": truncated }), /block-1: its ranges list more replicates than its values hold/);
});
