// Nearest correlation matrix: Higham (2002), "Computing the nearest correlation matrix — a problem from
// finance", IMA J. Numer. Anal. 22, 329-343 — alternating projections onto the PSD cone and the
// unit-diagonal set, with Dykstra's correction. A line-by-line mirror of R's Matrix::nearPD(x, corr = TRUE)
// with its defaults (keepDiag = FALSE, do2eigen = TRUE, doSym = FALSE, doDykstra = TRUE, eig.tol = 1e-6,
// conv.tol = 1e-7, posd.tol = 1e-8, maxit = 100, conv.norm.type = "I"), so results agree with nearPD
// to rounding. One arithmetic difference, for speed: each PSD projection Q_+ D_+ Q_+' is formed as
// R - Q_- D_- Q_-' from the dropped eigenpairs only (the same kept set; equal to ~1e-14 and the same
// iteration counts on the reference cases), 1.3-3x faster per iteration on the real pools; the final
// positive-definite step likewise uses only the eigenpairs below posdTol * largest.
// Option accelerate = "anderson": Anderson acceleration of the same iteration (Higham & Strabić 2016), with a
// diagonal preconditioner, the same limit in 2-6x fewer eigendecompositions (andersonProjections); the plain
// loop stays the reference.
import { replaceEigenTail, symmetricEigenvalues } from "./eigen.js";

export interface NearestCorrelationOptions {
  /** Eigenvalues below eigTol * largest are treated as zero in the PSD projection. Default 1e-6. */
  eigTol?: number;
  /** Stop when ||Y - X||_inf / ||Y||_inf <= convTol. Default 1e-7. */
  convTol?: number;
  /** Final step: eigenvalues are raised to at least posdTol * largest (strict positive definiteness). Default 1e-8. */
  posdTol?: number;
  /** Default 100. */
  maxIterations?: number;
  /**
   * "none" (default): nearPD's plain Dykstra iteration, the reference path. "anderson": Anderson
   * acceleration of the same fixed-point map (Higham & Strabić 2016), converging to the same limit in
   * fewer eigendecompositions; see andersonProjections.
   */
  accelerate?: "anderson" | "none";
  /** Anderson memory m (differences kept). Default 5 (m = 2..5 all work; 5 took the fewest iterations on the real pools). */
  andersonMemory?: number;
  /** Anderson only: divide each coordinate's step by the Jacobian's approximate diagonal (PRECONDITIONER_FLOOR). Default true. */
  precondition?: boolean;
  /**
   * Anderson only: start the fixed-point iteration from this diagonal of Dykstra's R (the `diagonal` of an
   * earlier result, e.g. the bootstrap point estimate's) instead of the input's; NaN entries start cold. The
   * map and its fixed point do not depend on the start, only the number of steps to reach it does.
   */
  initialDiagonal?: ArrayLike<number>;
  /**
   * Compute minEigenBefore / minEigenAfter (default true). Bootstrap replicates need only the matrix, and
   * each of these costs an eigenvalue decomposition; false reports NaN instead (unless it came for free).
   */
  diagnostics?: boolean;
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
  /** Anderson only: the converged diagonal of Dykstra's R, a warm start (`initialDiagonal`) for a nearby problem. */
  diagonal?: Float64Array;
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

  if (options.initialDiagonal && options.accelerate !== "anderson") throw new RangeError("initialDiagonal needs accelerate: \"anderson\"");
  if (options.initialDiagonal && options.initialDiagonal.length !== n) throw new RangeError(`initialDiagonal has ${options.initialDiagonal.length} entries, expected ${n}`);
  const diagnostics = options.diagnostics ?? true;
  const run = options.accelerate === "anderson"
    ? andersonProjections(x0, n, {
      eigTol, convTol, maxit, memory: options.andersonMemory ?? 5, start: options.initialDiagonal, precondition: options.precondition ?? true,
    })
    : dykstraProjections(x0, n, { eigTol, convTol, maxit });
  let X: Float64Array = run.X;
  const { iter, converged, conv } = run;
  // Both loops start by decomposing x0 itself: its smallest eigenvalue comes for free (bit-identical).
  const minEigenBefore = Number.isNaN(run.minEigenFirst) && n > 0 && diagnostics ? symmetricEigenvalues(x0, n)[n - 1]! : run.minEigenFirst;
  // do2eigen: make it strictly positive definite, rescale to the old diagonal, then unit diagonal.
  // Q diag(max(d, eps)) Q' is formed as X + Q_low diag(eps - d_low) Q_low' from the eigenpairs below eps only
  // (as the projection: the same set, equal to rounding), a tail decomposition instead of a full one.
  let eps = 0;
  const lifted = replaceEigenTail(X, n, (values) => {
    eps = posdTol * Math.abs(values[0]!);
    let below = 0;
    while (below < n && values[n - 1 - below]! < eps) below++;
    return { count: below, floor: eps };
  });
  if (lifted.count > 0) {
    const Z = lifted.matrix;
    const D = Float64Array.from({ length: n }, (_, i) => Math.sqrt(Math.max(eps, X[i * n + i]!) / Z[i * n + i]!));
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) Z[i * n + j] = Z[j * n + i] = D[i]! * Z[i * n + j]! * D[j]!;
    }
    X = Z;
  }
  for (let i = 0; i < n; i++) X[i * n + i] = 1;
  const minEigenAfter = diagnostics ? symmetricEigenvalues(X, n)[n - 1]! : NaN;
  let normF = 0;
  for (let i = 0; i < n * n; i++) normF += (x0[i]! - X[i]!) ** 2;
  return {
    matrix: X,
    iterations: iter,
    converged,
    minEigenBefore,
    minEigenAfter,
    normF: Math.sqrt(normF),
    relativeChange: conv,
    ...(run.diagonal ? { diagonal: run.diagonal } : {}),
  };
}

interface ProjectionRun {
  /** Last iterate: PSD projection with the diagonal set to 1. */
  X: Float64Array;
  iter: number;
  converged: boolean;
  conv: number;
  /** Smallest eigenvalue of the first matrix projected when that is x0 (a cold start); else NaN. */
  minEigenFirst: number;
  /** Anderson: the final diagonal of R. */
  diagonal?: Float64Array;
}

interface ProjectionOptions {
  eigTol: number;
  convTol: number;
  maxit: number;
}

/**
 * PSD projection X = Q_+ diag(d_+) Q_+' of R with d_+ = eigenvalues > eigTol * d[0] (a prefix of the
 * decreasing values), formed as R - Q_- diag(d_-) Q_-' from the dropped eigenpairs only, usually a few
 * (replaceEigenTail: the same eigenvalues decide the kept set; the matrix agrees to rounding). Also returns
 * R's smallest eigenvalue.
 */
function psdProjection(
  R: Float64Array, n: number, eigTol: number, options: { out?: Float64Array; leverage?: boolean } = {},
): { X: Float64Array; minEigen: number; leverage?: Float64Array } {
  const projected = replaceEigenTail(R, n, (d) => {
    let kept = 0;
    while (kept < n && d[kept]! > eigTol * d[0]!) kept++;
    return { count: n - kept, floor: 0 };
  }, options);
  if (projected.count === n) throw new Error("nearestCorrelation: matrix seems negative semi-definite");
  return { X: projected.matrix, minEigen: projected.values[n - 1]!, leverage: projected.leverage };
}

/** nearPD's stopping quantity ||Y - X||_inf / ||Y||_inf, both norms in one pass, the difference not materialised. */
function relativeChange(Y: Float64Array, X: Float64Array, n: number): number {
  let num = 0, den = 0;
  for (let i = 0; i < n; i++) {
    let row = 0, rowY = 0;
    for (let j = 0; j < n; j++) {
      const y = Y[i * n + j]!;
      row += Math.abs(y - X[i * n + j]!);
      rowY += Math.abs(y);
    }
    if (row > num) num = row;
    if (rowY > den) den = rowY;
  }
  return num / den;
}

/** nearPD's loop: alternating projections with Dykstra's correction, line by line. */
function dykstraProjections(x0: Float64Array, n: number, o: ProjectionOptions): ProjectionRun {
  let X: Float64Array = Float64Array.from(x0);
  const DS = new Float64Array(n * n); // Dykstra's correction
  const R = new Float64Array(n * n);
  const Y = new Float64Array(n * n);
  let iter = 0;
  let converged = false;
  let conv = Infinity;
  let minEigenFirst = NaN;
  while (iter < o.maxit && !converged) {
    Y.set(X);
    for (let i = 0; i < n * n; i++) R[i] = Y[i]! - DS[i]!;
    const p = psdProjection(R, n, o.eigTol);
    X = p.X;
    if (iter === 0) minEigenFirst = p.minEigen;
    for (let i = 0; i < n * n; i++) DS[i] = X[i]! - R[i]!;
    for (let i = 0; i < n; i++) X[i * n + i] = 1;
    conv = relativeChange(Y, X, n);
    iter++;
    converged = conv <= o.convTol;
  }
  return { X, iter, converged, conv, minEigenFirst };
}

/**
 * Anderson-accelerated Dykstra iteration (Higham & Strabić 2016, "Anderson acceleration of the alternating
 * projections method for computing the nearest correlation matrix", Numer. Algorithms 72, 1021-1042).
 * With W = I and the unit-diagonal set U, Dykstra's R_k = Y_{k-1} - DS_{k-1} keeps the off-diagonal of the
 * input for ever (P_U only touches the diagonal), so the iteration is a fixed-point map on the n diagonal
 * entries z of R alone: g(z) = z + 1 - diag(P_S(x0 with diagonal z)), here with each coordinate's step divided by
 * the Jacobian's approximate diagonal (PRECONDITIONER_FLOOR's comment). Its fixed points give
 * P_S(R*) = the nearest correlation matrix, which is what the plain loop converges to; Anderson mixing
 * (Walker & Ni 2011, type II, least squares by QR) extrapolates from the last m steps of g. Stopping is
 * nearPD's test on successive unit-diagonal iterates X_k = P_U(P_S(R_k)), so each call reports the same
 * quantities as the plain path. Safeguards: history columns that make the least-squares problem
 * ill-conditioned are dropped (oldest first), and the history is cleared (a plain step taken) when the
 * residual ||g(z) - z|| grows or the mixing coefficients blow up.
 */
/**
 * Anderson's map is preconditioned by the diagonal of its Jacobian. d diag(P_S(R))_i / d z_i =
 * sum_kl Omega_kl q_ik^2 q_il^2 (Qi & Sun 2006's generalised Jacobian, q_k the eigenvectors of R; Omega_kl = 1
 * for two kept eigenvalues, 0 for two dropped, lambda_k / (lambda_k - lambda_l) in (0, 1) across); with 1/2
 * across it is (1 - s_i)^2 + (1 - s_i) s_i = 1 - s_i, s_i = sum over dropped l of q_il^2, which the projection
 * already has (the dropped vectors' row norms). So g(z) = z + (1 - diag P_S(R(z))) / (1 - s): the same fixed
 * points (g(z) = z iff the diagonal is 1), a Newton-like step per coordinate. On the real pools' bootstrap
 * replicates it halves the eigendecompositions (lcb, 71 models: 16.1 -> 8.1 per repair; gsm 12.2 -> 7.5;
 * math-l5 7.9 -> 6.4; gpqa-mc 6.9 -> 6.4). The floor keeps a coordinate that lies almost wholly in the dropped
 * subspace from taking an unbounded step (the iteration counts do not depend on it between 0.01 and 0.2).
 */
const PRECONDITIONER_FLOOR = 0.05;

function andersonProjections(
  x0: Float64Array, n: number, o: ProjectionOptions & { memory: number; start?: ArrayLike<number>; precondition: boolean },
): ProjectionRun {
  const m = Math.max(1, Math.floor(o.memory));
  const R = Float64Array.from(x0);
  const z = Float64Array.from({ length: n }, (_, i) => {
    const w = o.start?.[i];
    return w !== undefined && Number.isFinite(w) ? w : x0[i * n + i]!;
  });
  const cold = o.start === undefined;
  let Y: Float64Array = Float64Array.from(x0);
  let X = Y;
  // Each iterate is written into the buffer that does not hold the previous one (Y): no allocation per step.
  const buffers = [new Float64Array(n * n), new Float64Array(n * n)];
  const f = new Float64Array(n);
  const g = new Float64Array(n);
  const fPrev = new Float64Array(n);
  const gPrev = new Float64Array(n);
  // History of differences, oldest first: dF[j] = f_{k-j'} - f_{k-j'-1}, dG likewise.
  let dF: Float64Array[] = [];
  let dG: Float64Array[] = [];
  let havePrev = false;
  let prevResidual = Infinity;
  let iter = 0;
  let converged = false;
  let conv = Infinity;
  let minEigenFirst = NaN;
  while (iter < o.maxit && !converged) {
    for (let i = 0; i < n; i++) R[i * n + i] = z[i]!;
    const p = psdProjection(R, n, o.eigTol, { out: buffers[iter % 2], leverage: o.precondition });
    X = p.X;
    if (iter === 0 && cold) minEigenFirst = p.minEigen;
    let residual = 0;
    const leverage = p.leverage;
    for (let i = 0; i < n; i++) {
      // The step on z_i is the diagonal's defect scaled by 1 / (1 - s_i), s_i = leverage: see PRECONDITIONER_FLOOR.
      f[i] = leverage ? (1 - X[i * n + i]!) / Math.max(1 - leverage[i]!, PRECONDITIONER_FLOOR) : 1 - X[i * n + i]!;
      g[i] = z[i]! + f[i]!;
      residual += f[i]! * f[i]!;
      X[i * n + i] = 1;
    }
    residual = Math.sqrt(residual);
    conv = relativeChange(Y, X, n);
    iter++;
    converged = conv <= o.convTol;
    if (converged) break;
    Y = X;
    if (havePrev && residual < 2 * prevResidual) {
      const a = new Float64Array(n), b = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        a[i] = f[i]! - fPrev[i]!;
        b[i] = g[i]! - gPrev[i]!;
      }
      dF.push(a);
      dG.push(b);
      if (dF.length > m) {
        dF = dF.slice(1);
        dG = dG.slice(1);
      }
    } else {
      dF = [];
      dG = [];
    }
    fPrev.set(f);
    gPrev.set(g);
    havePrev = true;
    prevResidual = residual;
    z.set(g);
    const gamma = andersonCoefficients(dF, f, n);
    if (gamma === null) {
      dF = [];
      dG = [];
      continue;
    }
    for (let j = 0; j < gamma.length; j++) {
      const col = dG[j]!;
      const c = gamma[j]!;
      for (let i = 0; i < n; i++) z[i]! -= c * col[i]!;
    }
  }
  // z is the diagonal of the R whose projection was the last (converged) iterate.
  return { X, iter, converged, conv, minEigenFirst, diagonal: z };
}

/**
 * gamma = argmin ||f - dF gamma||_2 by modified Gram-Schmidt QR. While the triangular factor is ill
 * conditioned (diagonal ratio > 1e10) the oldest columns are left out (their coefficients stay 0). Returns
 * null when no usable coefficients exist or they blow up (> 1e4: the extrapolation is not trustworthy).
 */
function andersonCoefficients(dF: Float64Array[], f: Float64Array, n: number): Float64Array | null {
  const k = dF.length;
  const gamma = new Float64Array(k);
  for (let skip = 0; skip < k; skip++) {
    const cols = dF.slice(skip).map((c) => Float64Array.from(c));
    const p = cols.length;
    const Rt = new Float64Array(p * p);
    let ok = true;
    for (let j = 0; j < p && ok; j++) {
      const v = cols[j]!;
      for (let l = 0; l < j; l++) {
        const q = cols[l]!;
        let s = 0;
        for (let i = 0; i < n; i++) s += q[i]! * v[i]!;
        Rt[l * p + j] = s;
        for (let i = 0; i < n; i++) v[i]! -= s * q[i]!;
      }
      let nv = 0;
      for (let i = 0; i < n; i++) nv += v[i]! * v[i]!;
      nv = Math.sqrt(nv);
      Rt[j * p + j] = nv;
      if (!(nv > 0)) ok = false;
      else for (let i = 0; i < n; i++) v[i]! /= nv;
    }
    if (!ok) continue;
    let dmax = 0, dmin = Infinity;
    for (let j = 0; j < p; j++) {
      dmax = Math.max(dmax, Rt[j * p + j]!);
      dmin = Math.min(dmin, Rt[j * p + j]!);
    }
    if (dmax > 1e10 * dmin) continue;
    // gamma = R^-1 Q' f
    const qf = new Float64Array(p);
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += cols[j]![i]! * f[i]!;
      qf[j] = s;
    }
    for (let j = p - 1; j >= 0; j--) {
      let s = qf[j]!;
      for (let l = j + 1; l < p; l++) s -= Rt[j * p + l]! * gamma[skip + l]!;
      gamma[skip + j] = s / Rt[j * p + j]!;
    }
    let big = 0;
    for (let j = 0; j < k; j++) big = Math.max(big, Math.abs(gamma[j]!));
    return big > 1e4 ? null : gamma;
  }
  return k === 0 ? gamma : null;
}
