// AssemblyScript source of the WebAssembly kernel behind stats/orthant.ts: the randomized-lattice sums of the
// Genz–Bretz integrand with Botev's exponential tilting (and, optionally, the single-factor control variate),
// the hot loop of every full-copula beta. Not TypeScript: compiled by `make wasm` (scripts/build-wasm.ts, asc -O3
// --enable simd) into stats/wasm/orthant-kernel.wasm.ts, whose freshness test/stats/orthant-kernel.test.ts checks;
// stats/orthant.ts keeps the readable scalar reference of the same integrand (orthantLatticeSumReference), which
// the kernel is tested against.
//
// Layout. One call sums n lattice points of one random shift. The two lanes of every f64x2 are the antithetic pair
// w and 1 - w of one lattice point, and the loop takes four lattice points per iteration (A-D), so each
// coefficient of the Cholesky factor is loaded once for eight sequential-conditioning chains. All arrays are f64 at
// byte offsets in the exported memory chosen by the caller:
//   b[d]     scaled thresholds, mu[d] tilting shifts (mu[d-1] = 0; all 0 = plain Genz–Bretz),
//   L        the strict lower triangle of the scaled Cholesky factor, packed by rows (row i has i entries),
//   q[d-1]   lattice generator (fractions z_j / n), x[d-1] the shift, advanced in place point by point,
//   zw       scratch, 8 d doubles, tables: Phi and phi at -9 + k/64, k = 0..1152 (filled by the caller).
// Arithmetic is plain IEEE f64 (no fused multiply-add), so results are the same on every machine.

const TABLE_STEP: f64 = 64;
const TABLE_LO: f64 = 9;
const TABLE_N: i32 = 1153;
const INV_SQRT_2PI: f64 = 0.3989422804014327;
const TINY: f64 = 1e-300;
/** The largest double below 1: a lattice coordinate of exactly 1 (w = |2t - 1| at t = 0) stays inside Phi^-1's domain. */
const BELOW_ONE: f64 = 0.9999999999999999;

/** First byte the caller may use. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15;
}

@inline function at(base: usize, i: i32): usize {
  return base + (<usize>i << 3);
}

/** Phi(x), Hart (1968) 5666 as in stats/orthant.ts fastNormalCdf (absolute error < 1e-14): the out-of-table lanes. */
function hartCdf(x: f64): f64 {
  const z = Math.abs(x);
  let c: f64 = 0;
  if (z <= 37) {
    const ex = Math.exp(-0.5 * z * z);
    if (z < 7.07106781186547) {
      let num = 3.52624965998911e-2 * z + 0.700383064443688;
      num = num * z + 6.37396220353165;
      num = num * z + 33.912866078383;
      num = num * z + 112.079291497871;
      num = num * z + 221.213596169931;
      num = num * z + 220.206867912376;
      let den = 8.83883476483184e-2 * z + 1.75566716318264;
      den = den * z + 16.064177579207;
      den = den * z + 86.7807322029461;
      den = den * z + 296.564248779674;
      den = den * z + 637.333633378831;
      den = den * z + 793.826512519948;
      den = den * z + 440.413735824752;
      c = (ex * num) / den;
    } else {
      let d = z + 0.65;
      d = z + 4 / d;
      d = z + 3 / d;
      d = z + 2 / d;
      d = z + 1 / d;
      c = ex / d / 2.506628274631;
    }
  }
  return x > 0 ? 1 - c : c;
}

/**
 * Phi on both lanes: the table + fifth-order Taylor series of stats/orthant.ts tableNormalCdf (tabulated Phi and
 * phi at x_k = -9 + k/64; |x - x_k| <= 1/128; absolute error < 1e-14), Hart's formula for lanes outside [-9, 9].
 */
@inline function cdf2(x: v128, tables: usize): v128 {
  const lo = f64x2.splat(-TABLE_LO), hi = f64x2.splat(TABLE_LO);
  const inside = v128.and(f64x2.gt(x, lo), f64x2.lt(x, hi));
  // Index k = round((x + 9) * 64); out-of-range lanes are clamped (their value is replaced below).
  let kf = f64x2.floor(f64x2.add(f64x2.mul(f64x2.add(x, hi), f64x2.splat(TABLE_STEP)), f64x2.splat(0.5)));
  kf = f64x2.min(f64x2.max(kf, f64x2.splat(0)), f64x2.splat(<f64>(TABLE_N - 1)));
  const k = i32x4.trunc_sat_f64x2_s_zero(kf);
  const k0 = i32x4.extract_lane(k, 0), k1 = i32x4.extract_lane(k, 1);
  const pdf = tables + (<usize>TABLE_N << 3);
  const P = v128.load64_lane(at(tables, k1), v128.load64_splat(at(tables, k0)), 1);
  const D = v128.load64_lane(at(pdf, k1), v128.load64_splat(at(pdf, k0)), 1);
  const x0 = f64x2.sub(f64x2.div(kf, f64x2.splat(TABLE_STEP)), hi);
  const d = f64x2.sub(x, x0);
  const x2 = f64x2.mul(x0, x0);
  // d (1 + d (-x0/2 + d ((x0^2 - 1)/6 + d ((3 x0 - x0^3)/24 + d (x0^4 - 6 x0^2 + 3)/120))))
  let s = f64x2.div(f64x2.add(f64x2.sub(f64x2.mul(x2, x2), f64x2.mul(f64x2.splat(6), x2)), f64x2.splat(3)), f64x2.splat(120));
  s = f64x2.add(f64x2.div(f64x2.add(f64x2.mul(f64x2.neg(x2), x0), f64x2.mul(f64x2.splat(3), x0)), f64x2.splat(24)), f64x2.mul(d, s));
  s = f64x2.add(f64x2.div(f64x2.sub(x2, f64x2.splat(1)), f64x2.splat(6)), f64x2.mul(d, s));
  s = f64x2.add(f64x2.mul(f64x2.splat(-0.5), x0), f64x2.mul(d, s));
  s = f64x2.add(f64x2.splat(1), f64x2.mul(d, s));
  s = f64x2.mul(d, s);
  let r = f64x2.add(P, f64x2.mul(D, s));
  if (!i64x2.all_true(inside)) {
    if (i64x2.extract_lane(inside, 0) == 0) r = f64x2.replace_lane(r, 0, hartCdf(f64x2.extract_lane(x, 0)));
    if (i64x2.extract_lane(inside, 1) == 0) r = f64x2.replace_lane(r, 1, hartCdf(f64x2.extract_lane(x, 1)));
  }
  return r;
}

/**
 * log(p) on both lanes for normal doubles p in (0, 1]: p = 2^e m, m in [sqrt(1/2), sqrt(2)), log m = 2 atanh(s)
 * with s = (m - 1)/(m + 1), |s| < 0.1716, summed to s^21 (remainder < 1e-17 relative); ln 2 split in two words.
 */
@inline function log2lanes(p: v128): v128 {
  const bits = p;
  const expo = i64x2.sub(i64x2.shr_u(bits, 52), i64x2.splat(1023));
  let m = v128.or(v128.and(bits, i64x2.splat(0x000fffffffffffff)), i64x2.splat(0x3ff0000000000000));
  const big = f64x2.gt(m, f64x2.splat(1.4142135623730951));
  m = v128.bitselect(f64x2.mul(m, f64x2.splat(0.5)), m, big);
  const e = f64x2.convert_low_i32x4_s(i32x4.shuffle(i64x2.sub(expo, big), expo, 0, 2, 0, 2));
  const s = f64x2.div(f64x2.sub(m, f64x2.splat(1)), f64x2.add(m, f64x2.splat(1)));
  const s2 = f64x2.mul(s, s);
  let t = f64x2.splat(1.0 / 21);
  t = f64x2.add(f64x2.splat(1.0 / 19), f64x2.mul(s2, t));
  t = f64x2.add(f64x2.splat(1.0 / 17), f64x2.mul(s2, t));
  t = f64x2.add(f64x2.splat(1.0 / 15), f64x2.mul(s2, t));
  t = f64x2.add(f64x2.splat(1.0 / 13), f64x2.mul(s2, t));
  t = f64x2.add(f64x2.splat(1.0 / 11), f64x2.mul(s2, t));
  t = f64x2.add(f64x2.splat(1.0 / 9), f64x2.mul(s2, t));
  t = f64x2.add(f64x2.splat(1.0 / 7), f64x2.mul(s2, t));
  t = f64x2.add(f64x2.splat(1.0 / 5), f64x2.mul(s2, t));
  t = f64x2.add(f64x2.splat(1.0 / 3), f64x2.mul(s2, t));
  const logm = f64x2.mul(f64x2.add(s, s), f64x2.add(f64x2.splat(1), f64x2.mul(s2, t)));
  return f64x2.add(f64x2.mul(e, f64x2.splat(6.93147180369123816490e-01)), f64x2.add(f64x2.mul(e, f64x2.splat(1.90821492927058770002e-10)), logm));
}

/**
 * Phi^-1 on both lanes, 1e-300 <= p < 1: Wichura (1988) AS 241 (PPND16, the algorithm of R's qnorm and of
 * stats/normal.ts normalQuantileInto), its three regions evaluated only where some lane needs them.
 */
@inline function quantile2(p: v128): v128 {
  const q = f64x2.sub(p, f64x2.splat(0.5));
  const central = f64x2.le(f64x2.abs(q), f64x2.splat(0.425));
  let out = f64x2.splat(0);
  if (v128.any_true(central)) {
    const r = f64x2.sub(f64x2.splat(0.180625), f64x2.mul(q, q));
    let num = f64x2.add(f64x2.mul(f64x2.splat(2509.0809287301226727), r), f64x2.splat(33430.575583588128105));
    num = f64x2.add(f64x2.mul(num, r), f64x2.splat(67265.770927008700853));
    num = f64x2.add(f64x2.mul(num, r), f64x2.splat(45921.953931549871457));
    num = f64x2.add(f64x2.mul(num, r), f64x2.splat(13731.693765509461125));
    num = f64x2.add(f64x2.mul(num, r), f64x2.splat(1971.5909503065514427));
    num = f64x2.add(f64x2.mul(num, r), f64x2.splat(133.14166789178437745));
    num = f64x2.add(f64x2.mul(num, r), f64x2.splat(3.387132872796366608));
    let den = f64x2.add(f64x2.mul(f64x2.splat(5226.495278852854561), r), f64x2.splat(28729.085735721942674));
    den = f64x2.add(f64x2.mul(den, r), f64x2.splat(39307.89580009271061));
    den = f64x2.add(f64x2.mul(den, r), f64x2.splat(21213.794301586595867));
    den = f64x2.add(f64x2.mul(den, r), f64x2.splat(5394.1960214247511077));
    den = f64x2.add(f64x2.mul(den, r), f64x2.splat(687.1870074920579083));
    den = f64x2.add(f64x2.mul(den, r), f64x2.splat(42.313330701600911252));
    den = f64x2.add(f64x2.mul(den, r), f64x2.splat(1));
    out = f64x2.div(f64x2.mul(q, num), den);
  }
  if (!i64x2.all_true(central)) {
    const pm = f64x2.min(p, f64x2.sub(f64x2.splat(1), p));
    const r = f64x2.sqrt(f64x2.neg(log2lanes(pm)));
    const near = f64x2.le(r, f64x2.splat(5));
    let tail = f64x2.splat(0);
    if (v128.any_true(v128.andnot(near, central))) {
      const t = f64x2.sub(r, f64x2.splat(1.6));
      let num = f64x2.add(f64x2.mul(f64x2.splat(7.7454501427834140764e-4), t), f64x2.splat(0.0227238449892691845833));
      num = f64x2.add(f64x2.mul(num, t), f64x2.splat(0.24178072517745061177));
      num = f64x2.add(f64x2.mul(num, t), f64x2.splat(1.27045825245236838258));
      num = f64x2.add(f64x2.mul(num, t), f64x2.splat(3.64784832476320460504));
      num = f64x2.add(f64x2.mul(num, t), f64x2.splat(5.7694972214606914055));
      num = f64x2.add(f64x2.mul(num, t), f64x2.splat(4.6303378461565452959));
      num = f64x2.add(f64x2.mul(num, t), f64x2.splat(1.42343711074968357734));
      let den = f64x2.add(f64x2.mul(f64x2.splat(1.05075007164441684324e-9), t), f64x2.splat(5.475938084995344946e-4));
      den = f64x2.add(f64x2.mul(den, t), f64x2.splat(0.0151986665636164571966));
      den = f64x2.add(f64x2.mul(den, t), f64x2.splat(0.14810397642748007459));
      den = f64x2.add(f64x2.mul(den, t), f64x2.splat(0.68976733498510000455));
      den = f64x2.add(f64x2.mul(den, t), f64x2.splat(1.6763848301838038494));
      den = f64x2.add(f64x2.mul(den, t), f64x2.splat(2.05319162663775882187));
      den = f64x2.add(f64x2.mul(den, t), f64x2.splat(1));
      tail = f64x2.div(num, den);
    }
    if (!i64x2.all_true(v128.or(near, central))) {
      const t = f64x2.sub(r, f64x2.splat(5));
      let num = f64x2.add(f64x2.mul(f64x2.splat(2.01033439929228813265e-7), t), f64x2.splat(2.71155556874348757815e-5));
      num = f64x2.add(f64x2.mul(num, t), f64x2.splat(0.0012426609473880784386));
      num = f64x2.add(f64x2.mul(num, t), f64x2.splat(0.026532189526576123093));
      num = f64x2.add(f64x2.mul(num, t), f64x2.splat(0.29656057182850489123));
      num = f64x2.add(f64x2.mul(num, t), f64x2.splat(1.7848265399172913358));
      num = f64x2.add(f64x2.mul(num, t), f64x2.splat(5.4637849111641143699));
      num = f64x2.add(f64x2.mul(num, t), f64x2.splat(6.6579046435011037772));
      let den = f64x2.add(f64x2.mul(f64x2.splat(2.04426310338993978564e-15), t), f64x2.splat(1.4215117583164458887e-7));
      den = f64x2.add(f64x2.mul(den, t), f64x2.splat(1.8463183175100546818e-5));
      den = f64x2.add(f64x2.mul(den, t), f64x2.splat(7.868691311456132591e-4));
      den = f64x2.add(f64x2.mul(den, t), f64x2.splat(0.0148753612908506148525));
      den = f64x2.add(f64x2.mul(den, t), f64x2.splat(0.13692988092273580531));
      den = f64x2.add(f64x2.mul(den, t), f64x2.splat(0.59983220655588793769));
      den = f64x2.add(f64x2.mul(den, t), f64x2.splat(1));
      tail = v128.bitselect(tail, f64x2.div(num, den), near);
    }
    tail = v128.bitselect(f64x2.neg(tail), tail, f64x2.lt(q, f64x2.splat(0)));
    out = v128.bitselect(out, tail, central);
  }
  return out;
}

/** frac(t + step) for t, step in [0, 1), as stats/orthant.ts advances a shift. */
@inline function advance(t: f64, step: f64): f64 {
  let s = t + step;
  if (s >= 1) s -= 1;
  return s;
}

/** The antithetic pair (w, 1 - w) of a lattice coordinate t, w = |2t - 1| (baker's transform). */
@inline function pairOf(t: f64): v128 {
  const w = Math.abs(2 * t - 1);
  return f64x2.replace_lane(f64x2.splat(w), 1, 1 - w);
}

/** z = mu + Phi^-1(w p) on both lanes, the argument kept inside [1e-300, BELOW_ONE]. */
@inline function draw(w: v128, p: v128, mv: v128): v128 {
  return f64x2.add(quantile2(f64x2.min(f64x2.max(f64x2.mul(w, p), f64x2.splat(TINY)), f64x2.splat(BELOW_ONE))), mv);
}

/** The tilting log-weight increment mu (mu/2 - z). */
@inline function tiltTerm(mv: v128, z: v128): v128 {
  return f64x2.mul(mv, f64x2.sub(f64x2.mul(f64x2.splat(0.5), mv), z));
}

/** f exp(e) summed over both lanes. */
@inline function weighted(f: v128, e: v128): f64 {
  return f64x2.extract_lane(f, 0) * Math.exp(f64x2.extract_lane(e, 0)) + f64x2.extract_lane(f, 1) * Math.exp(f64x2.extract_lane(e, 1));
}

/**
 * Sum over n lattice points of f(w) + f(1 - w), f the tilted Genz–Bretz integrand
 *   f(w) = prod_i Phi(t_i) * exp(sum_{i<d-1} mu_i (mu_i / 2 - z_i)),  t_i = b_i - mu_i - sum_{k<i} L_ik z_k,
 *   z_i = mu_i + Phi^-1(w_i Phi(t_i)),  w = |2 frac(x + k q) - 1| (baker's transform), k = 1..n.
 * Four lattice points (A-D) per iteration: four independent chains keep the pipelines busy through the long
 * dependency of each Phi^-1 on the previous coordinates. The shift x is advanced in place by n q. With cv != 0 also
 * sums the same for the single-factor problem (a, c, v: its closed-form Cholesky in the same variable order, see
 * stats/orthant.ts), into out[1].
 */
export function latticeSum(d: i32, n: i32, b: usize, mu: usize, L: usize, q: usize, x: usize, zw: usize, tables: usize, out: usize,
  cv: i32, a: usize, c: usize, v: usize): void {
  const zA = zw, zB = zw + (<usize>d << 4), zC = zw + (<usize>d << 5), zD = zw + <usize>d * 48;
  const one = f64x2.splat(1), zero = f64x2.splat(0);
  let sum: f64 = 0, sumG: f64 = 0;
  let k = 0;
  while (k < n) {
    const count = n - k >= 4 ? 4 : n - k; // the last iteration may have fewer points (the rest computed, not used)
    let fA = one, fB = one, fC = one, fD = one, eA = zero, eB = zero, eC = zero, eD = zero;
    let gA = one, gB = one, gC = one, gD = one, hA = zero, hB = zero, hC = zero, hD = zero;
    let SA = zero, SB = zero, SC = zero, SD = zero;
    let row = L;
    for (let i = 0; i < d; i++) {
      // s = sum_{k<i} L_ik z_k for the four points: each coefficient loaded once.
      let sA = zero, sB = zero, sC = zero, sD = zero;
      for (let j = 0; j < i; j++) {
        const l = v128.load64_splat(at(row, j));
        const o = <usize>j << 4;
        sA = f64x2.add(sA, f64x2.mul(l, v128.load(zA + o)));
        sB = f64x2.add(sB, f64x2.mul(l, v128.load(zB + o)));
        sC = f64x2.add(sC, f64x2.mul(l, v128.load(zC + o)));
        sD = f64x2.add(sD, f64x2.mul(l, v128.load(zD + o)));
      }
      row = at(row, i);
      const m = load<f64>(at(mu, i));
      const bm = f64x2.splat(load<f64>(at(b, i)) - m);
      const pA = cdf2(f64x2.sub(bm, sA), tables), pB = cdf2(f64x2.sub(bm, sB), tables);
      const pC = cdf2(f64x2.sub(bm, sC), tables), pD = cdf2(f64x2.sub(bm, sD), tables);
      fA = f64x2.mul(fA, pA); fB = f64x2.mul(fB, pB); fC = f64x2.mul(fC, pC); fD = f64x2.mul(fD, pD);
      let gpA = one, gpB = one, gpC = one, gpD = one;
      if (cv) {
        const ci = f64x2.splat(load<f64>(at(c, i)));
        const am = f64x2.splat(load<f64>(at(a, i)) - m);
        gpA = cdf2(f64x2.sub(am, f64x2.mul(ci, SA)), tables); gpB = cdf2(f64x2.sub(am, f64x2.mul(ci, SB)), tables);
        gpC = cdf2(f64x2.sub(am, f64x2.mul(ci, SC)), tables); gpD = cdf2(f64x2.sub(am, f64x2.mul(ci, SD)), tables);
        gA = f64x2.mul(gA, gpA); gB = f64x2.mul(gB, gpB); gC = f64x2.mul(gC, gpC); gD = f64x2.mul(gD, gpD);
      }
      if (i < d - 1) {
        const qi = load<f64>(at(q, i));
        const t1 = advance(load<f64>(at(x, i)), qi), t2 = advance(t1, qi), t3 = advance(t2, qi), t4 = advance(t3, qi);
        store<f64>(at(x, i), count == 4 ? t4 : count == 3 ? t3 : count == 2 ? t2 : t1);
        const wA = pairOf(t1), wB = pairOf(t2), wC = pairOf(t3), wD = pairOf(t4);
        const mv = f64x2.splat(m);
        const zAi = draw(wA, pA, mv), zBi = draw(wB, pB, mv), zCi = draw(wC, pC, mv), zDi = draw(wD, pD, mv);
        const o = <usize>i << 4;
        v128.store(zA + o, zAi); v128.store(zB + o, zBi); v128.store(zC + o, zCi); v128.store(zD + o, zDi);
        if (m != 0) {
          eA = f64x2.add(eA, tiltTerm(mv, zAi)); eB = f64x2.add(eB, tiltTerm(mv, zBi));
          eC = f64x2.add(eC, tiltTerm(mv, zCi)); eD = f64x2.add(eD, tiltTerm(mv, zDi));
        }
        if (cv) {
          const yA = draw(wA, gpA, mv), yB = draw(wB, gpB, mv), yC = draw(wC, gpC, mv), yD = draw(wD, gpD, mv);
          const vi = f64x2.splat(load<f64>(at(v, i)));
          SA = f64x2.add(SA, f64x2.mul(vi, yA)); SB = f64x2.add(SB, f64x2.mul(vi, yB));
          SC = f64x2.add(SC, f64x2.mul(vi, yC)); SD = f64x2.add(SD, f64x2.mul(vi, yD));
          if (m != 0) {
            hA = f64x2.add(hA, tiltTerm(mv, yA)); hB = f64x2.add(hB, tiltTerm(mv, yB));
            hC = f64x2.add(hC, tiltTerm(mv, yC)); hD = f64x2.add(hD, tiltTerm(mv, yD));
          }
        }
      }
    }
    sum += weighted(fA, eA);
    if (count > 1) sum += weighted(fB, eB);
    if (count > 2) sum += weighted(fC, eC);
    if (count > 3) sum += weighted(fD, eD);
    if (cv) {
      sumG += weighted(gA, hA);
      if (count > 1) sumG += weighted(gB, hB);
      if (count > 2) sumG += weighted(gC, hC);
      if (count > 3) sumG += weighted(gD, hD);
    }
    k += count;
  }
  store<f64>(out, sum);
  store<f64>(at(out, 1), sumG);
}
