import { test } from "node:test";
import assert from "node:assert/strict";
import betaKStage, { betaKCurve } from "../../stages/beta-k.js";
import figArtifactAtom from "../../stages/fig-artifact-atom.js";
import { ROLE_COLOURS } from "../../figures/theme.js";
import type { Table } from "../../core/table.js";
import { runStage } from "../support/stage-context.js";
import { simulatePool } from "../support/simulate.js";

// Twelve models; "shock": a share of items on which every model fails (a common-mode atom, omega = 0.02) on top
// of a single-factor law; "smooth": the same single-factor law alone (what an audit that removes the atom leaves).
const M = 12;
const law = {
  errorRates: Array.from({ length: M }, (_, m) => 0.25 + 0.02 * m),
  loadings: Array.from({ length: M }, (_, m) => 0.5 + 0.01 * (m % 4)),
  items: 20000,
};
const p = betaKStage.params.parse({ subsets: 5, sf_subsets: 0, full_grid: [1] });
const shock = betaKCurve(simulatePool({ ...law, seed: 1, hardShare: 0.02, hardError: 1 }), p, 1);
const smooth = betaKCurve(simulatePool({ ...law, seed: 1 }), p, 1);
const asPool = <T extends { pool: string }>(c: T, pool: string): T => ({ ...c, pool });

type Out = { svg: string; png: Uint8Array; spec: { resolve: unknown; spec: { layer: { encoding: { color?: { scale: { domain: string[]; range: string[] } } } }[] } }; table: Table };

test("fig-artifact-atom: a common-shock law's ratio grows with k, a smooth law's stays flat", async () => {
  const raw = [asPool(shock, "shock"), asPool(smooth, "smooth")];
  const { outputs, published, warnings } = await runStage(figArtifactAtom, { params: {}, inputs: { raw } });
  const v = (id: string) => published.get(id)!.value;
  // common shock: beta(k) -> omega while the copula's prediction -> 0
  assert.ok(v("shock.atom.ratio.raw.kmax") > 2.5, `shock kmax ${v("shock.atom.ratio.raw.kmax")}`);
  assert.ok(v("shock.atom.growth.raw") > 1.8, `shock growth ${v("shock.atom.growth.raw")}`);
  assert.ok(v("shock.atom.ratio.raw.k10") > v("shock.atom.ratio.raw.k5"));
  // smooth: the copula is the true law, the ratio stays near 1 at every k
  assert.ok(Math.abs(v("smooth.atom.growth.raw") - 1) < 0.3, `smooth growth ${v("smooth.atom.growth.raw")}`);
  assert.ok(Math.abs(v("smooth.atom.ratio.raw.kmax") - 1) < 0.3, `smooth kmax ${v("smooth.atom.ratio.raw.kmax")}`);
  // raw only: no audited ids, columns or series, and the stage says so
  assert.equal([...published.keys()].some((id) => id.includes(".audited")), false);
  assert.ok(warnings.some((w) => /no audited curves/.test(w)));
  const out = outputs as Out;
  assert.deepEqual(out.table.columns.map((c) => c.key), ["pool", "models", "raw_k5", "raw_k10", "raw_kmax", "raw_growth"]);
  assert.deepEqual(out.table.rows.map((r) => r.pool), ["shock", "smooth"]);
  assert.equal(out.table.rows[0].raw_kmax, v("shock.atom.ratio.raw.kmax"));
  const color = out.spec.spec.layer.find((l) => l.encoding.color)!.encoding.color!;
  assert.deepEqual(color.scale.range, [ROLE_COLOURS.raw]);
  assert.match(out.svg, /^<svg/);
});

test("fig-artifact-atom: raw vs audited pools matched by auditedSuffix, one fixed colour per role", async () => {
  // The "audit" removes the atom: the audited curve of pool "sim" is the smooth law's.
  const raw = [asPool(shock, "sim"), asPool(smooth, "plain")];
  const audited = [asPool(smooth, "sim-audited")];
  const { outputs, published, warnings } = await runStage(figArtifactAtom, { params: { order: ["sim"] }, inputs: { raw, audited } });
  const v = (id: string) => published.get(id)!.value;
  assert.ok(v("sim.atom.ratio.raw.kmax") > 2.5);
  assert.ok(Math.abs(v("sim.atom.ratio.audited.kmax") - 1) < 0.3);
  assert.ok(v("sim.atom.growth.raw") > v("sim.atom.growth.audited") + 0.5);
  assert.equal(published.has("plain.atom.ratio.audited.kmax"), false);
  assert.ok(warnings.some((w) => /plain: no audited curve \(expected pool "plain-audited"\)/.test(w)));
  assert.match(published.get("sim.atom.growth.audited")!.description!, /audited verdicts/);
  const out = outputs as Out;
  const color = out.spec.spec.layer.find((l) => l.encoding.color)!.encoding.color!;
  assert.deepEqual(color.scale.range, [ROLE_COLOURS.raw, ROLE_COLOURS.audited]);
  assert.deepEqual(out.table.rows.map((r) => [r.pool, r.audited_kmax === null]), [["sim", false], ["plain", true]]);
  assert.ok(out.table.columns.some((c) => c.key === "audited_growth"));
  assert.deepEqual([...out.png.slice(1, 4)], [0x50, 0x4e, 0x47]);
  // same pool name on both sides with auditedSuffix ""
  const same = await runStage(figArtifactAtom, { params: { auditedSuffix: "" }, inputs: { raw: [asPool(shock, "sim")], audited: [asPool(smooth, "sim")] } });
  assert.ok(same.published.has("sim.atom.ratio.audited.kmax"));
  // an audited curve no raw pool claims is a wiring error, not a silent drop
  await assert.rejects(runStage(figArtifactAtom, { params: {}, inputs: { raw: [asPool(shock, "sim")], audited: [asPool(smooth, "other-audited")] } }), /match no raw pool/);
});

test("fig-artifact-atom: ratio 0 (audited pool with no all-wrong item) is drawn on a symlog axis; 0/0 is left out", async () => {
  const zeroTail = { ...smooth, pool: "sim-audited", points: smooth.points.map((x) => (x.k >= 8 ? { ...x, best: 0 } : x)) };
  const { outputs, published } = await runStage(figArtifactAtom, { params: {}, inputs: { raw: [asPool(shock, "sim")], audited: [zeroTail] } });
  assert.equal(published.get("sim.atom.ratio.audited.kmax")!.value, 0);
  assert.equal(published.has("sim.atom.growth.audited"), true); // 0 / ratio(5): growth 0
  const y = (outputs as { spec: { spec: { layer: { encoding: { y?: { scale?: { type: string } } } }[] } } }).spec.spec.layer[1].encoding.y!;
  assert.equal(y.scale!.type, "symlog");
  // both 0: no ratio, not published, said so
  const bothZero = { ...zeroTail, points: zeroTail.points.map((x) => (x.k === M ? { ...x, sfBest: 0 } : x)) };
  const r = await runStage(figArtifactAtom, { params: {}, inputs: { raw: [asPool(shock, "sim")], audited: [bothZero] } });
  assert.equal(r.published.has("sim.atom.ratio.audited.kmax"), false);
  assert.ok(r.warnings.some((w) => /sim.atom.ratio.audited.kmax not published/.test(w)));
  assert.ok(r.logs.some((l) => new RegExp(`k = ${M} \\(both-zero\\)`).test(l)));
});
