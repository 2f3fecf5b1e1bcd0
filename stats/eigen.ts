// Symmetric eigendecomposition: Householder reduction to tridiagonal form + implicit QL with shifts.
// A port of EISPACK tred2/tql2 as given in JAMA (Hicks, Moler, et al., "JAMA: A Java Matrix Package",
// EigenvalueDecomposition), after Wilkinson & Reinsch (1971) Handbook for Automatic Computation II.
// O(n^3), backward stable; for the <= 100 x 100 correlation matrices of the pipeline (nearPD,
// factor analysis) this is far cheaper than cyclic Jacobi. Also: eigenvalues only (symmetricEigenvalues),
// and all eigenvalues with the vectors of the smallest few only (symmetricEigenTail, for nearPD's projection).

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
function tred2(W: Float64Array, d: Float64Array, e: Float64Array, n: number, accumulate: boolean, reflectorH?: Float64Array): void {
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
    // Reflector k (k = 1..n-1) stays in W[k * n + 0..k-1] with its h = u'u/2 in d[k] (0: no reflection).
    if (reflectorH) reflectorH.set(d);
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
          r = hypot(p, e[i]!);
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
 * Householder reduction without accumulation + QL eigenvalues (as symmetricEigenvalues), then per wanted
 * eigenvalue inverse iteration on the tridiagonal T (LU with partial pivoting, LAPACK dgttrf/dgttrs), with
 * Gram–Schmidt against the vectors of its cluster (eigenvalues closer than 1e-3 ||T||_1, as LAPACK dstein),
 * and the Householder back-transformation: O(4/3 n^3 + 4 p n^2) against ~9 n^3 for symmetricEigen.
 */
export function symmetricEigenTail(a: ArrayLike<number>, n: number, count: (values: Float64Array) => number): SymmetricEigenTail {
  if (a.length !== n * n) throw new RangeError(`matrix has ${a.length} entries, expected ${n * n}`);
  const W = transposedCopy(a, n);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const hk = new Float64Array(n);
  if (n === 0) return { values: d, count: 0, vectors: new Float64Array(0) };
  tred2(W, d, e, n, false, hk);
  const diag = Float64Array.from(d);
  const off = Float64Array.from(e); // off[i] couples rows i-1 and i of T (off[0] = 0)
  tql2(null, d, e, n);
  const values = Float64Array.from(decreasingOrder(d), (i) => d[i]!);
  const p = Math.max(0, Math.min(n, count(values)));
  const vectors = new Float64Array(n * p);
  if (p === 0) return { values, count: 0, vectors };
  let norm = 0; // ||T||_1
  for (let i = 0; i < n; i++) norm = Math.max(norm, Math.abs(diag[i]!) + Math.abs(off[i]!) + (i + 1 < n ? Math.abs(off[i + 1]!) : 0));
  const tiny = 2 ** -52 * Math.max(norm, Number.MIN_VALUE);
  const clusterGap = 1e-3 * norm;
  const lu = tridiagonalLU(n);
  const z = new Float64Array(n);
  const Z = new Float64Array(p * n); // tridiagonal-basis eigenvectors as rows
  let seed = 0x9e3779b9;
  // Vectors are computed from the smallest eigenvalue up, so a cluster's earlier members are at hand.
  for (let j = p - 1; j >= 0; j--) {
    factorShifted(lu, diag, off, values[n - p + j]!, tiny);
    // Deterministic start (a fixed LCG), so results never depend on anything but the input.
    for (let i = 0; i < n; i++) {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      z[i] = seed / 4294967296 - 0.5;
    }
    // Cluster: the already computed vectors (indices > j) whose eigenvalues are within clusterGap, chained.
    let clusterEnd = j;
    while (clusterEnd + 1 < p && values[n - p + clusterEnd + 1]! - values[n - p + clusterEnd]! <= clusterGap) clusterEnd++;
    // Two solves: the eigenvalue is accurate to rounding, so the first already amplifies its eigenvector (or
    // its cluster's subspace, uniformly) by ~1/eps; the second cleans up. Modified Gram–Schmidt against the
    // cluster then picks a direction of the subspace not yet taken (twice: "twice is enough" for orthogonality).
    solveShifted(lu, z);
    normalise(z);
    solveShifted(lu, z);
    if (clusterEnd > j) {
      normalise(z);
      for (let pass = 0; pass < 2; pass++) {
        for (let c = j + 1; c <= clusterEnd; c++) {
          const row = c * n;
          let dot = 0;
          for (let i = 0; i < n; i++) dot += Z[row + i]! * z[i]!;
          for (let i = 0; i < n; i++) z[i]! -= dot * Z[row + i]!;
        }
      }
    }
    normalise(z);
    Z.set(z, j * n);
  }
  backTransform(W, hk, Z, n, p);
  for (let j = 0; j < p; j++) for (let i = 0; i < n; i++) vectors[i * p + j] = Z[j * n + i]!;
  return { values, count: p, vectors };
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

interface TridiagonalLU {
  dl: Float64Array;
  du0: Float64Array;
  du1: Float64Array;
  du2: Float64Array;
  swap: Uint8Array;
}

function tridiagonalLU(n: number): TridiagonalLU {
  return { dl: new Float64Array(n), du0: new Float64Array(n), du1: new Float64Array(n), du2: new Float64Array(n), swap: new Uint8Array(n) };
}

/**
 * LU of T - lambda I with partial pivoting (LAPACK dgttrf): T has diagonal `diag` and off-diagonal off[i]
 * between rows i-1 and i; U gets diagonal du0 and super-diagonals du1, du2; pivots smaller than `tiny`
 * (T - lambda I is singular to working precision, as it should be) become +-tiny.
 */
function factorShifted(lu: TridiagonalLU, diag: Float64Array, off: Float64Array, lambda: number, tiny: number): void {
  const { dl, du0, du1, du2, swap } = lu;
  const n = diag.length;
  for (let i = 0; i < n; i++) {
    du0[i] = diag[i]! - lambda;
    const o = i + 1 < n ? off[i + 1]! : 0;
    du1[i] = o;
    dl[i] = o;
    du2[i] = 0;
    swap[i] = 0;
  }
  for (let i = 0; i < n - 1; i++) {
    if (Math.abs(du0[i]!) >= Math.abs(dl[i]!)) {
      if (du0[i] === 0) du0[i] = tiny;
      const f = dl[i]! / du0[i]!;
      dl[i] = f;
      du0[i + 1]! -= f * du1[i]!;
    } else {
      const f = du0[i]! / dl[i]!;
      du0[i] = dl[i]!;
      dl[i] = f;
      const t = du1[i]!;
      du1[i] = du0[i + 1]!;
      du0[i + 1] = t - f * du0[i + 1]!;
      if (i < n - 2) {
        du2[i] = du1[i + 1]!;
        du1[i + 1] = -f * du1[i + 1]!;
      }
      swap[i] = 1;
    }
  }
  for (let i = 0; i < n; i++) if (Math.abs(du0[i]!) < tiny) du0[i] = du0[i]! < 0 ? -tiny : tiny;
}

/** z <- (T - lambda I)^-1 z with the factors of factorShifted (LAPACK dgttrs). */
function solveShifted(lu: TridiagonalLU, z: Float64Array): void {
  const { dl, du0, du1, du2, swap } = lu;
  const n = z.length;
  for (let i = 0; i < n - 1; i++) {
    if (swap[i]) {
      const t = z[i]!;
      z[i] = z[i + 1]!;
      z[i + 1] = t - dl[i]! * z[i]!;
    } else z[i + 1]! -= dl[i]! * z[i]!;
  }
  z[n - 1]! /= du0[n - 1]!;
  if (n > 1) z[n - 2] = (z[n - 2]! - du1[n - 2]! * z[n - 1]!) / du0[n - 2]!;
  for (let i = n - 3; i >= 0; i--) z[i] = (z[i]! - du1[i]! * z[i + 1]! - du2[i]! * z[i + 2]!) / du0[i]!;
}

function normalise(z: Float64Array): void {
  let s = 0;
  for (let i = 0; i < z.length; i++) s += z[i]! * z[i]!;
  s = 1 / Math.sqrt(s);
  for (let i = 0; i < z.length; i++) z[i]! *= s;
}

/**
 * Rows of Z (p vectors in the tridiagonal basis) <- H z, H = P_{n-1} ... P_1 with P_k = I - u_k u_k' / h_k
 * acting on coordinates 0..k-1 (the order tred2's accumulation multiplies them in): P_1 first. Reflector
 * by reflector over all p vectors, so u_k is read once per pass.
 */
function backTransform(W: Float64Array, hk: Float64Array, Z: Float64Array, n: number, p: number): void {
  for (let k = 1; k < n; k++) {
    const hv = hk[k]!;
    if (hv === 0) continue;
    const uk = k * n;
    for (let j = 0; j < p; j++) {
      const row = j * n;
      let g = 0;
      for (let i = 0; i < k; i++) g += W[uk + i]! * Z[row + i]!;
      g /= hv;
      for (let i = 0; i < k; i++) Z[row + i]! -= g * W[uk + i]!;
    }
  }
}
