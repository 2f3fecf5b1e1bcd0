// `fig-headroom`: per pool, every model's accuracy (dots), the best single model and the ceiling 1 - beta (ticks).
// The gap between the two ticks is the headroom: all that any router, vote or cascade over the pool could add.
// Drawn with Observable Plot (a dot/tick chart on a band scale is what Plot does simply); the legend is drawn as
// text marks on the first row, since Plot's own legends are HTML and would be lost in the SVG.
import { z } from "zod";
import { defineStage } from "../engine/types.js";
import { svgToPng } from "../figures/png.js";
import { plotToSvg } from "../figures/plot.js";
import { PALETTE } from "../figures/theme.js";
import { Table } from "../core/table.js";

const Row = z.object({
  pool: z.string(),
  beta: z.number(),
  ceiling: z.number(),
  best: z.object({ model: z.string(), accuracy: z.number() }),
}).passthrough();
type Row = z.infer<typeof Row>;

export default defineStage({
  type: "fig-headroom",
  description: "Figure: model accuracies, best single model and the co-failure ceiling per pool (Observable Plot)",
  params: z.object({
    /** Pools top to bottom; pools not listed follow in name order. */
    order: z.array(z.string()).default([]),
    labels: z.record(z.string(), z.string()).default({}),
  }).default({ order: [], labels: {} }),
  inputs: {
    rows: { kind: "json", schema: Row, description: "`row` outputs of the cofailure stages" },
    models: { kind: "json", schema: Table, description: "`models` tables of the same cofailure stages" },
  },
  outputs: {
    svg: { file: "headroom.svg", kind: "text" },
    png: { file: "headroom.png", kind: "binary" },
  },
  async run(ctx) {
    const rows = ctx.inputs.rows as Row[];
    const tables = ctx.inputs.models as Table[];
    if (rows.length !== tables.length) throw new Error(`fig-headroom: ${rows.length} rows but ${tables.length} models tables`);
    // Both globs expand in stage-id order, so row i and table i come from the same stage; check it anyway.
    const label = (pool: string) => ctx.params.labels[pool] ?? pool;
    const dots = rows.flatMap((row, i) => {
      const table = tables[i]!;
      if (!table.title.endsWith(` ${row.pool}`)) throw new Error(`fig-headroom: models table "${table.title}" does not belong to pool ${row.pool}`);
      return table.rows.map((m) => ({ pool: label(row.pool), accuracy: Number(m.accuracy) }));
    });
    const rank = (pool: string) => {
      const k = ctx.params.order.indexOf(pool);
      return k < 0 ? ctx.params.order.length : k;
    };
    const sorted = [...rows].sort((a, b) => rank(a.pool) - rank(b.pool) || a.pool.localeCompare(b.pool));
    const ticks = sorted.map((r) => ({ pool: label(r.pool), best: r.best.accuracy, ceiling: r.ceiling }));
    const first = ticks.slice(0, 1);
    const Plot = await import("@observablehq/plot");
    const svg = await plotToSvg({
      height: 70 + 44 * ticks.length,
      marginLeft: 110,
      marginRight: 110,
      marginTop: 36,
      x: { domain: [0, 1], label: "accuracy →", tickFormat: "%", grid: true },
      y: { domain: ticks.map((t) => t.pool), label: null },
      marks: [
        Plot.dot(dots, { x: "accuracy", y: "pool", r: 3.5, fill: "#8c8c8c", fillOpacity: 0.45 }),
        Plot.link(ticks, { x1: "best", x2: "ceiling", y1: "pool", y2: "pool", stroke: PALETTE[1], strokeWidth: 6, strokeOpacity: 0.35 }),
        Plot.tickX(ticks, { x: "best", y: "pool", stroke: PALETTE[0], strokeWidth: 2.5 }),
        Plot.tickX(ticks, { x: "ceiling", y: "pool", stroke: PALETTE[1], strokeWidth: 2.5 }),
        Plot.text(first, { x: "best", y: "pool", text: () => "best single", dy: -22, textAnchor: "end", fill: PALETTE[0], fontWeight: "bold" }),
        Plot.text(first, { x: "ceiling", y: "pool", text: () => "ceiling 1 − β", dy: -22, textAnchor: "start", fill: PALETTE[1], fontWeight: "bold" }),
      ],
    });
    return { svg, png: await svgToPng(svg) };
  },
});
