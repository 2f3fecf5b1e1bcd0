// Coverage of the router-gain certificate by simulation. For known population laws the true gain any member-output
// policy can add over the best single model is g = (1 - beta_pop) - max_i acc_i (computed exactly, not simulated);
// the certified bound must be >= g in at least 1 - delta of simulated samples. The old point-estimate rule
// ((1 - beta lower limit) - in-sample best accuracy) must fail that where the in-sample best is biased upward.
//
// Simulation is count-level: items are drawn one at a time and only each model's correct count and the all-wrong
// count are kept (no rows, no matrices), with the seeded mulberry32 generator of stats/ (deterministic).
import { test } from "node:test";
import assert from "node:assert/strict";
import { uniformStream } from "../../stats/mulberry32.js";
import { normalCdf, normalQuantile } from "../../stats/normal.js";
import { singleFactorAllWrong } from "../../stats/single-factor-beta.js";
import { clopperPearson } from "../../stats/clopper-pearson.js";
import { certifiedMaxGainFromCounts } from "../../stats/router-certificate.js";

const DELTA = 0.05;
const REPS = 2000;

/** A population law over M models, given as tiers of equally accurate models (cheap per-item probabilities). */
interface Law {
  name: string;
  /** [accuracy, number of models] per tier. */
  tiers: [number, number][];
  /** "independent"; "shock": with probability omega every model fails, else independent; "copula": one-factor Gaussian copula. */
  kind: "independent" | "shock" | "copula";
  omega?: number;
  /** Common loading of every model on the factor (copula). */
  loading?: number;
}

const accuracies = (law: Law): number[] => law.tiers.flatMap(([a, k]) => Array<number>(k).fill(a));

/** beta_pop: the exact all-wrong probability of the law. */
function populationBeta(law: Law): number {
  const acc = accuracies(law);
  const allWrongIndependent = acc.reduce((p, a) => p * (1 - a), 1);
  if (law.kind === "independent") return allWrongIndependent;
  if (law.kind === "shock") return law.omega! + (1 - law.omega!) * allWrongIndependent;
  // Model m errs iff lambda F + sqrt(1 - lambda^2) e_m < tau_m, tau_m = Phi^-1(1 - acc_m): beta = the 1-D integral over
  // F of prod_m Phi((tau_m - lambda F) / sqrt(1 - lambda^2)) against phi (adaptive Gauss–Kronrod in log space).
  return singleFactorAllWrong(acc.map((a) => normalQuantile(1 - a)), acc.map(() => law.loading!));
}

const populationGain = (law: Law) => 1 - populationBeta(law) - Math.max(...accuracies(law));

/** REPS samples of n items: each sample's all-wrong count and largest correct count. */
function simulate(law: Law, n: number, reps: number, seed: number): { allWrong: Int32Array; best: Int32Array } {
  const u = uniformStream(seed);
  const T = law.tiers.length;
  const tierOf = Int32Array.from(law.tiers.flatMap(([, k], t) => Array<number>(k).fill(t)));
  const M = tierOf.length;
  const pRight = new Float64Array(T);
  const tau = law.tiers.map(([a]) => normalQuantile(1 - a));
  const lambda = law.loading ?? 0;
  const s = Math.sqrt(1 - lambda * lambda);
  const omega = law.kind === "shock" ? law.omega! : 0;
  if (law.kind !== "copula") law.tiers.forEach(([a], t) => (pRight[t] = a));
  const counts = new Int32Array(M);
  const allWrong = new Int32Array(reps);
  const best = new Int32Array(reps);
  for (let r = 0; r < reps; r++) {
    counts.fill(0);
    let K = 0;
    for (let i = 0; i < n; i++) {
      if (omega > 0 && u() < omega) { K++; continue; }
      if (law.kind === "copula") {
        const f = Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
        for (let t = 0; t < T; t++) pRight[t] = 1 - normalCdf((tau[t]! - lambda * f) / s);
      }
      let wrong = true;
      for (let m = 0; m < M; m++) if (u() < pRight[tierOf[m]!]!) { counts[m]!++; wrong = false; }
      if (wrong) K++;
    }
    allWrong[r] = K;
    let b = 0;
    for (let m = 0; m < M; m++) if (counts[m]! > b) b = counts[m]!;
    best[r] = b;
  }
  return { allWrong, best };
}

/** Share of samples in which a bound (a function of the counts, cached per distinct pair) is >= the true gain. */
function coverage(sim: { allWrong: Int32Array; best: Int32Array }, gain: number, bound: (K: number, best: number) => number): number {
  const cache = new Map<number, number>();
  let hits = 0;
  for (let r = 0; r < sim.allWrong.length; r++) {
    const key = sim.allWrong[r]! * 100_000 + sim.best[r]!;
    let g = cache.get(key);
    if (g === undefined) cache.set(key, (g = bound(sim.allWrong[r]!, sim.best[r]!)));
    if (g >= gain) hits++;
  }
  return hits / sim.allWrong.length;
}

const certified = (n: number, M: number) => (K: number, best: number) =>
  certifiedMaxGainFromCounts({ allWrong: K, n, bestCorrect: best, nModels: M, delta: DELTA }).maxGain;
/** The old point-estimate rule, kept here only to show it fails: (1 - one-sided CP lower limit of beta at delta) - in-sample best. */
const oldPointRule = (n: number) => (K: number, best: number) =>
  1 - clopperPearson(K, n, { level: 1 - DELTA, side: "lower" }).lower - best / n;

// Monte Carlo allowance: with REPS samples a procedure of exact coverage 1 - delta shows a coverage with standard
// error sqrt(delta (1 - delta) / REPS); we require coverage >= 1 - delta - 3 SE (normal approximation: a false alarm
// with probability Phi(-3) = 0.00135 per case when the coverage is exactly nominal). The certificate is conservative,
// so its coverage is usually far above. The runs are seeded, so the test is deterministic: the allowance only says
// which seeds would be honest failures. (About 6 s on one core: no slow tier.)
const SE = Math.sqrt((DELTA * (1 - DELTA)) / REPS);
const REQUIRED = 1 - DELTA - 3 * SE;

const spread = (M: number, lo: number, hi: number): [number, number][] =>
  Array.from({ length: M }, (_, m) => [lo + ((hi - lo) * m) / Math.max(1, M - 1), 1] as [number, number]);

const CASES: { law: Law; n: number }[] = [
  { law: { name: "independent, spread", kind: "independent", tiers: spread(3, 0.5, 0.7) }, n: 50 },
  { law: { name: "independent, equal", kind: "independent", tiers: [[0.6, 10]] }, n: 500 },
  { law: { name: "independent, spread", kind: "independent", tiers: spread(60, 0.55, 0.8) }, n: 2000 },
  { law: { name: "independent, equal (in-sample selection)", kind: "independent", tiers: [[0.7, 60]] }, n: 200 },
  { law: { name: "common shock", kind: "shock", omega: 0.05, tiers: spread(5, 0.6, 0.8) }, n: 200 },
  { law: { name: "common shock, equal", kind: "shock", omega: 0.02, tiers: [[0.7, 30]] }, n: 1000 },
  { law: { name: "common shock, near-tie", kind: "shock", omega: 0.1, tiers: [[0.75, 1], [0.74, 59]] }, n: 100 },
  { law: { name: "one-factor copula", kind: "copula", loading: 0.6, tiers: [[0.8, 1], [0.7, 1], [0.6, 1]] }, n: 2000 },
  { law: { name: "one-factor copula, equal", kind: "copula", loading: 0.5, tiers: [[0.75, 20]] }, n: 300 },
  { law: { name: "one-factor copula, two tiers", kind: "copula", loading: 0.7, tiers: [[0.7, 20], [0.6, 40]] }, n: 100 },
];

test("the one-factor copula's exact beta agrees with a Monte Carlo estimate", () => {
  const law: Law = { name: "check", kind: "copula", loading: 0.6, tiers: [[0.8, 1], [0.7, 1], [0.6, 1]] };
  const n = 400_000;
  const { allWrong } = simulate(law, n, 1, 11);
  const beta = populationBeta(law);
  const se = Math.sqrt((beta * (1 - beta)) / n);
  assert.ok(Math.abs(allWrong[0]! / n - beta) < 4 * se, `exact ${beta} vs Monte Carlo ${allWrong[0]! / n} (SE ${se})`);
  // Sanity: the factor raises beta above the independent product.
  assert.ok(beta > 0.2 * 0.3 * 0.4);
});

test("the certified bound covers the true population gain in >= 1 - delta of samples; the old point rule does not", (t) => {
  let oldFailed = false;
  CASES.forEach(({ law, n }, k) => {
    const M = accuracies(law).length;
    const gain = populationGain(law);
    const sim = simulate(law, n, REPS, 1000 + k);
    const cov = coverage(sim, gain, certified(n, M));
    const old = coverage(sim, gain, oldPointRule(n));
    t.diagnostic(`${law.name}: M = ${M}, n = ${n}, true gain ${gain.toFixed(4)}, coverage certified ${cov.toFixed(4)}, old point rule ${old.toFixed(4)}`);
    assert.ok(cov >= REQUIRED, `${law.name} (M = ${M}, n = ${n}): certified coverage ${cov} < ${REQUIRED}`);
    if (law.name.includes("in-sample selection")) {
      assert.ok(old < 1 - DELTA, `old point rule should fail coverage here, got ${old}`);
      oldFailed = true;
    }
  });
  assert.ok(oldFailed);
});
