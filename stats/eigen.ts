// Symmetric eigendecomposition: Householder reduction to tridiagonal form + implicit QL with shifts.
// A port of EISPACK tred2/tql2 as given in JAMA (Hicks, Moler, et al., "JAMA: A Java Matrix Package",
// EigenvalueDecomposition), after Wilkinson & Reinsch (1971) Handbook for Automatic Computation II.
// O(n^3), backward stable; for the <= 100 x 100 correlation matrices of the pipeline (nearPD,
// factor analysis) this is far cheaper than cyclic Jacobi.

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
  tred2(W, d, e, n, true);
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

/**
 * Eigenvalues only, decreasing: the same Householder reduction without accumulating the transformations
 * and QL without rotating vectors (tql1), about a third of the cost of symmetricEigen. The values are
 * bit-identical to symmetricEigen's (the d/e recurrences never read the vectors).
 */
export function symmetricEigenvalues(a: ArrayLike<number>, n: number): Float64Array {
  if (a.length !== n * n) throw new RangeError(`matrix has ${a.length} entries, expected ${n * n}`);
  const W = transposedCopy(a, n);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  if (n === 0) return d;
  tred2(W, d, e, n, false);
  tql2(null, d, e, n);
  return Float64Array.from(decreasingOrder(d), (i) => d[i]!);
}

function transposedCopy(a: ArrayLike<number>, n: number): Float64Array {
  const W = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) W[j * n + i] = a[i * n + j]!;
  return W;
}

function decreasingOrder(d: Float64Array): number[] {
  return Array.from({ length: d.length }, (_, i) => i).sort((x, y) => d[y]! - d[x]!);
}

/**
 * Householder tridiagonalisation (JAMA tred2) on W = V^T; with accumulate = false only d (diagonal) and
 * e (off-diagonal) of the tridiagonal form are produced.
 */
function tred2(W: Float64Array, d: Float64Array, e: Float64Array, n: number, accumulate: boolean): void {
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
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        W[i * n + j] = f;
        const wj = j * n;
        g = e[j]! + W[wj + j]! * f;
        for (let k = j + 1; k <= i - 1; k++) {
          const w = W[wj + k]!;
          g += w * d[k]!;
          e[k]! += w * f;
        }
        e[j] = g;
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
  if (!accumulate) {
    // The accumulation below only moves the tridiagonal's diagonal (W's diagonal) into d.
    for (let j = 0; j < n; j++) d[j] = W[j * n + j]!;
    e[0] = 0;
    return;
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
        let r = Math.hypot(p, 1);
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
          r = Math.hypot(p, e[i]!);
          e[i + 1] = s * r;
          s = e[i]! / r;
          c = p / r;
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
