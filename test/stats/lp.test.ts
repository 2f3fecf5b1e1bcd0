import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { solveLp, type Relation } from "../../stats/lp.js";

const ref = JSON.parse(readFileSync(new URL("../reference/stats-orthant.json", import.meta.url), "utf8"));

test("matches lpSolve on textbook LPs (incl. Beale-type degenerate LP that cycles without Bland)", () => {
  for (const c of ref.lp) {
    const r = solveLp({
      sense: c.direction, objective: c.obj,
      constraints: c.A.map((a: number[], i: number) => ({ coefficients: a, relation: c.dir[i] as Relation, rhs: c.rhs[i] })),
    });
    assert.equal(r.status, "optimal", c.name);
    assert.ok(Math.abs(r.objective - c.objval) < 1e-9, `${c.name}: ${r.objective} vs ${c.objval}`);
    Array.from(r.x).forEach((v, j) => assert.ok(Math.abs(v - c.solution[j]) < 1e-9, `${c.name} x${j}`));
  }
});

test("infeasible and unbounded problems are reported", () => {
  const inf = solveLp({ sense: "min", objective: [1, 1], constraints: [
    { coefficients: [1, 1], relation: "<=", rhs: 1 }, { coefficients: [1, 1], relation: ">=", rhs: 2 }] });
  assert.equal(inf.status, "infeasible");
  const unb = solveLp({ sense: "max", objective: [1, 0], constraints: [{ coefficients: [1, -1], relation: "<=", rhs: 1 }] });
  assert.equal(unb.status, "unbounded");
});

test("negative rhs, redundant equalities, and a hand-solved min", () => {
  // min x + 2y s.t. -x - y <= -3 (x + y >= 3), x <= 2, x + y = 3 twice (redundant): opt x=2, y=1, value 4
  const r = solveLp({ sense: "min", objective: [1, 2], constraints: [
    { coefficients: [-1, -1], relation: "<=", rhs: -3 }, { coefficients: [1, 0], relation: "<=", rhs: 2 },
    { coefficients: [1, 1], relation: "=", rhs: 3 }, { coefficients: [2, 2], relation: "=", rhs: 6 }] });
  assert.equal(r.status, "optimal");
  assert.ok(Math.abs(r.objective - 4) < 1e-12 && Math.abs(r.x[0] - 2) < 1e-12 && Math.abs(r.x[1] - 1) < 1e-12);
});
