// Simulated pools with a known error law, for the copula tests.
import { normalQuantile } from "../../stats/normal.js";
import { rngStream } from "../../stats/rng.js";
import type { PoolMatrix } from "../../core/pool-matrix.js";

function gaussian(rng: { nextFloat(): number }): number {
  // Box–Muller with u1 in (0, 1]: log(0) never happens.
  const u1 = 1 - rng.nextFloat();
  const u2 = rng.nextFloat();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

export interface SimulationOptions {
  errorRates: number[];
  loadings: number[];
  items: number;
  seed: number;
  /**
   * Heavy tail: a share `hardShare` of items is "hard" and every model is wrong on it with probability
   * `hardError`, independently of the factor — a common-failure mass no Gaussian copula has.
   */
  hardShare?: number;
  hardError?: number;
}

/** Single-factor Gaussian copula errors: E_m = 1 iff lambda_m F + sqrt(1 - lambda_m^2) e_m < tau_m. */
export function simulatePool(options: SimulationOptions): PoolMatrix {
  const M = options.errorRates.length;
  const tau = options.errorRates.map((e) => normalQuantile(e));
  const rng = rngStream(options.seed, 0);
  const correct: (0 | 1)[][] = Array.from({ length: M }, () => []);
  for (let i = 0; i < options.items; i++) {
    const hard = options.hardShare !== undefined && rng.nextFloat() < options.hardShare;
    const f = gaussian(rng);
    for (let m = 0; m < M; m++) {
      const wrong = hard
        ? rng.nextFloat() < options.hardError!
        : options.loadings[m] * f + Math.sqrt(1 - options.loadings[m] ** 2) * gaussian(rng) < tau[m];
      correct[m].push(wrong ? 0 : 1);
    }
  }
  // Rows in accuracy order (ties by name), as `pool` would give them.
  const names = Array.from({ length: M }, (_, m) => `sim-${String(m).padStart(2, "0")}`);
  const acc = correct.map((row) => row.reduce<number>((a, b) => a + b, 0));
  const order = names.map((_, m) => m).sort((a, b) => acc[b] - acc[a] || (names[a] < names[b] ? -1 : 1));
  return {
    pool: "sim",
    samplePolicy: "first",
    items: Array.from({ length: options.items }, (_, i) => `i${String(i).padStart(6, "0")}`),
    models: order.map((m) => names[m]),
    providers: order.map(() => "sim"),
    correct: order.map((m) => correct[m]),
    notes: [],
  };
}
