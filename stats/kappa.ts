/**
 * Inter-rater agreement: Cohen's kappa (two raters), Fleiss' kappa (many raters), and judge-panel
 * majority verdicts with explicit tie and "unsure" handling.
 *
 * Sources
 *  - J. Cohen (1960), "A coefficient of agreement for nominal scales", Educ. Psychol. Meas. 20, 37–46:
 *    kappa = (p_o - p_e) / (1 - p_e), p_e = sum_c p_{c.} p_{.c}; approximate SE sqrt(p_o (1-p_o) / (N (1-p_e)^2)).
 *  - J. L. Fleiss, J. Cohen & B. S. Everitt (1969), "Large sample standard errors of kappa and weighted
 *    kappa", Psychol. Bull. 72, 323–327: the variance used by R `psych::cohen.kappa` (`var.kappa`):
 *    Var = [ sum_i p_ii ((1-p_e) - (p_i. + p_.i)(1-p_o))^2 + (1-p_o)^2 sum_{i!=j} p_ij (p_.i + p_j.)^2
 *            - (p_o p_e - 2 p_e + p_o)^2 ] / (N (1-p_e)^4).
 *  - J. L. Fleiss (1971), "Measuring nominal scale agreement among many raters", Psychol. Bull. 76,
 *    378–382 (the formula of R `irr::kappam.fleiss`): P_i = (sum_j n_ij^2 - n) / (n (n-1)), P̄ = mean P_i,
 *    p_j = sum_i n_ij / (N n), P̄_e = sum_j p_j^2, kappa = (P̄ - P̄_e) / (1 - P̄_e).
 */

export interface CohenKappa {
  kappa: number;
  /** Observed agreement p_o. */
  observed: number;
  /** Chance agreement p_e from the two raters' marginals. */
  expected: number;
  /** Number of items rated by both raters (pairs with a missing rating are dropped). */
  n: number;
  /** Cohen (1960) approximate standard error sqrt(p_o(1-p_o) / (N(1-p_e)^2)). */
  se1960: number;
  /** Fleiss–Cohen–Everitt (1969) large-sample variance, as psych::cohen.kappa's var.kappa. */
  variance: number;
}

type Label = string | number;

/** Cohen's unweighted kappa for two raters' categorical labels; null/undefined entries drop the item. */
export function cohenKappa(a: readonly (Label | null | undefined)[], b: readonly (Label | null | undefined)[]): CohenKappa {
  if (a.length !== b.length) throw new RangeError(`cohenKappa: rating vectors differ in length (${a.length} vs ${b.length})`);
  const index = new Map<Label, number>();
  const pairs: [number, number][] = [];
  const idx = (v: Label): number => {
    let i = index.get(v);
    if (i === undefined) { i = index.size; index.set(v, i); }
    return i;
  };
  for (let i = 0; i < a.length; i++) {
    const x = a[i], y = b[i];
    if (x === null || x === undefined || y === null || y === undefined) continue;
    pairs.push([idx(x), idx(y)]);
  }
  const N = pairs.length, K = index.size;
  if (N === 0) throw new RangeError("cohenKappa: no item rated by both raters");
  const p = Array.from({ length: K }, () => new Float64Array(K));
  for (const [i, j] of pairs) p[i][j] += 1 / N;
  const row = new Float64Array(K), col = new Float64Array(K);
  for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) { row[i] += p[i][j]; col[j] += p[i][j]; }
  let po = 0, pe = 0;
  for (let i = 0; i < K; i++) { po += p[i][i]; pe += row[i] * col[i]; }
  // With a single category used by both raters kappa is 0/0: report NaN (psych reports NA) rather than guess.
  const kappa = (po - pe) / (1 - pe);
  let s1 = 0, s2 = 0;
  for (let i = 0; i < K; i++) {
    s1 += p[i][i] * ((1 - pe) - (row[i] + col[i]) * (1 - po)) ** 2;
    for (let j = 0; j < K; j++) if (i !== j) s2 += p[i][j] * (col[i] + row[j]) ** 2;
  }
  const variance = (s1 + (1 - po) ** 2 * s2 - (po * pe - 2 * pe + po) ** 2) / (N * (1 - pe) ** 4);
  return { kappa, observed: po, expected: pe, n: N, se1960: Math.sqrt((po * (1 - po)) / (N * (1 - pe) ** 2)), variance };
}

/**
 * Symmetric matrix of pairwise Cohen kappas between raters (columns of `ratings`, items x raters),
 * each pair over the items both rated; diagonal 1. Row-major Float64Array of size R*R.
 */
export function pairwiseCohenMatrix(ratings: readonly (readonly (Label | null | undefined)[])[]): Float64Array {
  const R = ratings.length === 0 ? 0 : ratings[0].length;
  const out = new Float64Array(R * R);
  const column = (r: number) => ratings.map((row) => row[r]);
  for (let i = 0; i < R; i++) {
    out[i * R + i] = 1;
    for (let j = i + 1; j < R; j++) out[i * R + j] = out[j * R + i] = cohenKappa(column(i), column(j)).kappa;
  }
  return out;
}

export interface FleissKappa {
  kappa: number;
  /** Mean per-item agreement P̄. */
  observed: number;
  /** Chance agreement P̄_e = sum_j p_j^2. */
  expected: number;
  /** Category proportions p_j. */
  categoryProportions: number[];
  items: number;
  ratersPerItem: number;
}

/**
 * Fleiss' kappa. Input either `counts` (items x categories: how many raters put item i in category j,
 * the same number n of raters per item) or `ratings` (items x raters category labels, complete).
 */
export function fleissKappa(input: { counts: readonly (readonly number[])[] } | { ratings: readonly (readonly Label[])[] }): FleissKappa {
  let counts: number[][];
  if ("counts" in input) {
    counts = input.counts.map((r) => [...r]);
  } else {
    const cats = [...new Set(input.ratings.flat())].sort((x, y) => String(x).localeCompare(String(y)));
    const at = new Map(cats.map((c, j) => [c, j]));
    counts = input.ratings.map((row) => {
      const c = new Array(cats.length).fill(0);
      for (const v of row) c[at.get(v)!]++;
      return c;
    });
  }
  const N = counts.length;
  if (N === 0) throw new RangeError("fleissKappa: no items");
  const n = counts[0].reduce((s, v) => s + v, 0);
  if (n < 2) throw new RangeError("fleissKappa: need at least 2 raters per item");
  const k = counts[0].length;
  const colSum = new Array(k).fill(0);
  let sumP = 0;
  for (const row of counts) {
    if (row.length !== k || row.reduce((s, v) => s + v, 0) !== n) throw new RangeError("fleissKappa: every item needs the same number of ratings");
    let sq = 0;
    row.forEach((v, j) => { sq += v * v; colSum[j] += v; });
    sumP += (sq - n) / (n * (n - 1));
  }
  const pj = colSum.map((c) => c / (N * n));
  const Pbar = sumP / N;
  const Pe = pj.reduce((s, p) => s + p * p, 0);
  return { kappa: (Pbar - Pe) / (1 - Pe), observed: Pbar, expected: Pe, categoryProportions: pj, items: N, ratersPerItem: n };
}

export interface PanelOptions {
  /** Verdict when right and wrong votes tie: "wrong" (0), "right" (1) or "null" (undecided). */
  tie: "wrong" | "right" | "null";
  /** Minimum number of non-null votes for a verdict; fewer gives null. Default 1. */
  minVotes?: number;
}

/**
 * Majority verdict of a judge panel for one item. Votes are 1 (right), 0 (wrong) or null ("unsure" /
 * missing): null votes abstain — they neither count for a side nor break ties. All-null gives null.
 */
export function panelMajority(verdicts: readonly (0 | 1 | null)[], options: PanelOptions): 0 | 1 | null {
  let right = 0, wrong = 0;
  for (const v of verdicts) {
    if (v === 1) right++;
    else if (v === 0) wrong++;
  }
  if (right + wrong < (options.minVotes ?? 1)) return null;
  if (right > wrong) return 1;
  if (wrong > right) return 0;
  return options.tie === "right" ? 1 : options.tie === "wrong" ? 0 : null;
}
