/**
 * Small dense linear programs:  min (or max) c'x  s.t.  A_i x (<=|>=|=) b_i,  x >= 0.
 *
 * Method: two-phase tableau simplex (Dantzig; see Chvátal 1983, "Linear Programming", ch. 2–3, 8) with
 * Bland's rule (Bland 1977: entering = lowest-index improving column, leaving = lowest-index basic
 * variable among the minimum-ratio rows), which cannot cycle on degenerate problems. Phase 1 minimises
 * the sum of artificial variables; artificials still basic at zero are pivoted out (or their row is
 * dropped as redundant). Intended for the tiny LPs of this project (tens of variables), mirroring
 * what R's lpSolve::lp returns for them.
 */

export type Relation = "<=" | ">=" | "=";

export interface LinearProgram {
  sense: "min" | "max";
  objective: readonly number[];
  constraints: readonly { coefficients: readonly number[]; relation: Relation; rhs: number }[];
}

export interface LpSolution {
  status: "optimal" | "infeasible" | "unbounded";
  /** Optimal x (NaN-filled unless optimal). */
  x: Float64Array;
  /** Optimal objective value c'x (NaN unless optimal). */
  objective: number;
}

const EPS = 1e-11;

export function solveLp(lp: LinearProgram): LpSolution {
  const n = lp.objective.length;
  const rows = lp.constraints.map((c) => {
    if (c.coefficients.length !== n) throw new RangeError("solveLp: constraint length differs from objective length");
    // Make rhs >= 0 so the initial slack/artificial basis is feasible.
    return c.rhs < 0
      ? { a: c.coefficients.map((v) => -v), rel: (c.relation === "<=" ? ">=" : c.relation === ">=" ? "<=" : "=") as Relation, b: -c.rhs }
      : { a: [...c.coefficients], rel: c.relation, b: c.rhs };
  });
  const m = rows.length;
  const nSlack = rows.filter((r) => r.rel !== "=").length;
  const nArt = rows.filter((r) => r.rel !== "<=").length;
  const N = n + nSlack + nArt; // columns excluding rhs
  const W = N + 1;
  const T = new Float64Array(m * W); // tableau rows; last column = rhs
  const basis = new Int32Array(m);
  const isArt = new Uint8Array(N);
  let s = n, a = n + nSlack;
  rows.forEach((r, i) => {
    for (let j = 0; j < n; j++) T[i * W + j] = r.a[j];
    T[i * W + N] = r.b;
    if (r.rel === "<=") { T[i * W + s] = 1; basis[i] = s++; }
    else {
      if (r.rel === ">=") T[i * W + s++] = -1;
      T[i * W + a] = 1; isArt[a] = 1; basis[i] = a++;
    }
  });
  const active = new Uint8Array(m).fill(1); // rows not dropped as redundant

  const pivot = (r: number, c: number): void => {
    const pv = T[r * W + c];
    for (let j = 0; j < W; j++) T[r * W + j] /= pv;
    for (let i = 0; i < m; i++) {
      if (i === r || !active[i]) continue;
      const f = T[i * W + c];
      if (f !== 0) for (let j = 0; j < W; j++) T[i * W + j] -= f * T[r * W + j];
    }
    basis[r] = c;
  };

  /** Minimise cost'x over the current tableau with Bland's rule; columns with allowed[j]=0 never enter. */
  const simplex = (cost: Float64Array, allowed: Uint8Array): "optimal" | "unbounded" => {
    for (;;) {
      let enter = -1;
      for (let j = 0; j < N && enter < 0; j++) {
        if (!allowed[j]) continue;
        let d = cost[j];
        for (let i = 0; i < m; i++) if (active[i]) d -= cost[basis[i]] * T[i * W + j];
        if (d < -EPS) enter = j;
      }
      if (enter < 0) return "optimal";
      let leave = -1, best = Infinity;
      for (let i = 0; i < m; i++) {
        if (!active[i]) continue;
        const v = T[i * W + enter];
        if (v <= EPS) continue;
        const ratio = T[i * W + N] / v;
        if (ratio < best - EPS || (Math.abs(ratio - best) <= EPS && basis[i] < basis[leave])) { best = ratio; leave = i; }
      }
      if (leave < 0) return "unbounded";
      pivot(leave, enter);
    }
  };

  const nan = (): LpSolution => ({ status: "infeasible", x: new Float64Array(n).fill(NaN), objective: NaN });
  if (nArt > 0) {
    const c1 = new Float64Array(N);
    for (let j = 0; j < N; j++) c1[j] = isArt[j];
    simplex(c1, new Uint8Array(N).fill(1));
    let infeas = 0;
    for (let i = 0; i < m; i++) if (isArt[basis[i]]) infeas += T[i * W + N];
    if (infeas > 1e-9) return nan();
    // Drive zero-valued artificials out of the basis; a row with no usable column is redundant.
    for (let i = 0; i < m; i++) {
      if (!isArt[basis[i]]) continue;
      let c = -1;
      for (let j = 0; j < N && c < 0; j++) if (!isArt[j] && Math.abs(T[i * W + j]) > 1e-9) c = j;
      if (c >= 0) pivot(i, c);
      else active[i] = 0;
    }
  }
  const c2 = new Float64Array(N);
  for (let j = 0; j < n; j++) c2[j] = lp.sense === "max" ? -lp.objective[j] : lp.objective[j];
  const allowed = new Uint8Array(N);
  for (let j = 0; j < N; j++) allowed[j] = isArt[j] ? 0 : 1;
  if (simplex(c2, allowed) === "unbounded") return { status: "unbounded", x: new Float64Array(n).fill(NaN), objective: NaN };
  const x = new Float64Array(n);
  for (let i = 0; i < m; i++) if (active[i] && basis[i] < n) x[basis[i]] = T[i * W + N];
  let obj = 0;
  for (let j = 0; j < n; j++) obj += lp.objective[j] * x[j];
  return { status: "optimal", x, objective: obj };
}
