// `fig-headroom`: per pool, every model's error rate (dots), the best single model's (tick) and beta, the error rate
// of the ceiling 1 - beta (diamond, with its 95% Clopper-Pearson interval). The gap between the best model and the
// ceiling is the headroom: all that any router, vote or cascade over the pool could add. The axis is the share of
// items wrong on a log scale, reversed and labelled as accuracy, so that 90%, 99% and 99.9% are equally far apart
// and a pool near the top (GSM8K) is as readable as one far from it (GPQA).
import { z } from "zod";
import { defineStage } from "../engine/types.js";
import { renderVegaLite } from "../figures/vega-lite.js";
import { ROLE_COLOURS } from "../figures/theme.js";
import { Table } from "../core/table.js";

const Interval = z.object({ lower: z.number(), upper: z.number() });
const Row = z.object({
  pool: z.string(),
  beta: z.number(),
  ceiling: z.number(),
  cp95: Interval.optional(),
  best: z.object({ model: z.string(), accuracy: z.number() }),
}).passthrough();
type Row = z.infer<typeof Row>;

const ROLES = { model: "a model", bestSingle: "best single model", oracle: "ceiling 1 − β (95% CI)" } as const;
/** Error rates below this are drawn at it (log scale): a pool with beta = 0 or a perfect model. */
const FLOOR = 2e-4;

export function headroomSpec(rows: Row[], dots: { pool: string; accuracy: number }[], label: (p: string) => string) {
  const err = (acc: number) => Math.max(FLOOR, 1 - acc);
  const pools = rows.map((r) => label(r.pool));
  const values = [
    ...dots.map((d) => ({ pool: d.pool, err: err(d.accuracy), role: ROLES.model, kind: "dot" })),
    ...rows.map((r) => ({ pool: label(r.pool), err: err(r.best.accuracy), err2: Math.max(FLOOR, r.beta), role: ROLES.bestSingle, kind: "best" })),
    ...rows.map((r) => ({ pool: label(r.pool), err: Math.max(FLOOR, r.beta), lo: Math.max(FLOOR, r.cp95?.lower ?? r.beta), hi: Math.max(FLOOR, r.cp95?.upper ?? r.beta), role: ROLES.oracle, kind: "ceiling" })),
  ];
  const all = values.flatMap((v) => [v.err, "lo" in v ? v.lo : v.err]);
  const lo = Math.min(...all) / 1.5, hi = Math.min(1, Math.max(...values.map((v) => ("hi" in v ? v.hi : v.err))) * 1.3);
  const ticks = [0.8, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001, 0.0005].filter((t) => t >= lo && t <= hi);
  const x = {
    field: "err", type: "quantitative", title: "accuracy (axis: share of items wrong, log scale)",
    scale: { type: "log", domain: [hi, lo], nice: false },
    axis: { values: ticks, labelExpr: "format(1 - datum.value, datum.value < 0.0015 ? '.2%' : datum.value < 0.015 ? '.1%' : '.0%')", labelOverlap: false, grid: true },
  };
  const y = { field: "pool", type: "nominal", title: null, sort: pools, axis: { labelFontSize: 11 } };
  const colour = {
    field: "role", type: "nominal", title: null,
    scale: { domain: Object.values(ROLES), range: [ROLE_COLOURS.model, ROLE_COLOURS.bestSingle, ROLE_COLOURS.oracle] },
    legend: { orient: "bottom", direction: "horizontal", labelLimit: 300 },
  };
  const only = (kind: string) => [{ filter: `datum.kind === '${kind}'` }];
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: "Headroom per pool: the best single model against the ceiling 1 − β",
    width: 560, height: 34 * rows.length,
    data: { values },
    layer: [
      { transform: only("best"), mark: { type: "rule", strokeWidth: 9, opacity: 0.18, color: ROLE_COLOURS.oracle }, encoding: { x, x2: { field: "err2" }, y } },
      { transform: only("dot"), mark: { type: "point", filled: true, size: 28, opacity: 0.7 }, encoding: { x, y, color: colour } },
      { transform: only("ceiling"), mark: { type: "rule", strokeWidth: 1.8 }, encoding: { x: { ...x, field: "lo" }, x2: { field: "hi" }, y, color: colour } },
      { transform: only("best"), mark: { type: "tick", thickness: 3, size: 22, opacity: 1 }, encoding: { x, y, color: colour } },
      { transform: only("ceiling"), mark: { type: "point", shape: "diamond", filled: true, size: 90, opacity: 1 }, encoding: { x, y, color: colour } },
    ],
  };
}

export default defineStage({
  type: "fig-headroom",
  description: "Figure: model accuracies, best single model and the co-failure ceiling with its interval per pool, on a log-error axis",
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
    spec: { file: "headroom.vl.json", kind: "json" },
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
    const floored = sorted.filter((r) => r.beta < FLOOR || r.best.accuracy > 1 - FLOOR).map((r) => r.pool);
    if (floored.length) ctx.warn(`pools drawn at the axis floor ${FLOOR} (beta or best error below it): ${floored.join(", ")}`);
    return renderVegaLite(headroomSpec(sorted, dots, label) as never);
  },
});
