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
    return stableSvgIds(await view.toSVG());
  } finally {
    view.finalize();
  }
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
