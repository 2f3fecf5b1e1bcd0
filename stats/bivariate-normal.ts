// Standard bivariate normal distribution with correlation r: density and lower-orthant CDF.
import { normalCdf } from "./normal.js";

const TWO_PI = 2 * Math.PI;

// Gauss–Legendre nodes/weights on [-1, 1] (positive half), n = 6, 12, 20 — Genz (2004), BVND.
const W6 = [0.1713244923791705, 0.3607615730481384, 0.4679139345726904];
const X6 = [0.9324695142031522, 0.6612093864662647, 0.238619186083197];
const W12 = [
  0.04717533638651177, 0.1069393259953183, 0.1600783285433464, 0.2031674267230659, 0.2334925365383547,
  0.2491470458134029,
];
const X12 = [
  0.9815606342467191, 0.904117256370475, 0.769902674194305, 0.5873179542866171, 0.3678314989981802,
  0.1252334085114692,
];
const W20 = [
  0.01761400713915212, 0.04060142980038694, 0.06267204833410906, 0.08327674157670475, 0.1019301198172404,
  0.1181945319615184, 0.1316886384491766, 0.1420961093183821, 0.1491729864726037, 0.1527533871307259,
];
const X20 = [
  0.9931285991850949, 0.9639719272779138, 0.9122344282513259, 0.8391169718222188, 0.7463319064601508,
  0.636053680726515, 0.5108670019508271, 0.3737060887154196, 0.2277858511416451, 0.07652652113349733,
];

// Full rules on [0, 2] (nodes 1 -/+ x, weights w w), as Float64Arrays for the hot loop.
function rule(w: number[], x: number[]): { w: Float64Array; x: Float64Array } {
  const n = w.length;
  const W = new Float64Array(2 * n);
  const X = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    W[i] = w[i]!;
    W[n + i] = w[i]!;
    X[i] = 1 - x[i]!;
    X[n + i] = 1 + x[i]!;
  }
  return { w: W, x: X };
}
const RULE6 = rule(W6, X6);
const RULE12 = rule(W12, X12);
const RULE20 = rule(W20, X20);

/** phi2(x, y; r) = exp(-(x^2 - 2 r x y + y^2) / (2 (1 - r^2))) / (2 pi sqrt(1 - r^2)). */
export function bivariateNormalPdf(x: number, y: number, r: number): number {
  const s = 1 - r * r;
  if (!(s > 0)) return NaN;
  return Math.exp(-(x * x - 2 * r * x * y + y * y) / (2 * s)) / (TWO_PI * Math.sqrt(s));
}

/**
 * Upper orthant P(X > h, Y > k) for a standard bivariate normal with correlation r — Genz's BVND
 * (A. Genz 2004, "Numerical computation of rectangular bivariate and trivariate normal and t
 * probabilities", Statistics and Computing 14, 251-260; the algorithm inside mvtnorm, pbivnorm and
 * scipy's mvndst). Drezner–Wesolowsky's integral over asin(r) with 6/12/20-point Gauss–Legendre for
 * |r| < 0.3 / 0.75 / 0.925; for |r| >= 0.925 the singular part near |r| = 1 is subtracted analytically
 * and the rest integrated with 20 points. Absolute accuracy about 1e-15.
 */
export function bivariateNormalUpper(h: number, k: number, r: number): number {
  if (h === Infinity || k === Infinity) return 0;
  if (h === -Infinity) return k === -Infinity ? 1 : normalCdf(-k);
  if (k === -Infinity) return normalCdf(-h);
  if (r === 0) return normalCdf(-h) * normalCdf(-k);
  if (r >= 1) return normalCdf(-Math.max(h, k));
  if (r <= -1) return Math.max(0, normalCdf(-h) - normalCdf(k));
  const ar = Math.abs(r);
  const g = ar < 0.3 ? RULE6 : ar < 0.75 ? RULE12 : RULE20;
  const gw = g.w;
  const gx = g.x;
  const n = gw.length;
  let hk = h * k;
  let bvn = 0;
  if (ar < 0.925) {
    const hs = (h * h + k * k) / 2;
    const asr = Math.asin(r) / 2;
    for (let i = 0; i < n; i++) {
      const sn = Math.sin(asr * gx[i]!);
      bvn += gw[i]! * Math.exp((sn * hk - hs) / (1 - sn * sn));
    }
    bvn = (bvn * asr) / TWO_PI + normalCdf(-h) * normalCdf(-k);
  } else {
    if (r < 0) {
      k = -k;
      hk = -hk;
    }
    const as = 1 - r * r;
    let a = Math.sqrt(as);
    const bs = (h - k) * (h - k);
    const c = (4 - hk) / 8;
    const d = (12 - hk) / 16;
    let asr = -(bs / as + hk) / 2;
    if (asr > -100) bvn = a * Math.exp(asr) * (1 - (c * (bs - as) * (1 - (d * bs) / 5)) / 3 + (c * d * as * as) / 5);
    if (hk > -100) {
      const b = Math.sqrt(bs);
      const sp = Math.sqrt(TWO_PI) * normalCdf(-b / a);
      bvn -= Math.exp(-hk / 2) * sp * b * (1 - (c * bs * (1 - (d * bs) / 5)) / 3);
    }
    a /= 2;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const xs = (a * gx[i]!) * (a * gx[i]!);
      asr = -(bs / xs + hk) / 2;
      if (asr > -100) {
        const sp = 1 + c * xs * (1 + d * xs);
        const rs = Math.sqrt(1 - xs);
        const ep = Math.exp((-(hk / 2) * xs) / ((1 + rs) * (1 + rs))) / rs;
        sum += gw[i]! * Math.exp(asr) * (sp - ep);
      }
    }
    bvn = (a * sum - bvn) / TWO_PI;
    if (r > 0) bvn += normalCdf(-Math.max(h, k));
    else if (h >= k) bvn = -bvn;
    else {
      const L = h < 0 ? normalCdf(k) - normalCdf(h) : normalCdf(-h) - normalCdf(-k);
      bvn = L - bvn;
    }
  }
  return Math.max(0, Math.min(1, bvn));
}

/**
 * Phi2(h, k; r) given the marginals Ph = Phi(h), Pk = Phi(k) — the same value as bivariateNormalCdf,
 * bit for bit, for callers that evaluate many r at fixed (h, k) (a tetrachoric Newton solve): the
 * independence term Phi(h) Phi(k) of the Drezner-Wesolowsky integral then costs no erfc per call.
 */
export function bivariateNormalCdfGivenMarginals(h: number, k: number, r: number, Ph: number, Pk: number): number {
  const ar = Math.abs(r);
  if (!(ar < 0.925) || !Number.isFinite(h) || !Number.isFinite(k)) return bivariateNormalUpper(-h, -k, r);
  if (r === 0) return Ph * Pk;
  // The |r| < 0.925 branch of bivariateNormalUpper at (-h, -k): (-h)(-k) = hk and (-h)^2 = h^2 exactly.
  const g = ar < 0.3 ? RULE6 : ar < 0.75 ? RULE12 : RULE20;
  const gw = g.w;
  const gx = g.x;
  const n = gw.length;
  const hk = h * k;
  const hs = (h * h + k * k) / 2;
  const asr = Math.asin(r) / 2;
  let bvn = 0;
  for (let i = 0; i < n; i++) {
    const sn = Math.sin(asr * gx[i]!);
    bvn += gw[i]! * Math.exp((sn * hk - hs) / (1 - sn * sn));
  }
  bvn = (bvn * asr) / TWO_PI + Ph * Pk;
  return Math.max(0, Math.min(1, bvn));
}

/**
 * Phi2(h, k; sin b) - Phi2(h, k; sin a), for a short step [a, b] in theta = asin r (a Newton solve's): in theta,
 * d Phi2 / d theta = phi2 cos theta = exp((h k sin t - (h^2 + k^2) / 2) / cos^2 t) / (2 pi), the Drezner–Wesolowsky
 * integrand above, so the difference is its integral over [a, b], here by the 6-point Gauss–Legendre rule. For
 * |b - a| <= 0.02 below |r| = 0.925 the rule's error, ~|b - a|^13 times the integrand's 12th derivative, is far
 * below a full evaluation's 1e-15; the caller keeps longer steps and larger |r| to bivariateNormalCdfGivenMarginals.
 */
export function bivariateNormalCdfIncrement(h: number, k: number, a: number, b: number): number {
  const hk = h * k;
  const hs = (h * h + k * k) / 2;
  const c = (a + b) / 2, half = (b - a) / 2;
  let sum = 0;
  for (let i = 0; i < X6.length; i++) {
    const d = half * X6[i]!;
    const s1 = Math.sin(c - d), s2 = Math.sin(c + d);
    sum += W6[i]! * (Math.exp((s1 * hk - hs) / (1 - s1 * s1)) + Math.exp((s2 * hk - hs) / (1 - s2 * s2)));
  }
  return (sum * half) / TWO_PI;
}

/**
 * Phi2(h, k; r) = P(X < h, Y < k) for a standard bivariate normal with correlation r, |r| <= 1.
 * By symmetry of the centred normal, P(X < h, Y < k) = P(X > -h, Y > -k) = BVND(-h, -k, r).
 */
export function bivariateNormalCdf(h: number, k: number, r: number): number {
  return bivariateNormalUpper(-h, -k, r);
}
