// A small, fully wired paper for the renderer tests, in the engine's own file formats: each stage's
// results.json ({id, value, ...options}, no stage or key) and provenance.json (its lock entry, no stage id),
// named "<stage>/<file>" as the engine names upstream outputs; three analysis stage runs chained down to two
// raw files, one table and two figures (SVG and PNG).
import { createHash } from "node:crypto";
import { provenanceFromFiles, resultsFromFiles, type JsonFile } from "../../paper/render/records.js";
import type { LoadedFile, RenderOptions } from "../../paper/render/render.js";

export const sha = (x: string | Uint8Array) => createHash("sha256").update(x).digest("hex");

export const KEYS = {
  ingest: "a".repeat(64), grade: "b".repeat(64), beta: "c".repeat(64), fig: "d".repeat(64), table: "e".repeat(64),
};

export const RAW_FILES = [
  { name: "zeroeval-math-l5/raw/result_dirs/math-l5/gpt-4o.json", url: "https://raw.githubusercontent.com/WildEval/ZeroEval/8c1485e/result_dirs/math-l5/gpt-4o.json", sha256: "1".repeat(64) },
  { name: "zeroeval-math-l5/raw/result_dirs/math-l5/claude.json", url: "https://raw.githubusercontent.com/WildEval/ZeroEval/8c1485e/result_dirs/math-l5/claude.json", sha256: "2".repeat(64) },
];

export const RESULTS = [
  { id: "math-l5.beta", value: 0.05201109570041609, format: "pct:1",
    ci: { lower: 0.0378, upper: 0.0695, level: 0.95, method: "clopper-pearson" }, description: "all-wrong rate" },
  { id: "math-l5.n.items", value: 721, format: "count" },
  { id: "math-l5.n.models", value: 43, format: "int" },
  { id: "math-l5.ratio", value: 2.4871, format: "ratio:1", mcError: 0.0021 },
];

const entry = (o: { type: string; key: string; seed: number; params: object; inputs: object; outputs: object }) => ({
  type: o.type, key: o.key, seed: o.seed, code: { [`stages/${o.type}.ts`]: "9".repeat(64) }, packages: {}, params: o.params,
  inputs: o.inputs, outputs: o.outputs, warnings: [],
});

export const FIGURE_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="240" height="120" viewBox="0 0 240 120">` +
  `<rect width="240" height="120" fill="white"/><rect x="20" y="30" width="60" height="70" fill="#0072B2"/>` +
  `<rect x="100" y="60" width="60" height="40" fill="#E69F00"/><text x="20" y="20" font-family="DejaVu Sans" font-size="12">beta by k</text></svg>`;

export const TABLE = {
  title: "Pools",
  caption: "One row per pool",
  columns: [{ key: "pool", label: "Pool" }, { key: "beta", label: "beta", format: "fixed:3" }, { key: "n", label: "Items", format: "count" }],
  rows: [{ pool: "math-l5", beta: 0.05201, n: 721 }, { pool: "gsm", beta: 0.00455, n: 1319 }],
  notes: ["beta: all-wrong rate"],
};

const out = (file: string, sha256: string) => ({ file, sha256, bytes: 1 });

/** Everything the paper stage would receive, already read from disk. */
export function fixtureFiles(png?: Uint8Array): { results: JsonFile[]; provenance: JsonFile[]; tables: LoadedFile[]; figures: LoadedFile[] } {
  const svgBytes = new TextEncoder().encode(FIGURE_SVG);
  const tableBytes = new TextEncoder().encode(JSON.stringify(TABLE));
  const figures: LoadedFile[] = [{ name: "fig-beta-k/beta-k.svg", path: "/nonexistent/beta-k.svg", sha256: sha(svgBytes), bytes: svgBytes }];
  const figOutputs: Record<string, object> = { svg: out("beta-k.svg", sha(svgBytes)), results: out("results.json", "7".repeat(64)) };
  if (png) {
    figures.push({ name: "fig-beta-k/beta-k.png", path: "/nonexistent/beta-k.png", sha256: sha(png), bytes: png });
    figOutputs.png = out("beta-k.png", sha(png));
  }
  const provenance: JsonFile[] = [
    { name: "beta-math-l5/provenance.json", json: entry({ type: "cofailure", key: KEYS.beta, seed: 13, params: { pool: "math-l5" },
      inputs: { table: [{ ref: "grade-math-l5.table", name: "grade-math-l5/table.json", sha256: "5".repeat(64), upstreamKey: KEYS.grade }] },
      outputs: { summary: out("summary.json", "6".repeat(64)) } }) },
    { name: "fig-beta-k/provenance.json", json: entry({ type: "fig-beta-k", key: KEYS.fig, seed: 14, params: {},
      inputs: { summary: [{ ref: "beta-math-l5.summary", name: "beta-math-l5/summary.json", sha256: "6".repeat(64), upstreamKey: KEYS.beta }] },
      outputs: figOutputs }) },
    { name: "grade-math-l5/provenance.json", json: entry({ type: "grade", key: KEYS.grade, seed: 12, params: { grader: "math" },
      inputs: { table: [{ ref: "ingest-math-l5.table", name: "ingest-math-l5/table.json", sha256: "4".repeat(64), upstreamKey: KEYS.ingest }] },
      outputs: { table: out("table.json", "5".repeat(64)) } }) },
    { name: "ingest-math-l5/provenance.json", json: { ...entry({ type: "ingest", key: KEYS.ingest, seed: 11, params: { adapter: "zeroeval", task: "math-l5" },
      inputs: { files: RAW_FILES.map((f) => ({ ref: "dataset:math-l5", ...f })) },
      outputs: { table: out("table.json", "4".repeat(64)) } }), somethingNew: { ignored: true } } },
    { name: "table-pools/provenance.json", json: entry({ type: "table-pools", key: KEYS.table, seed: 15, params: {},
      inputs: { summary: [{ ref: "beta-math-l5.summary", name: "beta-math-l5/summary.json", sha256: "6".repeat(64), upstreamKey: KEYS.beta }] },
      outputs: { table: out("table.json", sha(tableBytes)) } }) },
  ];
  return {
    results: [{ name: "beta-math-l5/results.json", json: RESULTS }, { name: "fig-beta-k/results.json", json: [] }],
    provenance,
    tables: [{ name: "table-pools/table.json", path: "/nonexistent/table.json", sha256: sha(tableBytes), bytes: tableBytes }],
    figures,
  };
}

/** Render options for the fixture, as the paper stage builds them. */
export function fixtureOptions(markdown: string, png?: Uint8Array): RenderOptions {
  const files = fixtureFiles(png);
  const provenance = provenanceFromFiles(files.provenance);
  return {
    markdown, sourceName: "paper/paper.md", results: resultsFromFiles(files.results, provenance), provenance,
    tables: files.tables, figures: files.figures, gitCommit: "0123456789abcdef0123456789abcdef01234567-dirty",
  };
}

export const MARKDOWN = `# A fixture paper

## Results

Across {{math-l5.n.models}} models and {{math-l5.n.items}} items, every model is wrong on {{math-l5.beta}} of the
items, i.e. {{math-l5.beta|ci}}. The copula underprices the tail by {{math-l5.ratio}}{{claim: math-l5.ratio > 1.5}}.
The raw value is {{math-l5.beta|fixed:4}}; the syntax is \`{{math-l5.beta}}\` (in code, not rendered).

{{table:table-pools.table}}

{{figure:fig-beta-k.svg|Observed beta of the best *k* models.}}

{{figure:fig-beta-k.png|The same figure as PNG.}}

:::published Chen (2026), abstract
Observed beta is 0.052 versus 0.023 under the copula.
:::
`;
