// vega-lite spec -> static SVG string, headless: compile to vega, render with the "none" renderer (no canvas),
// serialise. vega estimates text widths from character counts when `canvas` is absent, which keeps the layout
// independent of installed fonts and therefore byte-stable.
import type { TopLevelSpec } from "vega-lite";
import { svgToPng } from "./png.js";
import { stableSvgIds } from "./stable-ids.js";
import { vegaLiteConfig } from "./theme.js";

export async function vegaLiteToSvg(spec: TopLevelSpec): Promise<string> {
  // Heavy and ESM-only (vega-lite uses top-level await): loaded on first use, not when the catalog loads.
  const [vega, vegaLite] = await Promise.all([import("vega"), import("vega-lite")]);
  const themed = { ...spec, config: mergeConfig(vegaLiteConfig() as Record<string, unknown>, (spec.config ?? {}) as Record<string, unknown>) } as TopLevelSpec;
  const compiled = vegaLite.compile(themed).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return compactSvg(stableSvgIds(await view.toSVG()));
  } finally {
    view.finalize();
  }
}

const GEOMETRY_ATTRS = /\s(d|transform|x|y|x1|y1|x2|y2|width|height|r|cx|cy|points|stroke-width)="([^"]*)"/g;

/**
 * Smaller SVG with the same picture: geometry rounded to 0.01 px (vega writes 15-digit coordinates; a hundredth of a
 * pixel is far below what resvg or a browser resolves) and rgb() colours as hex. Text content is left alone.
 */
export function compactSvg(svg: string): string {
  const round = (v: string) => v.replace(/-?\d+\.\d{3,}/g, (n) => {
    const r = Math.round(Number(n) * 100) / 100;
    return String(Object.is(r, -0) ? 0 : r);
  });
  const hex = (n: string) => Number(n).toString(16).padStart(2, "0");
  return svg
    .replace(GEOMETRY_ATTRS, (_m, name: string, value: string) => ` ${name}="${round(value)}"`)
    .replace(/rgb\((\d{1,3}), ?(\d{1,3}), ?(\d{1,3})\)/g, (_m, r: string, g: string, b: string) => `#${hex(r)}${hex(g)}${hex(b)}`);
}

/** The output declarations of a figure stage: the vega-lite spec, its SVG and its PNG, named after the figure. */
export function figureOutputs<N extends string>(name: N) {
  return {
    spec: { file: `${name}.vl.json`, kind: "json" as const },
    svg: { file: `${name}.svg`, kind: "text" as const },
    png: { file: `${name}.png`, kind: "binary" as const },
  };
}

/** A vega-lite figure stage's three outputs: the spec, its SVG and its PNG (figures/png.ts). */
export async function renderVegaLite(spec: TopLevelSpec): Promise<{ spec: TopLevelSpec; svg: string; png: Uint8Array }> {
  const svg = await vegaLiteToSvg(spec);
  return { spec, svg, png: await svgToPng(svg) };
}

// The spec's own config wins over the theme, one level deep (enough for axis/legend/title blocks).
function mergeConfig(base: Record<string, unknown>, own: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(own)) {
    const b = out[k];
    out[k] = isPlainObject(b) && isPlainObject(v) ? { ...b, ...v } : v;
  }
  return out;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}
