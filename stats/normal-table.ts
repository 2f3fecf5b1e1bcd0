// The standard normal CDF of the orthant integrand's hot loop: Hart's formula and a table + Taylor-series form.
// One module for the scalar reference (stats/orthant.ts) and the tables the WebAssembly kernel
// (stats/wasm/orthant-kernel.as.ts) is handed, so both evaluate the very same function.

const INV_SQRT_2PI = 0.3989422804014327;

/**
 * Standard normal CDF, Hart (1968) algorithm 5666 as given by G. West (2005), "Better approximations
 * to cumulative normal functions", Wilmott; absolute error below 1e-14. Used in the hot loop because
 * it needs one exp and no erfc call.
 */
export function fastNormalCdf(x: number): number {
  const z = Math.abs(x);
  let c: number;
  if (z > 37) {
    c = 0;
  } else {
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

/*
 * Table-driven Phi for the hot loop: Phi and phi tabulated at x_k = -TABLE_LO + k/64 (West-Hart values), and
 * Phi(x_k + d) = Phi(x_k) + phi(x_k) (d - x d^2/2 + (x^2-1) d^3/6 - (x^3-3x) d^4/24 + (x^4-6x^2+3) d^5/120)
 * (Taylor series; the derivatives of phi are Hermite polynomials times phi), |d| <= 1/128, so the
 * truncation error is below phi(x) d^6 |He_5(x)| / 720 < 1e-15. Two loads and ~12 flops instead of an exp.
 */
export const TABLE_STEP = 64;
export const TABLE_LO = 9;
export const TABLE_N = 2 * TABLE_LO * TABLE_STEP + 1;
/** Phi(x_k), then phi(x_k), k = 0..TABLE_N-1: the layout the WebAssembly kernel reads. */
export const NORMAL_TABLES = new Float64Array(2 * TABLE_N);
const PHI_TABLE = NORMAL_TABLES.subarray(0, TABLE_N);
const PDF_TABLE = NORMAL_TABLES.subarray(TABLE_N);
for (let k = 0; k < TABLE_N; k++) {
  const x = -TABLE_LO + k / TABLE_STEP;
  PHI_TABLE[k] = fastNormalCdf(x);
  PDF_TABLE[k] = INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

/** Phi(x) by table + Taylor series on [-9, 9]; exact formula outside (rare). Absolute error < 1e-14. */
export function tableNormalCdf(x: number): number {
  if (x <= -TABLE_LO || x >= TABLE_LO) return fastNormalCdf(x);
  const k = Math.floor((x + TABLE_LO) * TABLE_STEP + 0.5);
  const x0 = k / TABLE_STEP - TABLE_LO;
  const d = x - x0, x2 = x0 * x0;
  const series = d * (1 + d * (-0.5 * x0 + d * ((x2 - 1) / 6 + d * ((-x2 * x0 + 3 * x0) / 24 + d * ((x2 * x2 - 6 * x2 + 3) / 120)))));
  return PHI_TABLE[k]! + PDF_TABLE[k]! * series;
}
