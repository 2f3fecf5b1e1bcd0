// The orthant probability's reported error is an honest 3.5-standard-error bound: on the paper's real pools and on
// small-probability versions of them (test/reference/orthant-pools.json: mvtnorm::pmvnorm at an error 10–20x
// smaller than asked of ours, made by orthant-pools.R), across many seeds, |ours - reference| <= ours.error in
// (nearly) every run, and the errors are not inflated either: the standardised deviations have the spread of
// standard errors. The same for the relative tolerance on the small probabilities.
// tier: slow
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { mvnOrthantProbability } from "../../stats/orthant.js";

interface Problem { name: string; dim: number; upper: number[]; corr: number[]; value: number; error: number }
const { problems } = JSON.parse(readFileSync(new URL("../reference/orthant-pools.json", import.meta.url), "utf8")) as { problems: Problem[] };

/** Runs `seeds` seeds; returns coverage and the RMS of (ours - reference) / (error / 3.5). */
function coverage(p: Problem, tolerance: { absEps: number; relEps?: number }, seeds: number) {
  const upper = Float64Array.from(p.upper), R = Float64Array.from(p.corr);
  let covered = 0, z2 = 0, converged = 0;
  for (let s = 1; s <= seeds; s++) {
    const r = mvnOrthantProbability(upper, R, { ...tolerance, seed: 1000 + s, maxPoints: 2e7 });
    const deviation = Math.abs(r.value - p.value);
    // The reference's own error is part of the comparison (it is 1–5% of ours).
    if (deviation <= r.error + p.error) covered++;
    if (r.converged) converged++;
    z2 += (deviation / (r.error / 3.5)) ** 2;
  }
  return { covered: covered / seeds, rms: Math.sqrt(z2 / seeds), converged: converged / seeds };
}

const cases: { name: string; tolerance: { absEps: number; relEps?: number }; seeds: number }[] = [
  ...["lcb", "math-l5", "gsm", "gpqa-mc"].flatMap((name) => [
    { name, tolerance: { absEps: 1e-4 }, seeds: 60 },
    { name, tolerance: { absEps: 2e-5 }, seeds: name === "gpqa-mc" ? 12 : 20 },
  ]),
  // Small probabilities: the relative tolerance decides (absEps far below the value).
  // (The reference holds them to 1e-3 of the value: a tighter one costs pmvnorm hours on one core.)
  ...["gsm-tail", "math-l5-tail"].map((name) => ({ name, tolerance: { absEps: 1e-12, relEps: 1e-2 }, seeds: 60 })),
];

test("reported errors cover the high-precision reference on the real pools (absolute and relative tolerances)", () => {
  const all: string[] = [];
  let runs = 0, coveredRuns = 0;
  for (const c of cases) {
    const p = problems.find((x) => x.name === c.name);
    assert.ok(p, `reference problem ${c.name}`);
    const tolerance = Math.max(c.tolerance.absEps, (c.tolerance.relEps ?? 0) * p!.value);
    assert.ok(p!.error < tolerance / 10, `${c.name}: reference error ${p!.error} is small against ${tolerance}`);
    const r = coverage(p!, c.tolerance, c.seeds);
    all.push(`${c.name} @ ${tolerance.toExponential(1)}: coverage ${(100 * r.covered).toFixed(0)}%, rms z ${r.rms.toFixed(2)}, converged ${(100 * r.converged).toFixed(0)}%`);
    runs += c.seeds;
    coveredRuns += r.covered * c.seeds;
    assert.equal(r.converged, 1, `${c.name}: every run converged`);
    // 3.5 standard errors cover ~99.9% under normality; allow a run or two of a small sample to miss.
    assert.ok(r.covered >= 0.9, `${c.name} @ ${tolerance}: coverage ${r.covered}`);
    // Honest, not inflated: deviations in units of the reported standard error (error / 3.5) have RMS ~1.
    assert.ok(r.rms > 0.3 && r.rms < 2, `${c.name} @ ${tolerance}: rms standardised deviation ${r.rms}`);
  }
  console.log(all.join("\n"));
  assert.ok(coveredRuns / runs >= 0.97, `overall coverage ${coveredRuns / runs}`);
});

// Few dimensions (3–8, not one-factor, mixed-sign correlations; test/reference/orthant-lowdim.json from
// orthant-lowdim.R: mvtnorm::pmvnorm at 1e-8, and the closed form in 3 dimensions). There the lattice error falls
// much faster than the Monte Carlo rate, and a rule sized by that rate once left room for only 3 shifts: errors
// 2–4x too small (coverage 95% at "3.5 SE"). Stage sizes and the minimum shift counts keep the error honest.
const lowdim = (JSON.parse(readFileSync(new URL("../reference/orthant-lowdim.json", import.meta.url), "utf8")) as { problems: Problem[] }).problems;

test("reported errors cover the reference in 3 to 8 dimensions, loose and tight tolerances", () => {
  const all: string[] = [];
  let runs = 0, coveredRuns = 0;
  for (const p of lowdim) {
    for (const [absEps, seeds] of [[1e-4, 60], [1e-6, 20]] as const) {
      assert.ok(p.error < absEps / 10, `${p.name}: reference error ${p.error}`);
      const r = coverage(p, { absEps }, seeds);
      all.push(`${p.name} @ ${absEps}: coverage ${(100 * r.covered).toFixed(0)}%, rms z ${r.rms.toFixed(2)}`);
      runs += seeds;
      coveredRuns += r.covered * seeds;
      assert.equal(r.converged, 1, `${p.name}: every run converged`);
      assert.ok(r.covered >= 0.9, `${p.name} @ ${absEps}: coverage ${r.covered}`);
      // Not too small (the defect) and not inflated; 0 when the method is exact (3 dimensions, one-factor).
      assert.ok(r.rms < 2, `${p.name} @ ${absEps}: rms standardised deviation ${r.rms}`);
    }
  }
  console.log(all.join("\n"));
  assert.ok(coveredRuns / runs >= 0.97, `overall coverage ${coveredRuns / runs}`);
});
