// `ingest`: raw source files -> one CanonicalTable, through the adapter named in params (ingest/adapters/). Only
// the chosen adapter's code is part of the cache key (codeFiles). The checks every adapter's output must pass
// are ingest/ingest-table.ts's.
import { z } from "zod";
import { defineStage, type InputFile } from "../engine/types.js";
import { CanonicalTable } from "../core/canonical-table.js";
import { ADAPTERS, adapterModulePath, loadAdapter } from "../ingest/adapters/index.js";
import { ingestTable, readModelRegistry } from "../ingest/ingest-table.js";

export const IngestParams = z.object({
  adapter: z.enum(ADAPTERS),
  task: z.string().min(1),
  options: z.record(z.string(), z.unknown()).default({}),
});
export type IngestParams = z.infer<typeof IngestParams>;

export default defineStage({
  type: "ingest",
  description: "Reads raw per-item results through a source adapter into the canonical table",
  params: IngestParams,
  inputs: {
    files: { kind: "files", description: "raw source files (dataset files or local results)" },
    models: { kind: "files", optional: true, description: "the model registry, data/models.yaml" },
  },
  outputs: { table: { file: "table.json", kind: "json", schema: CanonicalTable, description: "canonical rows" } },
  codeFiles: (params) => [adapterModulePath(params.adapter)],
  async run(ctx) {
    const files = (ctx.inputs.files as InputFile[] | undefined) ?? [];
    const table = await ingestTable({
      adapter: await loadAdapter(ctx.params.adapter),
      adapterName: ctx.params.adapter,
      task: ctx.params.task,
      files,
      options: ctx.params.options,
      models: readModelRegistry(ctx.inputs.models as InputFile[] | undefined),
      warn: (m) => ctx.warn(m),
    });
    ctx.log(`${table.rows.length} rows, ${new Set(table.rows.map((r) => r.model)).size} models, ${new Set(table.rows.map((r) => r.item_id)).size} items`);
    return { table };
  },
});
