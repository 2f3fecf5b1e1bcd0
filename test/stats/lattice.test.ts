import assert from "node:assert/strict";
import { test } from "node:test";
import { cbcLattice, latticeCriterion, primitiveRoot } from "../../scripts/lattice-cbc.js";
import { LATTICE_RULES } from "../../stats/lattice-rules.js";
import { LATTICE_MAX_DIM, latticeLadder } from "../../scripts/build-lattice.js";

test("fast CBC (FFT over the multiplicative group): each component minimises the criterion given the previous ones", () => {
  for (const n of [31, 101, 211]) {
    const z = Array.from(cbcLattice(n, 6));
    for (let j = 0; j < z.length; j++) {
      let best = Infinity;
      for (let c = 1; c < n; c++) best = Math.min(best, latticeCriterion(n, [...z.slice(0, j), c]));
      const got = latticeCriterion(n, z.slice(0, j + 1));
      assert.ok(Math.abs(got - best) <= 1e-9 * best, `n=${n}, component ${j + 1}: ${got} vs the brute-force minimum ${best}`);
    }
  }
  assert.equal(primitiveRoot(31), 3);
  assert.equal(primitiveRoot(101), 2);
});

test("a CBC rule beats random generating vectors by a wide margin", () => {
  const n = 1009, D = 20;
  const cbc = latticeCriterion(n, cbcLattice(n, D));
  let worse = 0;
  for (let t = 0; t < 10; t++) {
    const z = Array.from({ length: D }, (_, j) => 1 + ((t * 7919 + j * 104729) % (n - 1)));
    if (latticeCriterion(n, z) > 2 * cbc) worse++;
  }
  assert.equal(worse, 10);
});

test("the committed lattice table is the ladder of scripts/build-lattice.ts, and its first rules recompute exactly", () => {
  assert.deepEqual(LATTICE_RULES.map(([n]) => n), latticeLadder());
  for (const [n, z] of LATTICE_RULES.filter(([n]) => n < 3000)) {
    assert.equal(z.length, LATTICE_MAX_DIM);
    assert.deepEqual(Array.from(cbcLattice(n, LATTICE_MAX_DIM)), z, `n = ${n}`);
  }
});
