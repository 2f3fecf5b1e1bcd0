// The vega-lite spec of the common-mode-atom signature: per pool (one panel each), observed beta of the best k
// over the single-factor copula's prediction against k, for raw and audited verdicts, with a reference line at 1.
import type { TopLevelSpec } from "vega-lite";
import type { AtomRatioCurve, PoolPair } from "../core/atom-ratio.js";
import { poolSmallMultiples } from "./small-multiples.js";
import { ROLE_COLOURS } from "./theme.js";

export const ATOM_SERIES = {
  raw: "raw verdicts",
  audited: "audited verdicts",
} as const;

export interface AtomRatioRow { pool: string; k: number; series: string; ratio: number }

/** Long-format rows: one per (pool, k, raw | audited) where the ratio is a number (see core/atom-ratio.ts). */
export function atomRatioRows(pairs: PoolPair<AtomRatioCurve>[]): AtomRatioRow[] {
  const rows: AtomRatioRow[] = [];
  for (const pair of pairs) {
    for (const [role, curve] of [["raw", pair.raw], ["audited", pair.audited]] as const) {
      if (!curve) continue;
      for (const p of curve.points) if (p.ratio !== null) rows.push({ pool: pair.pool, k: p.k, series: ATOM_SERIES[role], ratio: p.ratio });
    }
  }
  return rows;
}

/**
 * Log y when every ratio is positive (the raw ratio spans orders of magnitude across pools; 1 sits mid-axis).
 * An audited pool whose best k leave no item all-wrong has ratio 0: then symlog, linear below 1 and log above.
 */
function yScale(rows: AtomRatioRow[]) {
  return rows.every((r) => r.ratio > 0) ? { type: "log" as const } : { type: "symlog" as const, constant: 1 };
}

export function atomRatioSpec(pairs: PoolPair<AtomRatioCurve>[], options: { title?: string; columns: number }): TopLevelSpec {
  const rows = atomRatioRows(pairs);
  const roles = pairs.some((p) => p.audited) ? (["raw", "audited"] as const) : (["raw"] as const);
  const x = { field: "k", type: "quantitative" as const, title: "k (best models in the pool)", scale: { zero: false, nice: false } };
  const y = { field: "ratio", type: "quantitative" as const, title: "observed β / single-factor β", scale: yScale(rows) };
  return poolSmallMultiples({
    title: options.title ?? "Observed over single-factor copula β of the best k models, per pool",
    rows,
    pools: pairs.map((p) => p.pool),
    columns: options.columns,
    width: 240,
    height: 170,
    sharedY: true,
    layer: [
      {
        // One rule per panel (a datum encoding alone would draw one per data row).
        transform: [{ aggregate: [{ op: "count", as: "n" }], groupby: ["pool"] }],
        mark: { type: "rule", color: ROLE_COLOURS.reference, strokeDash: [4, 3], strokeWidth: 1 },
        encoding: { y: { datum: 1, type: "quantitative" } },
      },
      {
        mark: { type: "line", strokeWidth: 1.8, clip: true },
        encoding: {
          x, y,
          color: {
            field: "series", type: "nominal", title: null,
            scale: { domain: roles.map((r) => ATOM_SERIES[r]), range: roles.map((r) => ROLE_COLOURS[r]) },
            legend: { orient: "bottom", direction: "horizontal", symbolType: "stroke" },
          },
        },
      },
    ],
  });
}
