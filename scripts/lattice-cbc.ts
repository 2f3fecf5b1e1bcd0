/**
 * Rank-1 lattice rules by the fast component-by-component construction (Nuyens & Cools 2006, "Fast algorithms for
 * component-by-component construction of rank-1 lattice rules in shift-invariant reproducing kernel Hilbert
 * spaces", Math. Comp. 75, 903–920): for a prime number of points n and product weights gamma_j, choose
 * z_1, z_2, ... in turn, each minimising the squared worst-case error of the periodic (Korobov, alpha = 2) space
 *   e^2(z_1..z_j) = -1 + (1/n) sum_k prod_{i<=j} (1 + gamma_i omega({k z_i / n})),   omega(x) = 2 pi^2 B_2(x),
 * B_2(x) = x^2 - x + 1/6 — the criterion of Sloan & Joe (1994) that the lattice rules of Genz's MVKBRV were
 * tuned on, for integrands periodised by the baker's transform. For all n - 1 candidates at once the sums are one
 * cyclic correlation over the multiplicative group mod n (ordered by powers of a primitive root), done with FFTs:
 * O(D n log n) instead of O(D n^2). A CBC vector is good for every dimension up to its length (its first D
 * components were chosen for D dimensions), so one vector per n serves every problem size.
 *
 * Used by scripts/build-lattice.ts to tabulate stats/lattice-rules.ts (the rules are data, not computed at run
 * time); test/stats/lattice.test.ts recomputes the small ones and compares with a brute-force CBC.
 */

/** In-place iterative radix-2 complex FFT of length 2^m (sign -1 forward, +1 inverse, unnormalised). */
function fft(re: Float64Array, im: Float64Array, cos: Float64Array, sin: Float64Array, sign: 1 | -1): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      let t = re[i]!; re[i] = re[j]!; re[j] = t;
      t = im[i]!; im[i] = im[j]!; im[j] = t;
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const half = len >> 1, stride = n / len;
    for (let i = 0; i < n; i += len) {
      for (let k = 0; k < half; k++) {
        const wr = cos[k * stride]!, wi = sign * sin[k * stride]!;
        const a = i + k, b = a + half;
        const xr = re[b]! * wr - im[b]! * wi, xi = re[b]! * wi + im[b]! * wr;
        re[b] = re[a]! - xr; im[b] = im[a]! - xi;
        re[a] = re[a]! + xr; im[a] = im[a]! + xi;
      }
    }
  }
}

/** (b^e) mod n for n < 2^26 without overflow. */
function powMod(b: number, e: number, n: number): number {
  let r = 1, x = b % n;
  while (e > 0) {
    if (e & 1) r = mulMod(r, x, n);
    x = mulMod(x, x, n);
    e = Math.floor(e / 2);
  }
  return r;
}

function mulMod(a: number, b: number, n: number): number {
  // a, b < n < 2^26: split b to keep products below 2^53.
  const hi = Math.floor(b / 65536), lo = b % 65536;
  return ((((a * hi) % n) * 65536) % n + ((a * lo) % n)) % n;
}

export function isPrime(n: number): boolean {
  if (n < 2) return false;
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return true;
}

/** The smallest primitive root mod the prime n. */
export function primitiveRoot(n: number): number {
  const phi = n - 1;
  const factors: number[] = [];
  let m = phi;
  for (let p = 2; p * p <= m; p++) if (m % p === 0) { factors.push(p); while (m % p === 0) m /= p; }
  if (m > 1) factors.push(m);
  for (let g = 2; g < n; g++) if (factors.every((p) => powMod(g, phi / p, n) !== 1)) return g;
  return 1; // n = 2
}

const omega = (k: number, n: number) => {
  const x = k / n;
  return 2 * Math.PI * Math.PI * (x * x - x + 1 / 6);
};

/** The default product weights gamma_j = 1 / j^2 (j = 1, 2, ...): leading coordinates matter most after reordering. */
export const DEFAULT_WEIGHT = (j: number) => 1 / ((j + 1) * (j + 1));

/**
 * Fast CBC generating vector (z_1..z_D, integers in 1..n-1) for the prime n. Among candidates with equal criterion
 * (to rounding) the first in primitive-root order is kept, so the result is deterministic.
 */
export function cbcLattice(n: number, D: number, gamma: (j: number) => number = DEFAULT_WEIGHT): Int32Array {
  if (!isPrime(n) || n < 3) throw new RangeError(`cbcLattice: n = ${n} must be an odd prime`);
  const L = n - 1;
  let F = 1;
  while (F < 2 * L) F <<= 1;
  const g = primitiveRoot(n);
  const perm = new Int32Array(L); // perm[a] = g^a mod n
  perm[0] = 1;
  for (let a = 1; a < L; a++) perm[a] = mulMod(perm[a - 1]!, g, n);
  const cos = new Float64Array(F / 2), sin = new Float64Array(F / 2);
  for (let k = 0; k < F / 2; k++) { cos[k] = Math.cos((2 * Math.PI * k) / F); sin[k] = Math.sin((2 * Math.PI * k) / F); }
  // W[e] = omega(g^e / n) on two periods: S(c) = sum_a P[a] W[a + c] is then a linear correlation.
  const Wr = new Float64Array(F), Wi = new Float64Array(F);
  for (let e = 0; e < 2 * L; e++) Wr[e] = omega(perm[e % L]!, n);
  fft(Wr, Wi, cos, sin, -1);
  const p = new Float64Array(n).fill(1);
  const z = new Int32Array(D);
  const Pr = new Float64Array(F), Pi = new Float64Array(F);
  for (let j = 0; j < D; j++) {
    Pr.fill(0); Pi.fill(0);
    for (let a = 0; a < L; a++) Pr[(F - a) % F] = p[perm[a]!]!; // reversed: correlation as convolution
    fft(Pr, Pi, cos, sin, -1);
    for (let i = 0; i < F; i++) {
      const r = Pr[i]! * Wr[i]! - Pi[i]! * Wi[i]!, m = Pr[i]! * Wi[i]! + Pi[i]! * Wr[i]!;
      Pr[i] = r; Pi[i] = m;
    }
    fft(Pr, Pi, cos, sin, 1);
    let best = 0, bestValue = Infinity;
    for (let c = 0; c < L; c++) {
      const v = Pr[c]! / F;
      if (c === 0 || v < bestValue - 1e-12 * Math.abs(bestValue)) { bestValue = v; best = c; }
    }
    const zj = perm[best]!;
    z[j] = zj;
    const gj = gamma(j);
    for (let k = 0; k < n; k++) p[k] = p[k]! * (1 + gj * omega(mulMod(k, zj, n), n));
  }
  return z;
}

/** The criterion e^2 above for a given vector (O(n D): for tests). */
export function latticeCriterion(n: number, z: ArrayLike<number>, gamma: (j: number) => number = DEFAULT_WEIGHT): number {
  let s = 0;
  for (let k = 0; k < n; k++) {
    let prod = 1;
    for (let j = 0; j < z.length; j++) prod *= 1 + gamma(j) * omega(mulMod(k, z[j]!, n), n);
    s += prod;
  }
  return s / n - 1;
}
