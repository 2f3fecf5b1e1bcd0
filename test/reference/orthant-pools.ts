/**
 * Writes test/reference/orthant-pools-input.json: the full-copula orthant problems of the paper's four real pools
 * (thresholds and repaired tetrachoric matrix, as the copula stage integrates them; bench/pools.ts builds the pools
 * from the data mirror) and two of them with lowered thresholds, whose probabilities are small (for the relative error). Then
 * `Rscript test/reference/orthant-pools.R` adds mvtnorm::pmvnorm's high-precision values (orthant-pools.json).
 * Both files are committed; the tests (test/stats/orthant-coverage.test.ts) need neither the mirror nor R.
 * Run from the project root: node --import tsx test/reference/orthant-pools.ts
 */
import { writeFile } from "node:fs/promises";
import { copulaProblem, paperPools, type OrthantProblem } from "../../bench/pools.js";

const problems: OrthantProblem[] = [];
const pools = await paperPools();
if (pools.length === 0) throw new Error("no data mirror (../shared/data)");
for (const p of pools) problems.push(copulaProblem(p.name, p.correct));
// Small probabilities (for the relative error, which the underpricing ratio needs): the same matrices with every
// threshold lowered, as a pool of stronger models would have.
for (const [name, shift] of [["gsm", 1], ["math-l5", 1.5]] as const) {
  const full = problems.find((x) => x.name === name)!;
  problems.push({ ...full, name: `${name}-tail`, upper: full.upper.map((u) => u - shift) });
}
await writeFile(new URL("./orthant-pools-input.json", import.meta.url), `{"problems": [\n${problems.map((p) => JSON.stringify(p)).join(",\n")}\n]}\n`);
console.log(problems.map((p) => `${p.name} (${p.dim})`).join(", "));
