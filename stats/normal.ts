// Standard normal distribution: density, CDF, log-CDF and quantile.
// These sit inside the hottest loops of the pipeline (bivariate normal CDF, tetrachoric root finding,
// single-factor quadrature), so they are plain functions on numbers with no argument checking beyond NaN.

const INV_SQRT_2PI = 0.3989422804014327; // 1 / sqrt(2 pi)
const LOG_SQRT_2PI = 0.9189385332046728; // log(sqrt(2 pi))

/** phi(x) = exp(-x^2/2) / sqrt(2 pi). */
export function normalPdf(x: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

/**
 * erfc(x), complementary error function: fdlibm's s_erf.c (Sun Microsystems 1993, as ported by @stdlib
 * math-base-special-erfc), error < 1 ulp. Inlined here because the @stdlib wrapper chain costs ~5x a
 * bare exp() per call and Phi sits inside every bivariate-normal and copula quadrature loop. The one
 * change: fdlibm's "clear the low word" split of |x| (so that z*z is exact) uses Math.fround, which
 * serves the same purpose (24 significant bits, exact square).
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax < 0.84375) {
    if (ax < 1.3877787807814457e-17) return 1 - x;
    const z = x * x;
    const r = 0.12837916709551256 + z * (-0.3250421072470015 + z * (-0.02848174957559851 + z * (-0.005770270296489442 + z * -0.000023763016656650163)));
    const s = 1 + z * (0.39791722395915535 + z * (0.0650222499887673 + z * (0.005081306281875766 + z * (0.00013249473800432164 + z * -0.000003960228278775368))));
    const y = r / s;
    if (x < 0.25) return 1 - (x + x * y);
    return 0.5 - (x * y + (x - 0.5));
  }
  if (ax < 1.25) {
    const s = ax - 1;
    const p = -0.0023621185607526594 + s * (0.41485611868374833 + s * (-0.3722078760357013 + s * (0.31834661990116175 + s * (-0.11089469428239668 + s * (0.035478304325618236 + s * -0.002166375594868791)))));
    const q = 1 + s * (0.10642088040084423 + s * (0.540397917702171 + s * (0.07182865441419627 + s * (0.12617121980876164 + s * (0.01363708391202905 + s * 0.011984499846799107)))));
    const erx = 0.8450629115104675;
    return x < 0 ? 1 + erx + p / q : 1 - erx - p / q;
  }
  if (ax < 28) {
    const s = 1 / (ax * ax);
    let r: number;
    let t: number;
    if (ax < 2.857142857142857) {
      r = -0.009864944034847148 + s * (-0.6938585727071818 + s * (-10.558626225323291 + s * (-62.375332450326006 + s * (-162.39666946257347 + s * (-184.60509290671104 + s * (-81.2874355063066 + s * -9.814329344169145))))));
      t = 1 + s * (19.651271667439257 + s * (137.65775414351904 + s * (434.56587747522923 + s * (645.3872717332679 + s * (429.00814002756783 + s * (108.63500554177944 + s * (6.570249770319282 + s * -0.0604244152148581)))))));
    } else {
      if (x < -6) return 2;
      r = -0.009864942924700099 + s * (-0.799283237680523 + s * (-17.757954917754752 + s * (-160.63638485582192 + s * (-637.5664433683896 + s * (-1025.0951316110772 + s * -483.5191916086514)))));
      t = 1 + s * (30.33806074348246 + s * (325.7925129965739 + s * (1536.729586084437 + s * (3199.8582195085955 + s * (2553.0504064331644 + s * (474.52854120695537 + s * -22.44095244658582))))));
    }
    const z = Math.fround(ax);
    const v = (Math.exp(-z * z - 0.5625) * Math.exp((z - ax) * (z + ax) + r / t)) / ax;
    return x < 0 ? 2 - v : v;
  }
  return x < 0 ? 2 : 0;
}

const SQRT2_HI = 1.4142135623730951; // sqrt(2) rounded to double (what @stdlib divides by)
const SQRT2_LO = -9.667293313452913e-17; // sqrt(2) - SQRT2_HI
const SPLIT = 134217729; // 2^27 + 1, Dekker/Veltkamp splitting constant
const TWO_OVER_SQRT_PI = 1.1283791670955126;

/**
 * Phi(x) = P(Z <= x) = erfc(-x / sqrt 2) / 2, with erfc above (fdlibm, < 1 ulp). Going through erfc
 * rather than 1 + erf keeps relative accuracy in the lower tail.
 * Rounding u = -x / sqrt 2 to a double would alone cost a relative error of about x^2 * 2^-53 (1e-13 at
 * x = -30), so for x < -1 the rounding residual du = (-x - sqrt2 * u) / sqrt2 is computed exactly
 * (Dekker's two-product against a double-double sqrt 2) and applied to first order:
 * erfc(u + du) = erfc(u) - (2 / sqrt pi) exp(-u^2) du. Relative accuracy ~1e-15 down to Phi(-37).
 */
export function normalCdf(x: number): number {
  const half = 0.5 * erfc(-x / SQRT2_HI); // u = -x / sqrt 2, rounded
  if (!(x < -1) || x < -40) return half; // (below -38.5 Phi underflows to 0 anyway)
  const u = -x / SQRT2_HI;
  // Exact product u * SQRT2_HI = p + err (Dekker 1971).
  const p = u * SQRT2_HI;
  let c = SPLIT * u;
  const uh = c - (c - u);
  const ul = u - uh;
  c = SPLIT * SQRT2_HI;
  const hh = c - (c - SQRT2_HI);
  const hl = SQRT2_HI - hh;
  const err = uh * hh - p + uh * hl + ul * hh + ul * hl;
  const du = (-x - p - err - u * SQRT2_LO) / SQRT2_HI;
  return half - 0.5 * TWO_OVER_SQRT_PI * Math.exp(-u * u) * du;
}

/**
 * log Phi(x), accurate in both tails.
 * - x > 5: log1p(-Phi(-x)) (Phi(x) is 1 - tiny; log1p keeps the tiny part).
 * - -37 <= x <= 5: log(Phi(x)); Phi is relative-accurate there.
 * - x < -37 (Phi underflows): the Laplace/Mills-ratio asymptotic series
 *   log Phi(x) = -x^2/2 - log(-x) - log sqrt(2 pi) + log(1 - 1/x^2 + 3/x^4 - 15/x^6 + 105/x^8 - 945/x^10 + ...)
 *   (Abramowitz & Stegun 26.2.12); at |x| >= 37 the first omitted term is < 2e-15.
 */
export function logNormalCdf(x: number): number {
  if (x > 5) return Math.log1p(-normalCdf(-x)) + 0; // + 0 turns log1p(-0) = -0 into 0
  if (x >= -37) return Math.log(normalCdf(x));
  if (x === -Infinity) return -Infinity;
  const z = 1 / (x * x);
  const series = 1 - z * (1 - z * (3 - z * (15 - z * (105 - z * 945))));
  return -0.5 * x * x - Math.log(-x) - LOG_SQRT_2PI + Math.log(series);
}

/**
 * Phi^-1(p): Wichura (1988), Algorithm AS 241 "The percentage points of the normal distribution",
 * Applied Statistics 37(3), 477-484 — PPND16, relative accuracy about 1e-16; the same algorithm as
 * R's qnorm(). Returns -Infinity / Infinity at p = 0 / 1 and NaN outside [0, 1].
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  normalQuantileInto(p, quantileScratch, 0);
  return quantileScratch[0]!;
}
const quantileScratch = new Float64Array(1);

/**
 * out[at] = Phi^-1(p) for 1e-300 <= p < 1: Wichura (1988) AS 241 (PPND16), the algorithm of R's qnorm and
 * of normalQuantile above, for 0 < p < 1 (~1e-16 relative). Why the store form: it writes into a
 * Float64Array and returns nothing. V8 does not inline a function this large, and a
 * non-inlined function returning a double allocates a heap number per call — 132 per integrand pair,
 * which showed up as ~15% of the run time in garbage collection (this version: ~9% faster overall).
 */
export function normalQuantileInto(p: number, out: Float64Array, at: number): void {
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    out[at] =
      (q *
        (((((((2509.0809287301226727 * r + 33430.575583588128105) * r + 67265.770927008700853) * r +
          45921.953931549871457) * r + 13731.693765509461125) * r + 1971.5909503065514427) * r +
          133.14166789178437745) * r + 3.387132872796366608)) /
      (((((((5226.495278852854561 * r + 28729.085735721942674) * r + 39307.89580009271061) * r +
        21213.794301586595867) * r + 5394.1960214247511077) * r + 687.1870074920579083) * r +
        42.313330701600911252) * r + 1);
    return;
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let val: number;
  if (r <= 5) {
    r -= 1.6;
    val =
      (((((((7.7454501427834140764e-4 * r + 0.0227238449892691845833) * r + 0.24178072517745061177) * r +
        1.27045825245236838258) * r + 3.64784832476320460504) * r + 5.7694972214606914055) * r +
        4.6303378461565452959) * r + 1.42343711074968357734) /
      (((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r +
        0.14810397642748007459) * r + 0.68976733498510000455) * r + 1.6763848301838038494) * r +
        2.05319162663775882187) * r + 1);
  } else {
    r -= 5;
    val =
      (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r +
        0.026532189526576123093) * r + 0.29656057182850489123) * r + 1.7848265399172913358) * r +
        5.4637849111641143699) * r + 6.6579046435011037772) /
      (((((((2.04426310338993978564e-15 * r + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r +
        7.868691311456132591e-4) * r + 0.0148753612908506148525) * r + 0.13692988092273580531) * r +
        0.59983220655588793769) * r + 1);
  }
  out[at] = q < 0 ? -val : val;
}
