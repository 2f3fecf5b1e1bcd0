// Observable Plot options -> standalone SVG string, rendered into a jsdom document.
// Caveats (toolchain.md): categorical legends are HTML, not SVG, and ramp legends need a canvas and crash under
// jsdom, so a figure with `color.legend` is refused here; draw the legend as marks or use vega-lite instead.
import type { PlotOptions } from "@observablehq/plot";
import { stableSvgIds } from "./stable-ids.js";
import { plotStyle, PALETTE, SIZES } from "./theme.js";

export async function plotToSvg(options: PlotOptions): Promise<string> {
  if (options.color && typeof options.color === "object" && (options.color as { legend?: unknown }).legend) {
    throw new Error("plotToSvg: Plot legends are HTML or need a canvas and are lost in SVG; draw the legend as marks or use vegaLiteToSvg");
  }
  const [{ JSDOM }, Plot] = await Promise.all([import("jsdom"), import("@observablehq/plot")]);
  const { window } = new JSDOM("");
  try {
    const color = options.color && typeof options.color === "object" ? options.color : {};
    const figure = Plot.plot({
      width: SIZES.width,
      height: SIZES.height,
      ...options,
      color: { range: [...PALETTE], ...color },
      style: { ...plotStyle(), ...(typeof options.style === "object" && options.style ? options.style : {}) },
      document: window.document,
    }) as unknown as Element;
    // With a title/subtitle/caption Plot wraps the chart in an HTML <figure>; the paper supplies captions itself.
    const svg = figure.tagName.toLowerCase() === "svg" ? figure : figure.querySelector("svg");
    if (!svg) throw new Error("plotToSvg: Plot produced no <svg>");
    // XMLSerializer keeps the xmlns attribute (outerHTML drops it and resvg then rejects the document).
    return stableSvgIds(new window.XMLSerializer().serializeToString(svg));
  } finally {
    window.close();
  }
}
