// AssemblyScript source of the WebAssembly kernels behind stats/eigen.ts's symmetricEigenTail and
// symmetricEigenvalues: the O(n^3) Householder tridiagonalisation, QL eigenvalues of the tridiagonal and the
// O(p n^2) back-transformation of p eigenvectors — the hot loops of every nearest-correlation repair
// (a bootstrap replicate runs ~10 of them). V8's scalar code runs these loops at 2-3 cycles per element;
// WebAssembly with f64x2 SIMD runs them ~3x faster, with the same IEEE arithmetic (no fused multiply-add).
//
// Not TypeScript: compiled by `make wasm` (scripts/build-wasm.ts, AssemblyScript asc -O3 --enable simd) into
// stats/wasm/eigen-kernel.wasm.ts, whose freshness test/stats/eigen-kernel.test.ts checks. Arrays are f64
// at byte offsets chosen by the caller in the exported memory; matrices are row-major.

/** First byte the caller may use (the module keeps no data of its own beyond this). */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15;
}

@inline function at(base: usize, i: i32): usize {
  return base + (<usize>i << 3);
}

/** sum_i x[i] y[i], i < len: two f64x2 accumulators, then a scalar tail. */
function dot(x: usize, y: usize, len: i32): f64 {
  let acc0 = f64x2.splat(0);
  let acc1 = f64x2.splat(0);
  let i = 0;
  for (; i + 3 < len; i += 4) {
    acc0 = f64x2.add(acc0, f64x2.mul(v128.load(at(x, i)), v128.load(at(y, i))));
    acc1 = f64x2.add(acc1, f64x2.mul(v128.load(at(x, i + 2)), v128.load(at(y, i + 2))));
  }
  let s = f64x2.extract_lane(acc0, 0) + f64x2.extract_lane(acc0, 1) + (f64x2.extract_lane(acc1, 0) + f64x2.extract_lane(acc1, 1));
  for (; i < len; i++) s += load<f64>(at(x, i)) * load<f64>(at(y, i));
  return s;
}

/** y[i] -= a x[i] + b z[i], i < len. */
function rank2Row(y: usize, a: f64, x: usize, b: f64, z: usize, len: i32): void {
  const av = f64x2.splat(a);
  const bv = f64x2.splat(b);
  let i = 0;
  for (; i + 1 < len; i += 2) {
    const o = at(y, i);
    v128.store(o, f64x2.sub(v128.load(o), f64x2.add(f64x2.mul(av, v128.load(at(x, i))), f64x2.mul(bv, v128.load(at(z, i))))));
  }
  for (; i < len; i++) store<f64>(at(y, i), load<f64>(at(y, i)) - (a * load<f64>(at(x, i)) + b * load<f64>(at(z, i))));
}

/** y[i] += a x[i], i < len. */
function axpy(y: usize, a: f64, x: usize, len: i32): void {
  const av = f64x2.splat(a);
  let i = 0;
  for (; i + 1 < len; i += 2) {
    const o = at(y, i);
    v128.store(o, f64x2.add(v128.load(o), f64x2.mul(av, v128.load(at(x, i)))));
  }
  for (; i < len; i++) store<f64>(at(y, i), load<f64>(at(y, i)) + a * load<f64>(at(x, i)));
}

/**
 * sum_k x[k] y[k] over k < len, and at the same time z[k] += a x[k]: the fused step of a symmetric mat-vec from
 * one triangle (row j's entries give its own dot product and their column's contributions), x read once.
 */
function dotAxpy(x: usize, y: usize, z: usize, a: f64, len: i32): f64 {
  const av = f64x2.splat(a);
  let acc0 = f64x2.splat(0);
  let acc1 = f64x2.splat(0);
  let k = 0;
  for (; k + 3 < len; k += 4) {
    const x0 = v128.load(at(x, k)), x1 = v128.load(at(x, k + 2));
    acc0 = f64x2.add(acc0, f64x2.mul(x0, v128.load(at(y, k))));
    acc1 = f64x2.add(acc1, f64x2.mul(x1, v128.load(at(y, k + 2))));
    const o0 = at(z, k), o1 = at(z, k + 2);
    v128.store(o0, f64x2.add(v128.load(o0), f64x2.mul(av, x0)));
    v128.store(o1, f64x2.add(v128.load(o1), f64x2.mul(av, x1)));
  }
  let s = f64x2.extract_lane(acc0, 0) + f64x2.extract_lane(acc0, 1) + (f64x2.extract_lane(acc1, 0) + f64x2.extract_lane(acc1, 1));
  for (; k < len; k++) {
    const v = load<f64>(at(x, k));
    s += v * load<f64>(at(y, k));
    store<f64>(at(z, k), load<f64>(at(z, k)) + a * v);
  }
  return s;
}

/**
 * EISPACK tred2's reduction (its reflectors, order and d / e / h conventions) of the symmetric matrix S, of which
 * only the lower triangle (row j, columns 0..j) is read and kept up to date: step i (i = n-1 .. 1) reflects row
 * i's entries 0..i-1 with P_i = I - u u' / h, h = u'u / 2, and updates the active block's lower triangle
 * A <- A - u q' - q u' (q = p - (u'p / 2h) u, p = A u / h) as streaming row operations — half the flops of
 * updating the whole block (LAPACK dsytd2's use of symmetry). On return d = diagonal of T, e[i] couples rows i-1
 * and i (e[0] = 0), u_i is in row i of S (entries 0..i-1), h_i in hk[i] (0: no reflection). p is n doubles of
 * scratch.
 */
export function tridiagonalize(n: i32, S: usize, d: usize, e: usize, hk: usize, p: usize): void {
  for (let i = n - 1; i > 0; i--) {
    const ri = at(S, i * n);
    let scale = 0.0;
    for (let k = 0; k < i; k++) scale += Math.abs(load<f64>(at(ri, k)));
    if (scale == 0) {
      store<f64>(at(e, i), 0);
      store<f64>(at(hk, i), 0);
      continue;
    }
    let h = 0.0;
    for (let k = 0; k < i; k++) {
      const v = load<f64>(at(ri, k)) / scale;
      store<f64>(at(ri, k), v);
      h += v * v;
    }
    const f = load<f64>(at(ri, i - 1));
    const g = f > 0 ? -Math.sqrt(h) : Math.sqrt(h);
    store<f64>(at(e, i), scale * g);
    h -= f * g;
    store<f64>(at(ri, i - 1), f - g);
    store<f64>(at(hk, i), h);
    // p = A u from the lower triangle: row j contributes A_jk u_k to p_j and A_jk u_j to p_k (k < j).
    for (let j = 0; j < i; j++) store<f64>(at(p, j), 0);
    for (let j = 0; j < i; j++) {
      const rj = at(S, j * n);
      const uj = load<f64>(at(ri, j));
      const own = dotAxpy(rj, ri, p, uj, j) + load<f64>(at(rj, j)) * uj;
      store<f64>(at(p, j), load<f64>(at(p, j)) + own);
    }
    let up = 0.0;
    for (let j = 0; j < i; j++) {
      const pj = load<f64>(at(p, j)) / h;
      store<f64>(at(p, j), pj);
      up += pj * load<f64>(at(ri, j));
    }
    const hh = up / (h + h);
    for (let j = 0; j < i; j++) store<f64>(at(p, j), load<f64>(at(p, j)) - hh * load<f64>(at(ri, j)));
    for (let j = 0; j < i; j++) rank2Row(at(S, j * n), load<f64>(at(ri, j)), p, load<f64>(at(p, j)), ri, j + 1);
  }
  for (let j = 0; j < n; j++) store<f64>(at(d, j), load<f64>(at(S, j * n + j)));
  store<f64>(at(e, 0), 0);
}

/** sqrt(a^2 + b^2), scaled only when the plain form would over- or underflow. */
function rotationNorm(a: f64, b: f64): f64 {
  const ss = a * a + b * b;
  if (ss > 1e-290 && ss < 1e290) return Math.sqrt(ss);
  const x = Math.abs(a);
  const y = Math.abs(b);
  const big = x > y ? x : y;
  if (big == 0) return 0;
  const t = (x > y ? y : x) / big;
  return big * Math.sqrt(1 + t * t);
}

/**
 * Eigenvalues of the tridiagonal (d, e) by implicit QL with shifts (EISPACK tql1 = JAMA's tql2 without
 * vectors), in place in d, unordered; e is destroyed. Returns the number of QL sweeps, or -1 when an
 * eigenvalue took more than 200 (never seen; the caller throws).
 */
export function qlEigenvalues(n: i32, d: usize, e: usize): i32 {
  for (let i = 1; i < n; i++) store<f64>(at(e, i - 1), load<f64>(at(e, i)));
  store<f64>(at(e, n - 1), 0);
  let f = 0.0;
  let tst1 = 0.0;
  const eps = 2.220446049250313e-16; // 2^-52
  let sweeps = 0;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(load<f64>(at(d, l))) + Math.abs(load<f64>(at(e, l))));
    let m = l;
    while (m < n) {
      if (Math.abs(load<f64>(at(e, m))) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 200) return -1;
        sweeps++;
        let g = load<f64>(at(d, l));
        const el = load<f64>(at(e, l));
        let p = (load<f64>(at(d, l + 1)) - g) / (2 * el);
        let r = rotationNorm(p, 1);
        if (p < 0) r = -r;
        store<f64>(at(d, l), el / (p + r));
        store<f64>(at(d, l + 1), el * (p + r));
        const dl1 = load<f64>(at(d, l + 1));
        let h = g - load<f64>(at(d, l));
        for (let i = l + 2; i < n; i++) store<f64>(at(d, i), load<f64>(at(d, i)) - h);
        f += h;
        p = load<f64>(at(d, m));
        let c = 1.0;
        let c2 = c;
        let c3 = c;
        const el1 = load<f64>(at(e, l + 1));
        let s = 0.0;
        let s2 = 0.0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          const ei = load<f64>(at(e, i));
          const di = load<f64>(at(d, i));
          g = c * ei;
          h = c * p;
          r = rotationNorm(p, ei);
          store<f64>(at(e, i + 1), s * r);
          const rInv = 1 / r;
          s = ei * rInv;
          c = p * rInv;
          p = c * di - s * g;
          store<f64>(at(d, i + 1), h + s * (c * g + s * di));
        }
        p = (-s * s2 * c3 * el1 * load<f64>(at(e, l))) / dl1;
        store<f64>(at(e, l), s * p);
        store<f64>(at(d, l), c * p);
      } while (Math.abs(load<f64>(at(e, l))) > eps * tst1);
    }
    store<f64>(at(d, l), load<f64>(at(d, l)) + f);
    store<f64>(at(e, l), 0);
  }
  return sweeps;
}

/**
 * Rows of Z (count vectors of length n, in the tridiagonal basis) <- H z with H = P_{n-1} ... P_1, P_1
 * applied first, the reflectors as tridiagonalize left them in S and hk.
 */
export function backTransform(n: i32, count: i32, S: usize, hk: usize, Z: usize): void {
  for (let k = 1; k < n; k++) {
    const h = load<f64>(at(hk, k));
    if (h == 0) continue;
    const u = at(S, k * n);
    for (let j = 0; j < count; j++) {
      const z = at(Z, j * n);
      axpy(z, -dot(u, z, k) / h, u, k);
    }
  }
}

/**
 * X <- X + sum_k w[k] z_k z_k' for the count rows z_k of Z (length n), on the upper triangle row by row
 * (each row a sum of scaled contiguous rows of Z), then mirrored: X must be symmetric on entry.
 */
export function addLowRank(n: i32, count: i32, X: usize, Z: usize, w: usize): void {
  for (let i = 0; i < n; i++) {
    const xi = at(X, i * n + i);
    for (let k = 0; k < count; k++) {
      const zk = at(Z, k * n);
      axpy(xi, load<f64>(at(w, k)) * load<f64>(at(zk, i)), at(zk, i), n - i);
    }
    for (let j = i + 1; j < n; j++) store<f64>(at(X, j * n + i), load<f64>(at(X, i * n + j)));
  }
}

/**
 * v <- v orthogonalised against rows from..to-1 of Z (length n each, orthonormal) by modified Gram–Schmidt,
 * twice ("twice is enough"), then normalised: inverse iteration's step for an eigenvalue of a cluster.
 */
export function orthonormalize(n: i32, Z: usize, from: i32, to: i32, v: usize): void {
  for (let pass = 0; pass < 2; pass++) {
    for (let c = from; c < to; c++) {
      const zc = at(Z, c * n);
      axpy(v, -dot(zc, v, n), zc, n);
    }
  }
  const s = 1 / Math.sqrt(dot(v, v, n));
  for (let i = 0; i < n; i++) store<f64>(at(v, i), load<f64>(at(v, i)) * s);
}

/**
 * LU of T - lambda I with partial pivoting (LAPACK dgttrf): T has diagonal `diag` and off-diagonal off[i]
 * between rows i-1 and i; lu holds dl, du0 (the reciprocals of U's diagonal), du1, du2 (its super-diagonals) and the row swaps
 * (0/1), n each. Pivots smaller than `tiny` (T - lambda I is singular to working precision, as it should be
 * for an eigenvalue) become +-tiny.
 */
function factorShifted(n: i32, diag: usize, off: usize, lambda: f64, tiny: f64, lu: usize): void {
  const dl = lu, du0 = at(lu, n), du1 = at(lu, 2 * n), du2 = at(lu, 3 * n), sw = at(lu, 4 * n);
  for (let i = 0; i < n; i++) {
    store<f64>(at(du0, i), load<f64>(at(diag, i)) - lambda);
    const o = i + 1 < n ? load<f64>(at(off, i + 1)) : 0;
    store<f64>(at(du1, i), o);
    store<f64>(at(dl, i), o);
    store<f64>(at(du2, i), 0);
    store<f64>(at(sw, i), 0);
  }
  for (let i = 0; i < n - 1; i++) {
    const d = load<f64>(at(du0, i));
    const l = load<f64>(at(dl, i));
    if (Math.abs(d) >= Math.abs(l)) {
      const piv = d == 0 ? tiny : d;
      store<f64>(at(du0, i), piv);
      const f = l / piv;
      store<f64>(at(dl, i), f);
      store<f64>(at(du0, i + 1), load<f64>(at(du0, i + 1)) - f * load<f64>(at(du1, i)));
    } else {
      const f = d / l;
      store<f64>(at(du0, i), l);
      store<f64>(at(dl, i), f);
      const t = load<f64>(at(du1, i));
      const next = load<f64>(at(du0, i + 1));
      store<f64>(at(du1, i), next);
      store<f64>(at(du0, i + 1), t - f * next);
      if (i < n - 2) {
        const u1 = load<f64>(at(du1, i + 1));
        store<f64>(at(du2, i), u1);
        store<f64>(at(du1, i + 1), -f * u1);
      }
      store<f64>(at(sw, i), 1);
    }
  }
  // U's diagonal is kept as reciprocals: each solve then multiplies (two solves per vector, n divisions saved each).
  for (let i = 0; i < n; i++) {
    let d = load<f64>(at(du0, i));
    if (Math.abs(d) < tiny) d = d < 0 ? -tiny : tiny;
    store<f64>(at(du0, i), 1 / d);
  }
}

/** z <- (T - lambda I)^-1 z with the factors of factorShifted (LAPACK dgttrs). */
function solveShifted(n: i32, lu: usize, z: usize): void {
  const dl = lu, du0 = at(lu, n), du1 = at(lu, 2 * n), du2 = at(lu, 3 * n), sw = at(lu, 4 * n);
  for (let i = 0; i < n - 1; i++) {
    const zi = load<f64>(at(z, i));
    if (load<f64>(at(sw, i)) != 0) {
      const zi1 = load<f64>(at(z, i + 1));
      store<f64>(at(z, i), zi1);
      store<f64>(at(z, i + 1), zi - load<f64>(at(dl, i)) * zi1);
    } else {
      store<f64>(at(z, i + 1), load<f64>(at(z, i + 1)) - load<f64>(at(dl, i)) * zi);
    }
  }
  store<f64>(at(z, n - 1), load<f64>(at(z, n - 1)) * load<f64>(at(du0, n - 1)));
  if (n > 1) store<f64>(at(z, n - 2), (load<f64>(at(z, n - 2)) - load<f64>(at(du1, n - 2)) * load<f64>(at(z, n - 1))) * load<f64>(at(du0, n - 2)));
  for (let i = n - 3; i >= 0; i--) {
    const v = load<f64>(at(z, i)) - load<f64>(at(du1, i)) * load<f64>(at(z, i + 1)) - load<f64>(at(du2, i)) * load<f64>(at(z, i + 2));
    store<f64>(at(z, i), v * load<f64>(at(du0, i)));
  }
}

function normalise(n: i32, z: usize): void {
  const s = 1 / Math.sqrt(dot(z, z, n));
  for (let i = 0; i < n; i++) store<f64>(at(z, i), load<f64>(at(z, i)) * s);
}

/**
 * Eigenvectors of the tridiagonal (diag, off) for its p smallest eigenvalues lambda[0..p-1] (decreasing, i.e.
 * lambda[j] = the (n-p+j)-th largest), as rows 0..p-1 of Z, by inverse iteration (LAPACK dstein): from the
 * smallest up, LU of T - lambda I, a fixed pseudo-random start (an LCG, so results depend on the input only),
 * two solves — the eigenvalue is accurate to rounding, so the first already amplifies its eigenvector (or its
 * cluster's subspace) by ~1/eps and the second cleans up — then, for a cluster (eigenvalues chained within
 * clusterGap), orthonormalisation against the cluster's vectors already computed. lu: 5n scratch, z: n.
 */
export function inverseIteration(
  n: i32, p: i32, diag: usize, off: usize, lambda: usize, clusterGap: f64, tiny: f64, Z: usize, lu: usize, z: usize,
): void {
  let seed: u32 = 0x9e3779b9;
  for (let j = p - 1; j >= 0; j--) {
    factorShifted(n, diag, off, load<f64>(at(lambda, j)), tiny, lu);
    for (let i = 0; i < n; i++) {
      seed = seed * 1664525 + 1013904223;
      store<f64>(at(z, i), <f64>seed / 4294967296 - 0.5);
    }
    let clusterEnd = j;
    while (clusterEnd + 1 < p && load<f64>(at(lambda, clusterEnd)) - load<f64>(at(lambda, clusterEnd + 1)) <= clusterGap) clusterEnd++;
    solveShifted(n, lu, z);
    normalise(n, z);
    solveShifted(n, lu, z);
    normalise(n, z);
    if (clusterEnd > j) orthonormalize(n, Z, j + 1, clusterEnd + 1, z);
    memory.copy(at(Z, j * n), z, <usize>n << 3);
  }
}
