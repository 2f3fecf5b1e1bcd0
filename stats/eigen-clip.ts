// Eigenvalue clipping of a correlation matrix: psych::cor.smooth (psych 2.2.9), the repair psych::tetrachoric
// applies by default (smooth = TRUE). Unlike the nearest correlation matrix (Higham 2002, nearest-correlation.ts)
// it leaves a positive definite matrix alone, and otherwise moves it further:
//   if min eigenvalue < .Machine$double.eps:
//     values[values < eps] <- 100 * eps;  values <- values * n / sum(values)
//     x <- V diag(values) V';  x <- cov2cor(x)
// with eps = 1e-12 (cor.smooth's default). The robustness sweep uses it as "no repair when positive definite,
// eigenvalue clipping otherwise".
import { symmetricEigen, symmetricEigenvalues } from "./eigen.js";

/** R's .Machine$double.eps. */
const DOUBLE_EPS = 2.220446049250313e-16;

export interface EigenClipResult {
  /** Symmetric n x n row-major matrix, unit diagonal. */
  matrix: Float64Array;
  /** Whether the matrix was changed (it was not positive definite). */
  clipped: boolean;
  /** Smallest eigenvalue of the input. */
  minEigenBefore: number;
  /** Smallest eigenvalue of the result. */
  minEigenAfter: number;
}

/** psych::cor.smooth(x, eps) of the symmetric n x n row-major matrix `x` (see the file header). */
export function eigenClip(x: ArrayLike<number>, n: number, options: { eps?: number } = {}): EigenClipResult {
  if (x.length !== n * n) throw new RangeError(`matrix has ${x.length} entries, expected ${n * n}`);
  const eps = options.eps ?? 1e-12;
  const copy = Float64Array.from(x);
  if (n === 0) return { matrix: copy, clipped: false, minEigenBefore: NaN, minEigenAfter: NaN };
  const { values, vectors } = symmetricEigen(copy, n);
  const minEigenBefore = values[n - 1]!;
  if (!(minEigenBefore < DOUBLE_EPS)) return { matrix: copy, clipped: false, minEigenBefore, minEigenAfter: minEigenBefore };
  const v = Float64Array.from(values, (d) => (d < eps ? 100 * eps : d));
  let total = 0;
  for (let i = 0; i < n; i++) total += v[i]!;
  for (let i = 0; i < n; i++) v[i] = (v[i]! * n) / total;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += vectors[i * n + k]! * v[k]! * vectors[j * n + k]!;
      out[i * n + j] = s;
      out[j * n + i] = s;
    }
  }
  // cov2cor
  const d = Float64Array.from({ length: n }, (_, i) => 1 / Math.sqrt(out[i * n + i]!));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) out[i * n + j] = i === j ? 1 : out[i * n + j]! * d[i]! * d[j]!;
  }
  return { matrix: out, clipped: true, minEigenBefore, minEigenAfter: symmetricEigenvalues(out, n)[n - 1]! };
}
