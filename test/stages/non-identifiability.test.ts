import { test } from "node:test";
import assert from "node:assert/strict";
import stage from "../../stages/non-identifiability.js";
import poolStage from "../../stages/pool.js";
import { buildPoolMatrix } from "../../core/build-pool.js";
import { fakeContext } from "../support/stage-context.js";
import { tableFrom } from "../support/tables.js";

type Out = { table: { rows: { quantity: string; lawA: number; lawB: number }[] } };

test("non-identifiability: same marginals and phi, beta from 0 to 0.088 (closed form)", async () => {
  const { ctx, published } = fakeContext({ params: stage.params.parse({}), inputs: {} });
  const { table } = (await stage.run(ctx)) as Out;
  // e = 0.2, phi = 0.3: b = 0.04 + 0.3 * 0.16 = 0.088; beta in [max(0, 2b - e), min(b, 1 - 3e + 3b)] = [0, 0.088]
  assert.ok(Math.abs(published.get("nonident.beta.min")!.value - 0) < 1e-12);
  assert.ok(Math.abs(published.get("nonident.beta.max")!.value - 0.088) < 1e-12);
  assert.ok(Math.abs(published.get("nonident.rho")!.value - 0.3) < 1e-12);
  assert.ok(Math.abs(published.get("nonident.error.rate")!.value - 0.2) < 1e-12);
  assert.equal(table.rows.length, 8 + 3 + 3 + 3 + 1);
  for (const law of ["lawA", "lawB"] as const) {
    const cells = table.rows.slice(0, 8).map((r) => r[law]);
    assert.ok(cells.every((p) => p >= 0));
    assert.ok(Math.abs(cells.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  }
  // every shared row is equal across the two laws; only beta differs
  for (const r of table.rows.slice(8, -1)) assert.ok(Math.abs(r.lawA - r.lawB) < 1e-12, r.quantity);
  const beta = table.rows.at(-1)!;
  assert.ok(beta.lawB - beta.lawA > 0.08);
});

test("non-identifiability: calibrated to a pool's three best models", async () => {
  const items = Array.from({ length: 10 }, (_, i) => `q${i}`);
  const matrix = buildPoolMatrix([tableFrom("t", items, {
    A: { provider: "p", verdicts: "1111111000" },
    B: { provider: "p", verdicts: "1111100110" },
    C: { provider: "p", verdicts: "0000011100" },
    D: { provider: "p", verdicts: "0000000000" },
  })], poolStage.params.parse({ name: "fx" }));
  const { ctx, published } = fakeContext({ params: stage.params.parse({ prefix: "fx.nonident" }), inputs: { matrix } });
  const { table } = (await stage.run(ctx)) as Out;
  // A, B, C error rates 0.3, 0.3, 0.7; observed all-wrong rate 0.1 lies in [min, max]
  assert.ok(table.rows.some((r) => r.quantity === "error rate of C" && Math.abs(r.lawA - 0.7) < 1e-12));
  const lo = published.get("fx.nonident.beta.min")!.value, hi = published.get("fx.nonident.beta.max")!.value;
  assert.ok(lo <= 0.1 + 1e-12 && 0.1 - 1e-12 <= hi, `${lo} ${hi}`);
  assert.ok(hi > lo);
});
