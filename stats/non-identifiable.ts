/**
 * "rho does not identify beta": two joint laws of three models' error indicators with identical
 * marginal error rates and identical pairwise correlations (phi coefficients of the error indicators)
 * but different all-wrong rates beta = P(E1 = E2 = E3 = 1).
 *
 * The law is the vector p of 8 cell probabilities, cell index 4 E1 + 2 E2 + E3 (patterns "000".."111",
 * model 1 the leading bit). Fixing the marginals e_m and the pairwise both-wrong rates
 * b_mn = e_m e_n + phi_mn sqrt(e_m(1-e_m) e_n(1-e_n))  (the phi coefficient of two binary variables)
 * gives 7 linear equations; with p >= 0 the extreme values of p_111 solve the LPs min/max p_111 (solved
 * with stats/lp.ts). Closed form (allWrongRange): with t = p_111 the other cells are
 *   p110 = b12 - t, p101 = b13 - t, p011 = b23 - t,
 *   p100 = e1 - b12 - b13 + t, p010 = e2 - b12 - b23 + t, p001 = e3 - b13 - b23 + t,
 *   p000 = 1 - e1 - e2 - e3 + b12 + b13 + b23 - t,
 * so beta ranges over [max(0, b12+b13-e1, b12+b23-e2, b13+b23-e3), min(b12, b13, b23, p000 at t=0)]
 * (the Fréchet-type bounds for a 2x2x2 table with fixed two-way margins).
 */
import { solveLp } from "./lp.js";

export const CELL_PATTERNS = ["000", "001", "010", "011", "100", "101", "110", "111"] as const;

type Triple = readonly [number, number, number];

export interface NonIdentifiableInput {
  errorRates: Triple;
  /** A common pairwise phi, or per pair [phi12, phi13, phi23]. Give this or bothWrong. */
  phi?: number | Triple;
  /** Pairwise both-wrong rates [b12, b13, b23]. */
  bothWrong?: Triple;
}

export interface LawSummary {
  errorRates: [number, number, number];
  bothWrong: [number, number, number];
  phi: [number, number, number];
  allWrong: number;
}

export interface NonIdentifiablePair {
  /** Cell probabilities (index 4E1+2E2+E3) of the law with the smallest all-wrong mass. */
  minLaw: Float64Array;
  /** ... and with the largest. */
  maxLaw: Float64Array;
  betaMin: number;
  betaMax: number;
  /** The shared constraints: marginals, both-wrong rates and phis (recomputed from minLaw). */
  shared: LawSummary;
}

const PAIRS = [[0, 1], [0, 2], [1, 2]] as const;
const bit = (cell: number, m: number) => (cell >> (2 - m)) & 1;

/** Pairwise both-wrong rates implied by error rates and phi coefficients. */
export function bothWrongFromPhi(errorRates: Triple, phi: number | Triple): [number, number, number] {
  const ph = typeof phi === "number" ? [phi, phi, phi] : phi;
  return PAIRS.map(([m, n], k) => {
    const [a, b] = [errorRates[m], errorRates[n]];
    return a * b + ph[k] * Math.sqrt(a * (1 - a) * b * (1 - b));
  }) as [number, number, number];
}

/** Marginals, both-wrong rates, phis and all-wrong rate of an 8-cell law. */
export function summarizeLaw(law: ArrayLike<number>): LawSummary {
  const e = [0, 1, 2].map((m) => { let s = 0; for (let c = 0; c < 8; c++) if (bit(c, m)) s += law[c]; return s; }) as [number, number, number];
  const b = PAIRS.map(([m, n]) => { let s = 0; for (let c = 0; c < 8; c++) if (bit(c, m) && bit(c, n)) s += law[c]; return s; }) as [number, number, number];
  const phi = PAIRS.map(([m, n], k) => (b[k] - e[m] * e[n]) / Math.sqrt(e[m] * (1 - e[m]) * e[n] * (1 - e[n]))) as [number, number, number];
  return { errorRates: e, bothWrong: b, phi, allWrong: law[7] };
}

/** Closed-form range [lo, hi] of P(111) given margins (see module comment); lo > hi means infeasible. */
export function allWrongRange(errorRates: Triple, bothWrong: Triple): [number, number] {
  const [e1, e2, e3] = errorRates, [b12, b13, b23] = bothWrong;
  const lo = Math.max(0, b12 + b13 - e1, b12 + b23 - e2, b13 + b23 - e3);
  const hi = Math.min(b12, b13, b23, 1 - e1 - e2 - e3 + b12 + b13 + b23);
  return [lo, hi];
}

/** The two extreme laws (LP over the 8 cells, objective -/+ p111). Throws if the margins are incompatible. */
export function nonIdentifiablePair(input: NonIdentifiableInput): NonIdentifiablePair {
  const e = input.errorRates;
  const b = input.bothWrong ?? (input.phi !== undefined ? bothWrongFromPhi(e, input.phi) : undefined);
  if (!b) throw new RangeError("nonIdentifiablePair: give phi or bothWrong");
  const row = (f: (c: number) => boolean) => Array.from({ length: 8 }, (_, c) => (f(c) ? 1 : 0));
  const constraints = [
    { coefficients: row(() => true), relation: "=" as const, rhs: 1 },
    ...[0, 1, 2].map((m) => ({ coefficients: row((c) => bit(c, m) === 1), relation: "=" as const, rhs: e[m] })),
    ...PAIRS.map(([m, n], k) => ({ coefficients: row((c) => bit(c, m) === 1 && bit(c, n) === 1), relation: "=" as const, rhs: b[k] })),
  ];
  const objective = row((c) => c === 7);
  const lo = solveLp({ sense: "min", objective, constraints });
  const hi = solveLp({ sense: "max", objective, constraints });
  if (lo.status !== "optimal" || hi.status !== "optimal") throw new RangeError("nonIdentifiablePair: no law has these margins");
  // Clean round-off negatives of size ~1e-17 so the laws are proper distributions.
  const clean = (x: Float64Array) => x.map((v) => (Math.abs(v) < 1e-15 ? 0 : v));
  const minLaw = clean(lo.x), maxLaw = clean(hi.x);
  return { minLaw, maxLaw, betaMin: minLaw[7], betaMax: maxLaw[7], shared: summarizeLaw(minLaw) };
}
