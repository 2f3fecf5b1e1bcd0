// One look for every figure: the pinned DejaVu Sans face (the only font resvg is given, so SVG and PNG agree),
// sizes that survive a two-column page, and the Okabe–Ito palette, which stays distinguishable under the common
// colour-vision deficiencies and in greyscale print.
import type { Config } from "vega-lite";

export const FONT_FAMILY = "DejaVu Sans";

/** Okabe & Ito (2008) "Color Universal Design" palette, black first dropped (reserved for reference lines). */
export const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"] as const;

/**
 * One colour per role, the same in every figure that shows that role (never a second colour for it, never this
 * colour for another role). Okabe–Ito first, then Paul Tol's "muted"/"vibrant" colours for the roles beyond its
 * eight; `test/figures/theme.test.ts` checks that no two roles share one and that every figure stage draws its
 * series from this map. A figure never falls back to a categorical palette for a role listed here.
 */
export const ROLE_COLOURS = {
  /** Observed all-wrong rate (beta(k) of the best k models; the observed tail). */
  observed: "#000000",
  /** Observed over random k-subsets (mean line and percentile band). */
  random: "#56B4E9",
  /** The single-factor Gaussian copula's prediction. */
  singleFactor: "#E69F00",
  /** The full Gaussian copula's prediction. */
  fullCopula: "#882255",
  /** Verdicts as graded, evaluation artifacts (grader defects, wrong references) included. */
  raw: "#CC79A7",
  /** Verdicts after the audit: all-wrong items that are grader defects or reference errors fixed or removed. */
  audited: "#009E73",
  /** Reference lines (ratio 1, no effect, fitted lines). */
  reference: "#8c8c8c",
  /** Individual models of a pool (dots). */
  model: "#b8b8b8",
  /** The best single model (in-sample, or chosen on the training split). */
  bestSingle: "#0072B2",
  /** The oracle router / the ceiling 1 - beta. */
  oracle: "#D55E00",
  /** Plurality or majority vote. */
  vote: "#332288",
  /** A trained router (feature-cell router, logistic router on item text). */
  router: "#EE3377",
  /** A router built from per-model correctness predictors (route to the model most likely right). */
  predictor: "#999933",
  /** Self-MoA: k samples of one model. */
  selfMoa: "#661100",
  /** Heterogeneous ensemble: k different models. */
  hetero: "#44AA99",
  /** Multiple-choice answer format (options shown). */
  multipleChoice: "#117733",
  /** Free-response answer format (no options). */
  freeResponse: "#DDCC77",
} as const;
export type Role = keyof typeof ROLE_COLOURS;

/** A light-to-role sequential ramp, for positive-only quantities (counts, correlations in [0, 1]). */
export function sequentialRamp(role: Role): [string, string] {
  return ["#f7f7f7", ROLE_COLOURS[role]];
}

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
    // No per-mark ARIA labels: a 71-model heatmap would carry 5,000 of them (a megabyte of SVG); the paper gives
    // every figure its alt text and caption instead.
    aria: false,
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
