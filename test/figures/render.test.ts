import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import type { TopLevelSpec } from "vega-lite";
import { vegaLiteToSvg } from "../../figures/vega-lite.js";
import { svgToPng } from "../../figures/png.js";

const sha = (x: string | Uint8Array) => createHash("sha256").update(x).digest("hex");

const betaK: TopLevelSpec = {
  title: "Co-failure rate of the best k models",
  width: 320, height: 200,
  data: { values: [1, 2, 3, 4, 5, 6].map((k) => ({ k, beta: 0.3 / k + 0.05, kind: k % 2 ? "observed" : "copula" })) },
  mark: { type: "line", point: true },
  encoding: {
    x: { field: "k", type: "quantitative", title: "k (models)" },
    y: { field: "beta", type: "quantitative", title: "beta" },
    color: { field: "kind", type: "nominal" },
  },
};

// resvg drops text silently when it has no font; the text must change the pixels.
const withoutText = (svg: string) => svg.replace(/<text\b[^>]*>[\s\S]*?<\/text>/g, "");

test("vega-lite figure: identical SVG and PNG bytes across renders, text is drawn", async () => {
  const a = await vegaLiteToSvg(betaK);
  const b = await vegaLiteToSvg(betaK);
  assert.equal(sha(a), sha(b));
  assert.match(a, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(a, /DejaVu Sans/);
  assert.match(a, /Co-failure rate of the best k models/);
  const pngA = await svgToPng(a, { scale: 2 });
  const pngB = await svgToPng(b, { scale: 2 });
  assert.equal(sha(pngA), sha(pngB));
  assert.deepEqual([...pngA.subarray(1, 4)], [0x50, 0x4e, 0x47]); // "PNG"
  assert.ok(pngA.length > 10_000, `PNG only ${pngA.length} bytes`);
  const blankText = await svgToPng(withoutText(a), { scale: 2 });
  assert.notEqual(sha(blankText), sha(pngA), "text did not change the PNG: fonts are not being used");
  assert.ok(pngA.length > blankText.length + 2000, "text adds too few bytes to be real glyphs");
  if (process.env.COFAIL_KEEP_FIGURE) {
    const { writeFile } = await import("node:fs/promises");
    await writeFile(process.env.COFAIL_KEEP_FIGURE, pngA);
  }
});



test("an SVG does not depend on how many figures the process rendered before it (ids renumbered)", async () => {
  const spec: TopLevelSpec = {
    data: { values: [{ x: 1, y: 2 }, { x: 2, y: 3 }] },
    mark: { type: "line", clip: true },
    encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } },
  };
  const first = await vegaLiteToSvg(spec);
  await vegaLiteToSvg(spec); // advances vega's internal id counters
  const third = await vegaLiteToSvg(spec);
  assert.match(first, /clip-path="url\(#clip0\)"/);
  assert.equal(third, first);
});
