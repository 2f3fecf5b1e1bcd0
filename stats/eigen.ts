// Symmetric eigendecomposition: Householder reduction to tridiagonal form + implicit QL with shifts.
// symmetricEigen (all vectors; factor analysis starts) is a port of EISPACK tred2/tql2 as given in JAMA
// (Hicks, Moler, et al., "JAMA: A Java Matrix Package", EigenvalueDecomposition), after Wilkinson & Reinsch
// (1971) Handbook for Automatic Computation II. symmetricEigenvalues and symmetricEigenTail (all values, the
// vectors of the smallest few: nearestCorrelation's projection, ~10 per bootstrap replicate) run the same
// reduction and QL in WebAssembly (stats/wasm/eigen-kernel.as.ts, ~3x faster than V8 on these loops) and
// find the wanted vectors by inverse iteration on the tridiagonal. Values agree with symmetricEigen's to
// rounding (test/stats/copula-fast-paths.test.ts), not bit for bit: the two reductions order their sums differently.
import { eigenWorkspace, type EigenWorkspace } from "./wasm/eigen-kernel.js";

export interface SymmetricEigen {
  /** Eigenvalues in decreasing order (as R's eigen(symmetric = TRUE)). */
  values: Float64Array;
  /** Eigenvectors as columns of an n x n row-major matrix: vector j is vectors[i * n + j], i = 0..n-1. */
  vectors: Float64Array;
}

/** Eigenvalues and orthonormal eigenvectors of a symmetric n x n row-major matrix (only read, not modified). */
export function symmetricEigen(a: ArrayLike<number>, n: number): SymmetricEigen {
  if (a.length !== n * n) throw new RangeError(`matrix has ${a.length} entries, expected ${n * n}`);
  // W is JAMA's V transposed (W[c * n + r] = V[r][c]): the same arithmetic in the same order, so results are
  // bit-identical to the textbook layout, but the O(n^3) inner loops of tred2 run along contiguous memory,
  // and W already holds the vectors as rows, the layout tql2 rotates.
  const W = transposedCopy(a, n);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  if (n === 0) return { values: d, vectors: W };
  tred2(W, d, e, n);
  tql2(W, d, e, n);
  // Sort decreasing, permuting columns.
  const order = decreasingOrder(d);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const src = order[j]!;
    values[j] = d[src]!;
    const row = src * n;
    for (let i = 0; i < n; i++) vectors[i * n + j] = W[row + i]!;
  }
  return { values, vectors };
}

/** Eigenvalues only, decreasing: the WebAssembly reduction and QL (see the file header). */
export function symmetricEigenvalues(a: ArrayLike<number>, n: number): Float64Array {
  if (a.length !== n * n) throw new RangeError(`matrix has ${a.length} entries, expected ${n * n}`);
  if (n === 0) return new Float64Array(0);
  return tridiagonalEigenvalues(reduceToTridiagonal(a, n));
}

/**
 * Copies the lower triangle of `a` (the only triangle the kernel's reduction reads) into the workspace and
 * reduces it: d, e = the tridiagonal T; S, hk = the reflectors.
 */
function reduceToTridiagonal(a: ArrayLike<number>, n: number): EigenWorkspace {
  const ws = eigenWorkspace(n);
  const S = ws.S;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) S[i * n + j] = a[i * n + j]!;
  }
  ws.kernel.tridiagonalize(n, ws.at.S, ws.at.d, ws.at.e, ws.at.hk, ws.at.p);
  return ws;
}

/** T's eigenvalues, decreasing; T itself (diag td, off-diagonal te, te[i] coupling rows i-1 and i) is kept in ws. */
function tridiagonalEigenvalues(ws: EigenWorkspace): Float64Array {
  ws.td.set(ws.d);
  ws.te.set(ws.e);
  if (ws.kernel.qlEigenvalues(ws.n, ws.at.d, ws.at.e) < 0) throw new Error("symmetricEigen: QL iteration did not converge");
  return ws.d.slice().sort().reverse();
}

function transposedCopy(a: ArrayLike<number>, n: number): Float64Array {
  const W = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) W[j * n + i] = a[i * n + j]!;
  return W;
}

function decreasingOrder(d: Float64Array): number[] {
  return Array.from({ length: d.length }, (_, i) => i).sort((x, y) => d[y]! - d[x]!);
}

/** Householder tridiagonalisation (JAMA tred2) on W = V^T, accumulating the transformations in W. */
function tred2(W: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) d[j] = W[j * n + n - 1]!;
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]!);
    if (scale === 0) {
      e[i] = d[i - 1]!;
      for (let j = 0; j < i; j++) {
        d[j] = W[j * n + i - 1]!;
        W[j * n + i] = 0;
        W[i * n + j] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k]! /= scale;
        h += d[k]! * d[k]!;
      }
      let f = d[i - 1]!;
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      // The fused symmetric mat-vec (row j's dot product and its column's update in one pass): the dot runs
      // on four partial sums, so the loop is not one long chain of dependent additions.
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        W[i * n + j] = f;
        const wj = j * n;
        let g0 = 0, g1 = 0, g2 = 0, g3 = 0;
        let k = j + 1;
        for (; k + 3 < i; k += 4) {
          const w0 = W[wj + k]!, w1 = W[wj + k + 1]!, w2 = W[wj + k + 2]!, w3 = W[wj + k + 3]!;
          g0 += w0 * d[k]!;
          g1 += w1 * d[k + 1]!;
          g2 += w2 * d[k + 2]!;
          g3 += w3 * d[k + 3]!;
          e[k]! += w0 * f;
          e[k + 1]! += w1 * f;
          e[k + 2]! += w2 * f;
          e[k + 3]! += w3 * f;
        }
        for (; k < i; k++) {
          const w = W[wj + k]!;
          g0 += w * d[k]!;
          e[k]! += w * f;
        }
        e[j] = e[j]! + W[wj + j]! * f + (g0 + g1 + (g2 + g3));
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j]! /= h;
        f += e[j]! * d[j]!;
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j]! -= hh * d[j]!;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        g = e[j]!;
        const wj = j * n;
        for (let k = j; k <= i - 1; k++) W[wj + k]! -= f * e[k]! + g * d[k]!;
        d[j] = W[wj + i - 1]!;
        W[wj + i] = 0;
      }
    }
    d[i] = h;
  }
  // Accumulate the transformations.
  for (let i = 0; i < n - 1; i++) {
    W[i * n + n - 1] = W[i * n + i]!;
    W[i * n + i] = 1;
    const h = d[i + 1]!;
    const wi1 = (i + 1) * n;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = W[wi1 + k]! / h;
      for (let j = 0; j <= i; j++) {
        const wj = j * n;
        let g = 0;
        for (let k = 0; k <= i; k++) g += W[wi1 + k]! * W[wj + k]!;
        for (let k = 0; k <= i; k++) W[wj + k]! -= g * d[k]!;
      }
    }
    for (let k = 0; k <= i; k++) W[wi1 + k] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = W[j * n + n - 1]!;
    W[j * n + n - 1] = 0;
  }
  W[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

/** Implicit QL on the tridiagonal (d, e); Vt holds the accumulated eigenvectors as ROWS (null: values only). */
function tql2(Vt: Float64Array | null, d: Float64Array, e: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!;
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]!) + Math.abs(e[l]!));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]!) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 200) throw new Error("symmetricEigen: QL iteration did not converge");
        let g = d[l]!;
        let p = (d[l + 1]! - g) / (2 * e[l]!);
        let r = hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l]! / (p + r);
        d[l + 1] = e[l]! * (p + r);
        const dl1 = d[l + 1]!;
        let h = g - d[l]!;
        for (let i = l + 2; i < n; i++) d[i]! -= h;
        f += h;
        p = d[m]!;
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1]!;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i]!;
          h = c * p;
          r = rotationNorm(p, e[i]!);
          e[i + 1] = s * r;
          const rInv = 1 / r;
          s = e[i]! * rInv;
          c = p * rInv;
          p = c * d[i]! - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]!);
          if (Vt === null) continue;
          const r0 = i * n;
          const r1 = r0 + n;
          for (let k = 0; k < n; k++) {
            h = Vt[r1 + k]!;
            Vt[r1 + k] = s * Vt[r0 + k]! + c * h;
            Vt[r0 + k] = c * Vt[r0 + k]! - s * h;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]!) > eps * tst1);
    }
    d[l] = d[l]! + f;
    e[l] = 0;
  }
}

export interface SymmetricEigenTail {
  /** All eigenvalues, decreasing (bit-identical to symmetricEigen's). */
  values: Float64Array;
  /** Number p of trailing (smallest) eigenvalues whose vectors were computed. */
  count: number;
  /** n x p row-major: column j is the unit eigenvector of values[n - p + j]. */
  vectors: Float64Array;
}

/**
 * All eigenvalues and the eigenvectors of only the p smallest, p = count(values) — for projections that
 * touch a few eigenpairs (nearestCorrelation's PSD step removes the non-positive part: X = A - Q_- D_- Q_-').
 * All in the WebAssembly kernel: Householder reduction without accumulation + QL eigenvalues (as
 * symmetricEigenvalues), then per wanted eigenvalue inverse iteration on the tridiagonal T (LU with partial
 * pivoting, LAPACK dgttrf/dgttrs), with Gram–Schmidt against the vectors of its cluster (eigenvalues chained
 * within 1e-4 ||T||_1; LAPACK dstein chains at 1e-3, see tailVectors), and the Householder back-transformation:
 * O(2 n^3 + 4 p n^2) flops in streaming loops, against ~9 n^3 for symmetricEigen. `count` is called once, before any vector is computed,
 * and must not call back into this module (the workspace is shared).
 */
export function symmetricEigenTail(a: ArrayLike<number>, n: number, count: (values: Float64Array) => number): SymmetricEigenTail {
  if (a.length !== n * n) throw new RangeError(`matrix has ${a.length} entries, expected ${n * n}`);
  if (n === 0) return { values: new Float64Array(0), count: 0, vectors: new Float64Array(0) };
  const { ws, values, p } = tailVectors(a, n, (v) => ({ count: count(v), floor: 0 }));
  const vectors = new Float64Array(n * p);
  for (let j = 0; j < p; j++) for (let i = 0; i < n; i++) vectors[i * p + j] = ws.Z[j * n + i]!;
  return { values, count: p, vectors };
}

export interface EigenTailReplacement {
  /** A + sum_j (floor - lambda_j) v_j v_j' over the p smallest eigenpairs: symmetric n x n row-major. */
  matrix: Float64Array;
  /** All eigenvalues of A, decreasing. */
  values: Float64Array;
  count: number;
  /**
   * With `leverage: true`: the diagonal of V V' for the p replaced eigenvectors V (row i's squared norm, in [0, 1]),
   * i.e. how much of coordinate i lies in the replaced subspace.
   */
  leverage?: Float64Array;
}

/**
 * A with its p smallest eigenvalues replaced by `floor`, where { count: p, floor } = tail(values of A):
 * floor 0 is the PSD projection that drops them (nearPD's step, formed from the dropped pairs only, so
 * the kept set is exactly the one the values define), floor eps > 0 is nearPD's posdefify. The vectors
 * come from symmetricEigenTail's computation; the rank-p update runs in the WebAssembly kernel. The matrix is
 * written to `options.out` when given (an iteration's buffer), else to a new array. `options.leverage` adds the
 * replaced vectors' row norms (nearestCorrelation's preconditioner), O(p n) more.
 */
export function replaceEigenTail(
  a: ArrayLike<number>, n: number, tail: (values: Float64Array) => { count: number; floor: number },
  options: { out?: Float64Array; leverage?: boolean } = {},
): EigenTailReplacement {
  const { out } = options;
  if (a.length !== n * n) throw new RangeError(`matrix has ${a.length} entries, expected ${n * n}`);
  if (n === 0) return { matrix: new Float64Array(0), values: new Float64Array(0), count: 0 };
  const { ws, values, p, floor } = tailVectors(a, n, tail);
  const X = ws.X;
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) X[i * n + j] = X[j * n + i] = a[i * n + j]!;
  for (let k = 0; k < p; k++) ws.w[k] = floor - values[n - p + k]!;
  if (p > 0) ws.kernel.addLowRank(n, p, ws.at.X, ws.at.Z, ws.at.w);
  if (out && out.length !== n * n) throw new RangeError(`out has ${out.length} entries, expected ${n * n}`);
  const matrix = out ? (out.set(X), out) : X.slice();
  if (!options.leverage) return { matrix, values, count: p };
  const leverage = new Float64Array(n);
  const Z = ws.Z;
  for (let k = 0; k < p; k++) for (let i = 0; i < n; i++) leverage[i]! += Z[k * n + i]! * Z[k * n + i]!;
  return { matrix, values, count: p, leverage };
}

/**
 * The shared core: reduce, all eigenvalues, then the p = tail(values).count smallest eigenvectors, left
 * (back-transformed) as rows of ws.Z, ordered as values[n - p .. n - 1].
 */
function tailVectors(
  a: ArrayLike<number>, n: number, tail: (values: Float64Array) => { count: number; floor: number },
): { ws: EigenWorkspace; values: Float64Array; p: number; floor: number } {
  const ws = reduceToTridiagonal(a, n);
  const values = tridiagonalEigenvalues(ws);
  const wanted = tail(values);
  const p = Math.max(0, Math.min(n, wanted.count));
  if (p === 0) return { ws, values, p, floor: wanted.floor };
  const diag = ws.td, off = ws.te;
  let norm = 0; // ||T||_1
  for (let i = 0; i < n; i++) norm = Math.max(norm, Math.abs(diag[i]!) + Math.abs(off[i]!) + (i + 1 < n ? Math.abs(off[i + 1]!) : 0));
  const tiny = 2 ** -52 * Math.max(norm, Number.MIN_VALUE);
  // Eigenvalues chained within 1e-4 ||T|| form a cluster whose vectors are orthogonalised. Outside a cluster
  // inverse iteration's vector errs along eigenvector j by at most ~eps ||T|| / |lambda - lambda_j| <= eps / 1e-4,
  // so independently computed vectors are orthogonal to ~1e-12 (measured: 7e-14 at a 2e-4 ||T|| spacing, tested).
  // LAPACK dstein chains at 1e-3 ||T||; on the real pools' repairs (||T|| ~ 50, ~30 negative eigenvalues ~0.03
  // apart) that made one cluster of them all, whose Gram–Schmidt was a third of the eigen step, for results that
  // agree with this rule to 2e-14.
  const clusterGap = 1e-4 * norm;
  ws.w.set(values.subarray(n - p));
  ws.kernel.inverseIteration(n, p, ws.at.td, ws.at.te, ws.at.w, clusterGap, tiny, ws.at.Z, ws.at.lu, ws.at.v);
  ws.kernel.backTransform(n, p, ws.at.S, ws.at.hk, ws.at.Z);
  return { ws, values, p, floor: wanted.floor };
}

/**
 * sqrt(a^2 + b^2) for QL's rotations, which sit in its innermost loop: the plain formula, falling back to the
 * scaled hypot only when a^2 + b^2 over- or underflows (never for correlation-scale matrices; kept for
 * generality). One division fewer than hypot, and the caller's two divisions by r are one reciprocal.
 */
function rotationNorm(a: number, b: number): number {
  const ss = a * a + b * b;
  return ss > 1e-290 && ss < 1e290 ? Math.sqrt(ss) : hypot(a, b);
}

/**
 * sqrt(a^2 + b^2) without Math.hypot, which costs ~50 ns a call in V8 (varargs, generic scaling) and sits in
 * QL's innermost loop. Scaled by the larger magnitude, so no overflow or underflow; within an ulp or so of it.
 */
function hypot(a: number, b: number): number {
  const x = Math.abs(a), y = Math.abs(b);
  const big = x > y ? x : y;
  if (big === 0 || big === Infinity) return big;
  const small = x > y ? y : x;
  const t = small / big;
  return big * Math.sqrt(1 + t * t);
}
