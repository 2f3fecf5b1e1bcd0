// SVG -> PNG with resvg and only the vendored DejaVu fonts: without fontFiles resvg silently drops all text,
// and with system fonts the face (and so the bytes) would depend on the machine.
import { fileURLToPath } from "node:url";
import { FONT_FAMILY, FONT_FILES } from "./theme.js";

const projectDir = fileURLToPath(new URL("..", import.meta.url));

export interface PngOptions {
  /** Pixel density relative to the SVG's own size (2 = retina / print-friendly). */
  scale?: number;
  background?: string;
}

export async function svgToPng(svg: string, options: PngOptions = {}): Promise<Uint8Array> {
  const { Resvg } = await import("@resvg/resvg-js");
  const resvg = new Resvg(svg, {
    fitTo: { mode: "zoom", value: options.scale ?? 2 },
    background: options.background ?? "white",
    font: {
      loadSystemFonts: false,
      fontFiles: FONT_FILES.map((f) => projectDir + f),
      defaultFontFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
    },
  });
  return new Uint8Array(resvg.render().asPng());
}
