// One look for every figure: the pinned DejaVu Sans face (the only font resvg is given, so SVG and PNG agree),
// sizes that survive a two-column page, and the Okabe–Ito palette, which stays distinguishable under the common
// colour-vision deficiencies and in greyscale print.
import type { Config } from "vega-lite";

export const FONT_FAMILY = "DejaVu Sans";

/** Okabe & Ito (2008) "Color Universal Design" palette, black first dropped (reserved for reference lines). */
export const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"] as const;

/**
 * One colour per role, the same in every figure that shows that role (never a second colour for it, never this
 * colour for another role). A new role takes an Okabe–Ito colour no role uses yet; `test/figures/theme.test.ts`
 * checks that no two roles share one.
 */
export const ROLE_COLOURS = {
  /** beta(k): observed all-wrong rate of the best k models. */
  observed: "#000000",
  /** beta(k): observed over random k-subsets (mean line and percentile band). */
  random: "#0072B2",
  /** The single-factor Gaussian copula's prediction. */
  singleFactor: "#E69F00",
  /** The full Gaussian copula's prediction. */
  fullCopula: "#D55E00",
  /** Verdicts as graded, evaluation artifacts (grader defects, wrong references) included. */
  raw: "#CC79A7",
  /** Verdicts after the audit: all-wrong items that are grader defects or reference errors fixed or removed. */
  audited: "#009E73",
  /** Reference lines (ratio 1, no effect). */
  reference: "#8c8c8c",
} as const;

export const SIZES = {
  width: 480,
  height: 300,
  fontSize: 11,
  titleSize: 13,
  labelSize: 10,
  strokeWidth: 1.5,
} as const;

/** Font files resvg loads (project-relative); nothing else, so the PNG never depends on the machine's fonts. */
export const FONT_FILES = ["assets/fonts/DejaVuSans.ttf", "assets/fonts/DejaVuSans-Bold.ttf"] as const;

export function vegaLiteConfig(): Config {
  return {
    font: FONT_FAMILY,
    background: "white",
    view: { stroke: null },
    range: { category: [...PALETTE] },
    axis: {
      labelFont: FONT_FAMILY, titleFont: FONT_FAMILY, labelFontSize: SIZES.labelSize,
      titleFontSize: SIZES.fontSize, grid: true, gridColor: "#e6e6e6",
    },
    legend: { labelFont: FONT_FAMILY, titleFont: FONT_FAMILY, labelFontSize: SIZES.labelSize, titleFontSize: SIZES.fontSize },
    title: { font: FONT_FAMILY, fontSize: SIZES.titleSize, anchor: "start" },
    header: { labelFont: FONT_FAMILY, titleFont: FONT_FAMILY },
    line: { strokeWidth: SIZES.strokeWidth },
  };
}

/** Inline style for Observable Plot's root <svg>; Plot's default is system-ui, which resvg would map to an arbitrary face. */
export function plotStyle(): Record<string, string> {
  return {
    fontFamily: `'${FONT_FAMILY}', sans-serif`,
    fontSize: `${SIZES.labelSize}px`,
    background: "white",
    color: "black",
  };
}
