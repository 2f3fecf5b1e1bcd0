// The vega-lite spec of a robustness figure: one row per set of conventions (the paper's first), one panel per
// headline (observed β, single-factor ratio, full-copula ratio), the whole pool as a filled dot and the best k as
// an open one; a dashed line at ratio 1. Ratios span orders of magnitude (log axis; symlog when one is 0).
import type { TopLevelSpec } from "vega-lite";
import type { RobustnessPoints } from "../core/robustness.js";
import { ROLE_COLOURS, SIZES } from "./theme.js";

export interface RobustnessDot { pool: string; row: string; order: number; panel: string; set: string; value: number }

const PANELS = [
  { panel: "observed β", keys: ["beta", "beta.kK"], colour: ROLE_COLOURS.observed },
  { panel: "observed / single-factor β", keys: ["ratio.sf", "ratio.sf.kK"], colour: ROLE_COLOURS.singleFactor },
  { panel: "observed / full-copula β", keys: ["ratio.full", "ratio.full.kK"], colour: ROLE_COLOURS.fullCopula },
] as const;

export function robustnessDots(points: RobustnessPoints[]): RobustnessDot[] {
  const dots: RobustnessDot[] = [];
  for (const p of points) {
    p.rows.forEach((r, order) => {
      for (const panel of PANELS) {
        panel.keys.forEach((key, j) => {
          const v = r.values[key];
          if (v === null || v === undefined) return;
          dots.push({ pool: p.pool, row: r.key === "baseline" ? "paper's conventions" : r.label, order, panel: panel.panel, set: j === 0 ? "all models" : `best ${p.k}`, value: v });
        });
      }
    });
  }
  return dots;
}

/** One panel per headline, side by side; one such band per pool (rows), for a single pool or several. */
export function robustnessSpec(points: RobustnessPoints[], options: { title: string }): TopLevelSpec {
  const dots = robustnessDots(points);
  const rowsPerPool = Math.max(...points.map((p) => p.rows.length));
  const panel = (def: (typeof PANELS)[number], band: RobustnessDot[]) => {
    const values = band.filter((d) => d.panel === def.panel);
    const ratio = def.keys[0] !== "beta";
    const positive = values.every((d) => d.value > 0);
    return {
      width: 170,
      height: Math.max(60, 16 * rowsPerPool),
      title: { text: def.panel, fontSize: SIZES.fontSize },
      transform: [{ filter: { field: "panel", equal: def.panel } }],
      layer: [
        ...(ratio ? [{ mark: { type: "rule", color: ROLE_COLOURS.reference, strokeDash: [4, 3], strokeWidth: 1 }, encoding: { x: { datum: 1, type: "quantitative" } } }] : []),
        {
          mark: { type: "point", size: 42, strokeWidth: 1.5, color: def.colour },
          encoding: {
            x: {
              field: "value", type: "quantitative", title: null,
              scale: ratio ? (positive ? { type: "log" } : { type: "symlog", constant: 1 }) : { zero: true },
              axis: { labelFontSize: SIZES.labelSize, tickCount: 4 },
            },
            y: {
              field: "row", type: "nominal", title: null, sort: { field: "order", order: "ascending" },
              axis: def.keys[0] === "beta" ? { labelFontSize: SIZES.labelSize, labelLimit: 320 } : { labels: false, ticks: false },
            },
            fill: { condition: { test: "datum.set === 'all models'", value: def.colour }, value: "white" },
            tooltip: [{ field: "row" }, { field: "set" }, { field: "value", format: ".3g" }],
          },
        },
      ],
    };
  };
  // Each pool its own scales (a ratio axis is log when every value is positive, symlog when one is 0).
  const band = (p: RobustnessPoints, titled: boolean) => {
    const own = dots.filter((d) => d.pool === p.pool);
    return {
      ...(titled ? { title: { text: `${p.label} (${p.pool})`, fontSize: SIZES.fontSize, anchor: "start" } } : {}),
      data: { values: own },
      hconcat: PANELS.map((def) => panel(def, own)),
      resolve: { scale: { y: "shared", x: "independent" } },
    };
  };
  return {
    title: { text: options.title, subtitle: "filled: all models; open: the best k", subtitleFontSize: SIZES.labelSize },
    ...(points.length === 1 ? band(points[0]!, false) : { vconcat: points.map((p) => band(p, true)), resolve: { scale: { x: "independent", y: "independent" } } }),
    config: { concat: { spacing: 8 } },
  } as unknown as TopLevelSpec;
}
