import { test } from "node:test";
import assert from "node:assert/strict";
import { formatInterval, formatLevel, formatValue } from "../../paper/format.js";

test("fixed, pct, ratio round half away from zero on the decimal the reader sees", () => {
  assert.equal(formatValue(0.052, "pct:1"), "5.2%");
  assert.equal(formatValue(0.0125, "pct:1"), "1.3%"); // 0.0125*100 is 1.2499999… in binary
  assert.equal(formatValue(1.005, "fixed:2"), "1.01"); // (1.005).toFixed(2) gives "1.00"
  assert.equal(formatValue(0.0519, "fixed:3"), "0.052");
  assert.equal(formatValue(2.45, "ratio:1"), "2.5×");
  assert.equal(formatValue(99.99, "fixed:1"), "100.0");
  assert.equal(formatValue(0.7, "fixed:0"), "1");
  assert.equal(formatValue(5e-7, "fixed:2"), "0.00");
});

test("negative values use a minus sign and never print -0", () => {
  assert.equal(formatValue(-0.0004, "fixed:3"), "0.000");
  assert.equal(formatValue(-2.5, "int"), "−3");
  assert.equal(formatValue(-0.25, "pct:0"), "−25%");
  assert.equal(formatValue(-0, "fixed:1"), "0.0");
});

test("int, count and sci", () => {
  assert.equal(formatValue(43, "int"), "43");
  assert.equal(formatValue(1319, "count"), "1,319");
  assert.equal(formatValue(1234567.8, "count"), "1,234,568");
  assert.equal(formatValue(999, "count"), "999");
  assert.equal(formatValue(0.00234, "sci:2"), "2.34×10⁻³");
  assert.equal(formatValue(9.996e-5, "sci:2"), "1.00×10⁻⁴"); // carry into the next power of ten
  assert.equal(formatValue(123456, "sci:1"), "1.2×10⁵");
});

test("default: integers grouped, others three significant digits", () => {
  assert.equal(formatValue(43), "43");
  assert.equal(formatValue(12345), "12,345");
  assert.equal(formatValue(0.05201109), "0.0520");
  assert.equal(formatValue(12.345), "12.3");
  assert.equal(formatValue(0.9996), "1.00");
  assert.equal(formatValue(2e-6), "2.00×10⁻⁶");
});

test("unknown or incomplete formats throw instead of printing something", () => {
  assert.throws(() => formatValue(1, "pct"), /needs a digit count/);
  assert.throws(() => formatValue(1, "percent:1"), /unknown number format/);
});

test("non-finite values", () => {
  assert.equal(formatValue(Infinity, "fixed:2"), "∞");
  assert.equal(formatValue(NaN, "fixed:2"), "NaN");
});

test("intervals and levels", () => {
  assert.equal(formatInterval({ lower: 1.7, upper: 3.44 }, "ratio:1"), "[1.7×, 3.4×]");
  assert.equal(formatInterval({ lower: 0.0411, upper: 0.0674, level: 0.95 }, "pct:1"), "[4.1%, 6.7%]");
  assert.equal(formatLevel(0.9), "90%");
  assert.equal(formatLevel(0.975), "97.5%");
});

test("does not depend on the process locale", () => {
  const saved = process.env.LANG;
  process.env.LANG = "de_DE.UTF-8";
  try {
    assert.equal(formatValue(1234.5, "count"), "1,235");
    assert.equal(formatValue(0.5, "fixed:2"), "0.50");
  } finally {
    if (saved === undefined) delete process.env.LANG; else process.env.LANG = saved;
  }
});
