// Small multiples over pools: one facet per pool in a given order, each panel with its own x scale and its own
// y scale unless `sharedY` (a quantity with a common reference, e.g. a ratio against 1, reads best on one y axis).
import type { TopLevelSpec } from "vega-lite";

export function poolSmallMultiples(options: {
  title: string; rows: unknown[]; pools: string[]; columns: number; width: number; height: number; layer: unknown[]; sharedY?: boolean;
}): TopLevelSpec {
  return {
    title: options.title,
    data: { values: options.rows },
    facet: { field: "pool", type: "nominal", title: null, sort: options.pools, header: { labelFontSize: 12 } },
    columns: options.columns,
    spec: { width: options.width, height: options.height, layer: options.layer },
    resolve: { scale: options.sharedY ? { x: "independent" } : { x: "independent", y: "independent" } },
  } as TopLevelSpec;
}
