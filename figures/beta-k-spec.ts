// The vega-lite spec of beta(k) curves: one pool, or small multiples over pools (one facet each).
import type { TopLevelSpec } from "vega-lite";
import { curveRows, SERIES, type BetaKCurve } from "../core/beta-k-curve.js";
import { poolSmallMultiples } from "./small-multiples.js";
import { ROLE_COLOURS } from "./theme.js";

const SERIES_ORDER = [SERIES.best, SERIES.random, SERIES.sf, SERIES.full];
const SERIES_COLORS = [ROLE_COLOURS.observed, ROLE_COLOURS.random, ROLE_COLOURS.singleFactor, ROLE_COLOURS.fullCopula];
const SERIES_DASH = [[1, 0], [1, 0], [6, 3], [2, 2]];

/**
 * Log y when every plotted value (bands included) is positive: beta(k) falls geometrically at first,
 * and the flattening shows as a straight tail. With a zero anywhere, log is undefined: linear y.
 */
function useLogScale(curves: BetaKCurve[]): boolean {
  return curves.every((c) => curveRows(c).every((r) => r.beta > 0 && (r.low === undefined || r.low > 0)));
}

function layers(log: boolean) {
  const y = { field: "beta", type: "quantitative" as const, title: "β (all models wrong)", scale: log ? { type: "log" as const } : { zero: true } };
  const color = {
    field: "series", type: "nominal" as const, title: null,
    scale: { domain: SERIES_ORDER, range: SERIES_COLORS },
    legend: { orient: "bottom" as const, direction: "vertical" as const, labelLimit: 480 },
  };
  const x = { field: "k", type: "quantitative" as const, title: "k (models in the pool)", scale: { zero: false } };
  return [
    {
      transform: [{ filter: `datum.series === '${SERIES.random}'` }],
      mark: { type: "area" as const, opacity: 0.18, color: ROLE_COLOURS.random },
      encoding: { x, y: { ...y, field: "low" }, y2: { field: "high" } },
    },
    {
      mark: { type: "line" as const, strokeWidth: 1.6, clip: true },
      encoding: {
        x, y, color,
        strokeDash: { field: "series", type: "nominal" as const, scale: { domain: SERIES_ORDER, range: SERIES_DASH } },
      },
    },
    {
      transform: [{ filter: `datum.series === '${SERIES.full}'` }],
      mark: { type: "point" as const, filled: true, size: 28, color: ROLE_COLOURS.fullCopula },
      encoding: { x, y },
    },
  ];
}

export function betaKSpec(curve: BetaKCurve, title?: string): TopLevelSpec {
  return {
    title: title ?? `β of k-model sub-pools, ${curve.pool} (${curve.models.length} models, ${curve.nItems} items)`,
    width: 440,
    height: 260,
    data: { values: curveRows(curve) },
    layer: layers(useLogScale([curve])),
  } as TopLevelSpec;
}

export function betaKSmallMultiplesSpec(curves: BetaKCurve[], options: { title?: string; columns: number }): TopLevelSpec {
  return poolSmallMultiples({
    title: options.title ?? "β of k-model sub-pools, per pool",
    rows: curves.flatMap((c) => curveRows(c)),
    pools: curves.map((c) => c.pool),
    columns: options.columns,
    width: 240,
    height: 170,
    layer: layers(useLogScale(curves)),
  });
}
