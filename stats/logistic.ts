// L2-regularised logistic regression (binary and multinomial) on sparse features, by L-BFGS. Pure numerics.
//
// Objective (binary): (1/n) sum_i log(1 + exp(-s_i (b + x_i . w))) + (lambda / 2) ||w||^2, s_i = 2 y_i - 1; the
// intercept b is not penalised (scikit-learn's LogisticRegression with C = 1 / (n lambda), penalty "l2").
// Multinomial: (1/n) sum_i -log softmax_k(b_k + x_i . w_k)[y_i] + (lambda / 2) sum_k ||w_k||^2.
// L-BFGS: Nocedal & Wright (2006), "Numerical Optimization", Algorithm 7.4 (two-loop recursion) with a
// backtracking Armijo line search; both objectives are strictly convex for lambda > 0, so it converges to the
// unique minimum. Deterministic: no randomness, fixed iteration order.

/** Compressed sparse rows: row i holds columns col[rowPtr[i]..rowPtr[i+1]) with values val[...]. */
export interface SparseRows {
  rows: number;
  cols: number;
  rowPtr: Int32Array;
  col: Int32Array;
  val: Float64Array;
}

/** Sparse rows from dense rows (tests, small problems). */
export function sparseFromDense(dense: readonly (readonly number[])[]): SparseRows {
  const rows = dense.length, cols = dense[0]?.length ?? 0;
  const rowPtr = new Int32Array(rows + 1), col: number[] = [], val: number[] = [];
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) if (dense[i]![j] !== 0) { col.push(j); val.push(dense[i]![j]!); }
    rowPtr[i + 1] = col.length;
  }
  return { rows, cols, rowPtr, col: Int32Array.from(col), val: Float64Array.from(val) };
}

/** The given rows of a sparse matrix, in that order. */
export function selectRows(X: SparseRows, rows: readonly number[]): SparseRows {
  const rowPtr = new Int32Array(rows.length + 1);
  let nnz = 0;
  rows.forEach((r, k) => { nnz += X.rowPtr[r + 1]! - X.rowPtr[r]!; rowPtr[k + 1] = nnz; });
  const col = new Int32Array(nnz), val = new Float64Array(nnz);
  rows.forEach((r, k) => {
    const a = X.rowPtr[r]!, b = X.rowPtr[r + 1]!;
    col.set(X.col.subarray(a, b), rowPtr[k]!);
    val.set(X.val.subarray(a, b), rowPtr[k]!);
  });
  return { rows: rows.length, cols: X.cols, rowPtr, col, val };
}

export interface LbfgsOptions {
  maxIterations?: number;
  /** Stop when the gradient's infinity norm falls below this. */
  gradientTolerance?: number;
  /** History size m. */
  memory?: number;
}

/** Minimises a smooth convex f by L-BFGS; `fg(x, grad)` returns f(x) and writes its gradient into `grad`. */
export function lbfgs(fg: (x: Float64Array, grad: Float64Array) => number, x0: Float64Array, options: LbfgsOptions = {}): { x: Float64Array; value: number; iterations: number; converged: boolean } {
  const maxIt = options.maxIterations ?? 500, tol = options.gradientTolerance ?? 1e-8, m = options.memory ?? 10;
  const n = x0.length;
  const x = Float64Array.from(x0), g = new Float64Array(n);
  let f = fg(x, g);
  const S: Float64Array[] = [], Y: Float64Array[] = [], rho: number[] = [];
  const d = new Float64Array(n), xNew = new Float64Array(n), gNew = new Float64Array(n), alpha = new Array<number>(m).fill(0);
  const dot = (a: Float64Array, b: Float64Array) => { let s = 0; for (let i = 0; i < n; i++) s += a[i]! * b[i]!; return s; };
  const infNorm = (a: Float64Array) => { let s = 0; for (let i = 0; i < n; i++) s = Math.max(s, Math.abs(a[i]!)); return s; };
  let it = 0;
  for (; it < maxIt; it++) {
    if (infNorm(g) < tol) return { x, value: f, iterations: it, converged: true };
    // Two-loop recursion: d = -H g.
    for (let i = 0; i < n; i++) d[i] = -g[i]!;
    for (let k = S.length - 1; k >= 0; k--) { alpha[k] = rho[k]! * dot(S[k]!, d); for (let i = 0; i < n; i++) d[i]! -= alpha[k]! * Y[k]![i]!; }
    const gamma = S.length ? dot(S[S.length - 1]!, Y[Y.length - 1]!) / dot(Y[Y.length - 1]!, Y[Y.length - 1]!) : 1 / Math.max(1, infNorm(g));
    for (let i = 0; i < n; i++) d[i]! *= gamma;
    for (let k = 0; k < S.length; k++) { const beta = rho[k]! * dot(Y[k]!, d); for (let i = 0; i < n; i++) d[i]! += (alpha[k]! - beta) * S[k]![i]!; }
    let slope = dot(g, d);
    if (!(slope < 0)) { for (let i = 0; i < n; i++) d[i] = -g[i]!; slope = dot(g, d); S.length = 0; Y.length = 0; rho.length = 0; }
    // Backtracking Armijo line search from step 1.
    let step = 1, fNew = Infinity;
    for (let ls = 0; ls < 60; ls++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i]! + step * d[i]!;
      fNew = fg(xNew, gNew);
      if (fNew <= f + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    if (!(fNew <= f)) return { x, value: f, iterations: it, converged: false };
    const s = new Float64Array(n), y = new Float64Array(n);
    for (let i = 0; i < n; i++) { s[i] = xNew[i]! - x[i]!; y[i] = gNew[i]! - g[i]!; }
    const sy = dot(s, y);
    if (sy > 1e-12) {
      if (S.length === m) { S.shift(); Y.shift(); rho.shift(); }
      S.push(s); Y.push(y); rho.push(1 / sy);
    }
    x.set(xNew); g.set(gNew);
    const done = Math.abs(f - fNew) <= 1e-15 * Math.max(1, Math.abs(f));
    f = fNew;
    if (done) return { x, value: f, iterations: it + 1, converged: infNorm(g) < tol * 100 };
  }
  return { x, value: f, iterations: it, converged: infNorm(g) < tol };
}

const log1pExp = (z: number) => (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z)));
const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

export interface BinaryLogisticModel { intercept: number; weights: Float64Array }

/** Binary L2 logistic regression; y[i] in {0, 1}. */
export function fitLogistic(X: SparseRows, y: ArrayLike<number>, lambda: number, options: LbfgsOptions = {}): BinaryLogisticModel & { converged: boolean; iterations: number } {
  const n = X.rows, p = X.cols;
  if (n === 0) throw new RangeError("fitLogistic: no rows");
  const z = new Float64Array(n);
  const fg = (theta: Float64Array, grad: Float64Array) => {
    grad.fill(0);
    let f = 0;
    for (let i = 0; i < n; i++) {
      let s = theta[p]!;
      for (let k = X.rowPtr[i]!; k < X.rowPtr[i + 1]!; k++) s += X.val[k]! * theta[X.col[k]!]!;
      z[i] = s;
      const sign = y[i] ? 1 : -1;
      f += log1pExp(-sign * s);
      const r = sigmoid(s) - (y[i] ? 1 : 0);
      for (let k = X.rowPtr[i]!; k < X.rowPtr[i + 1]!; k++) grad[X.col[k]!]! += r * X.val[k]!;
      grad[p]! += r;
    }
    f /= n;
    let pen = 0;
    for (let j = 0; j < p; j++) { grad[j] = grad[j]! / n + lambda * theta[j]!; pen += theta[j]! * theta[j]!; }
    grad[p] = grad[p]! / n;
    return f + 0.5 * lambda * pen;
  };
  const theta0 = new Float64Array(p + 1);
  const mean = Array.from(y).reduce((a, b) => a + b, 0) / n;
  theta0[p] = Math.log(Math.max(1e-6, mean) / Math.max(1e-6, 1 - mean));
  const r = lbfgs(fg, theta0, options);
  return { intercept: r.x[p]!, weights: r.x.slice(0, p), converged: r.converged, iterations: r.iterations };
}

/** P(y = 1 | x) for every row. */
export function predictLogistic(model: BinaryLogisticModel, X: SparseRows): Float64Array {
  const out = new Float64Array(X.rows);
  for (let i = 0; i < X.rows; i++) {
    let s = model.intercept;
    for (let k = X.rowPtr[i]!; k < X.rowPtr[i + 1]!; k++) s += X.val[k]! * model.weights[X.col[k]!]!;
    out[i] = sigmoid(s);
  }
  return out;
}

export interface SoftmaxModel { classes: number; intercepts: Float64Array; /** classes x cols, row-major. */ weights: Float64Array }

/** Multinomial L2 logistic regression; y[i] in 0..classes-1. */
export function fitSoftmax(X: SparseRows, y: ArrayLike<number>, classes: number, lambda: number, options: LbfgsOptions = {}): SoftmaxModel & { converged: boolean; iterations: number } {
  const n = X.rows, p = X.cols, K = classes;
  const size = K * p + K;
  const scores = new Float64Array(K);
  const fg = (theta: Float64Array, grad: Float64Array) => {
    grad.fill(0);
    let f = 0;
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < K; c++) {
        let s = theta[K * p + c]!;
        const base = c * p;
        for (let k = X.rowPtr[i]!; k < X.rowPtr[i + 1]!; k++) s += X.val[k]! * theta[base + X.col[k]!]!;
        scores[c] = s;
      }
      let mx = -Infinity;
      for (let c = 0; c < K; c++) mx = Math.max(mx, scores[c]!);
      let z = 0;
      for (let c = 0; c < K; c++) z += Math.exp(scores[c]! - mx);
      const lz = mx + Math.log(z);
      f += lz - scores[y[i]!]!;
      for (let c = 0; c < K; c++) {
        const r = Math.exp(scores[c]! - lz) - (c === y[i] ? 1 : 0);
        const base = c * p;
        for (let k = X.rowPtr[i]!; k < X.rowPtr[i + 1]!; k++) grad[base + X.col[k]!]! += r * X.val[k]!;
        grad[K * p + c]! += r;
      }
    }
    f /= n;
    let pen = 0;
    for (let j = 0; j < K * p; j++) { grad[j] = grad[j]! / n + lambda * theta[j]!; pen += theta[j]! * theta[j]!; }
    for (let c = 0; c < K; c++) grad[K * p + c] = grad[K * p + c]! / n;
    return f + 0.5 * lambda * pen;
  };
  const theta0 = new Float64Array(size);
  const counts = new Float64Array(K);
  for (let i = 0; i < n; i++) counts[y[i]!]!++;
  for (let c = 0; c < K; c++) theta0[K * p + c] = Math.log((counts[c]! + 0.5) / (n + 0.5 * K));
  const r = lbfgs(fg, theta0, options);
  return { classes: K, intercepts: r.x.slice(K * p), weights: r.x.slice(0, K * p), converged: r.converged, iterations: r.iterations };
}

/** Class scores (log-odds up to a constant) for every row: rows x classes, row-major. */
export function softmaxScores(model: SoftmaxModel, X: SparseRows): Float64Array {
  const K = model.classes, p = X.cols;
  const out = new Float64Array(X.rows * K);
  for (let i = 0; i < X.rows; i++) for (let c = 0; c < K; c++) {
    let s = model.intercepts[c]!;
    for (let k = X.rowPtr[i]!; k < X.rowPtr[i + 1]!; k++) s += X.val[k]! * model.weights[c * p + X.col[k]!]!;
    out[i * K + c] = s;
  }
  return out;
}
