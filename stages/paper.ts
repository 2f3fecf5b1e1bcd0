// The paper: paper/paper.md (a `local:` dataset, so editing prose reruns only this stage) + every stage's
// published results and provenance + generated tables and figures -> build/paper/paper.html and numbers.json.
// All the work is in paper/render/ (pure); this adapter reads the input files and hands over ctx.gitCommit.
import { readFile } from "node:fs/promises";
import { z } from "zod";
import type { InputFile } from "../engine/types.js";
import { defineStage } from "../engine/types.js";
import { provenanceFromFiles, resultsFromFiles, type JsonFile } from "../paper/render/records.js";
import { renderPaper, type LoadedFile } from "../paper/render/render.js";
import { Table } from "../core/table.js";

const Params = z.object({
  /** Extra phrases allowed to contain digits in the prose, e.g. model names with a spaced version. */
  allow: z.array(z.string()).default([]),
  /** Render claims that evaluate to false (flagged) instead of failing the build. */
  allowFalseClaims: z.boolean().default(false),
});

async function loadJson(files: unknown): Promise<JsonFile[]> {
  return Promise.all((await load(files)).map((f) => {
    try {
      return { name: f.name, json: JSON.parse(Buffer.from(f.bytes).toString("utf8")) as unknown };
    } catch (e) {
      throw new Error(`${f.name} is not valid JSON: ${(e as Error).message}`);
    }
  }));
}

async function load(files: unknown): Promise<LoadedFile[]> {
  const list = (Array.isArray(files) ? files : []) as InputFile[];
  return Promise.all(list.map(async (f) => ({ ...f, bytes: new Uint8Array(await readFile(f.path)) })));
}

export default defineStage({
  type: "paper",
  description: "render paper/paper.md to a standalone HTML page where every number links to its provenance",
  params: Params,
  stampsGitCommit: true,
  inputs: {
    source: { kind: "files", description: "the paper's markdown: a local dataset holding paper/paper.md" },
    // Files, not json: the logical name "<stage>/results.json" is what says which stage published a result.
    results: { kind: "files", description: "published results of every stage: \"*.results\"" },
    provenance: { kind: "files", optional: true, description: "provenance records of every stage: \"*.provenance\"" },
    tables: { kind: "files", optional: true, description: "generated tables (json, core/table.ts shape), e.g. [beta-math-l5.table]" },
    figures: { kind: "files", optional: true, description: "generated figures (svg or png outputs), e.g. \"fig-*.svg\"" },
  },
  outputs: {
    html: { file: "paper.html", kind: "text", headline: true, description: "standalone paper, figures inline, provenance appendix" },
    numbers: { file: "numbers.json", kind: "json", snapshot: true, description: "every number used: id, raw value, rendered text, where used" },
  },
  async run(ctx) {
    const sources = (ctx.inputs.source ?? []) as InputFile[];
    const markdowns = sources.filter((f) => f.name.endsWith(".md"));
    if (markdowns.length !== 1) {
      throw new Error(`input "source" must hold exactly one .md file, got: ${sources.map((f) => f.name).join(", ") || "none"}`);
    }
    const source = markdowns[0]!;
    const provenance = provenanceFromFiles(await loadJson(ctx.inputs.provenance)).filter((r) => r.stage !== ctx.id);
    const rendered = renderPaper({
      markdown: await readFile(source.path, "utf8"),
      sourceName: source.name,
      results: resultsFromFiles(await loadJson(ctx.inputs.results), provenance),
      provenance,
      tables: await load(ctx.inputs.tables),
      figures: await load(ctx.inputs.figures),
      parseTable: (json, name) => {
        const parsed = Table.safeParse(json);
        if (!parsed.success) throw new Error(`${name} is not a table: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
        return parsed.data;
      },
      gitCommit: ctx.gitCommit,
      allow: ctx.params.allow,
      allowFalseClaims: ctx.params.allowFalseClaims,
    });
    for (const w of rendered.warnings) ctx.warn(w);
    ctx.log(`${rendered.numbers.numbers.length} numbers, ${rendered.numbers.tables.length} tables, ${rendered.numbers.figures.length} figures`);
    return { html: rendered.html, numbers: rendered.numbers };
  },
});
