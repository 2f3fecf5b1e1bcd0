// The outputs of a vega-lite figure stage: the spec, and the SVG and PNG rendered from it (figures/vega-lite.ts,
// renderVegaLite returns exactly these three).
import type { OutputSpec } from "../engine/types.js";

export function figureOutputs(name: string): { spec: OutputSpec; svg: OutputSpec; png: OutputSpec } {
  return {
    svg: { file: `${name}.svg`, kind: "text" },
    png: { file: `${name}.png`, kind: "binary" },
    spec: { file: `${name}.vl.json`, kind: "json" },
  };
}
