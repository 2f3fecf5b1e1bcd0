// Runs an ingest adapter and checks what every adapter's output must satisfy: non-empty, valid canonical rows of
// the stage's task, no duplicate (item, model, sample); items missing for some models are allowed but reported.
import { readFileSync, statSync } from "node:fs";
import type { InputFile } from "../engine/types.js";
import { CanonicalRow, type CanonicalTable } from "../core/canonical-table.js";
import { parseModelRegistry, type ModelRegistry } from "../core/model-registry.js";
import type { Adapter } from "./adapters/types.js";

export interface IngestInput {
  adapter: Adapter;
  adapterName: string;
  task: string;
  files: InputFile[];
  options: Record<string, unknown>;
  models: ModelRegistry;
  warn(message: string): void;
}

const rowKey = (r: Pick<CanonicalRow, "item_id" | "model" | "sample">) => `${r.item_id}\u0000${r.model}\u0000${r.sample}`;

/** Runs an adapter and checks its output; pure apart from the adapter's own file reads. */
export async function ingestTable(input: IngestInput): Promise<CanonicalTable> {
  const { files, adapterName } = input;
  if (files.length === 0) throw new Error(`ingest (${adapterName}, task ${input.task}): no input files`);
  for (const f of files) {
    let size: number;
    try { size = statSync(f.path).size; } catch (e) { throw new Error(`${f.name}: cannot be read: ${(e as Error).message}`); }
    if (size === 0) throw new Error(`${f.name}: empty file (0 bytes)`);
  }
  const warnings: string[] = [];
  const warn = (m: string) => {
    if (warnings.includes(m)) return; // one notice per distinct message (e.g. an unknown model named per file)
    warnings.push(m);
    input.warn(m);
  };
  const adapterCtx = { task: input.task, files, options: input.options, models: input.models, warn };
  const raw = await input.adapter(adapterCtx);
  if (raw.length === 0) {
    throw new Error(`ingest (${adapterName}, task ${input.task}): the adapter produced no rows from ${files.map((f) => f.name).join(", ")}`);
  }
  const rows = raw.map((r, i) => {
    const parsed = CanonicalRow.safeParse(r);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.path.join(".");
      const value = issue.path.reduce<unknown>((o, k) => (o as Record<PropertyKey, unknown> | undefined)?.[k as PropertyKey], r);
      throw new Error(
        `ingest (${adapterName}): row ${i} (item "${r?.item_id}", model "${r?.model}"): ${field}: ${issue.message} (got ${JSON.stringify(value)})`,
      );
    }
    if (parsed.data.task !== input.task) {
      throw new Error(`ingest (${adapterName}): row ${i} has task "${parsed.data.task}", expected "${input.task}"`);
    }
    return parsed.data;
  });
  const seen = new Set<string>();
  for (const r of rows) {
    const key = rowKey(r);
    if (seen.has(key)) {
      const where = await locateRow(input, adapterCtx, key);
      throw new Error(
        `ingest (${adapterName}): duplicate row for item "${r.item_id}", model "${r.model}", sample ${r.sample}` +
          (where.length ? ` (in ${where.join(", ")})` : ` (in ${files.map((f) => f.name).join(", ")})`),
      );
    }
    seen.add(key);
  }
  const coverage = missingItemsWarning(rows);
  if (coverage) warn(coverage);
  return { task: input.task, source: { adapter: adapterName, files: files.map((f) => f.name) }, rows, warnings };
}

/**
 * Names the file(s) a duplicated row comes from, by re-running the adapter on each file alone. Only
 * done on the error path; an adapter that needs several files together simply yields no location.
 */
async function locateRow(input: IngestInput, ctx: Parameters<Adapter>[0], key: string): Promise<string[]> {
  if (input.files.length === 1) return [input.files[0]!.name];
  const hits: string[] = [];
  for (const f of input.files) {
    try {
      const n = (await input.adapter({ ...ctx, files: [f], warn: () => {} })).filter((r) => rowKey(r) === key).length;
      if (n > 0) hits.push(n > 1 ? `${f.name} (${n} times)` : f.name);
    } catch { /* this file cannot be read alone: skip */ }
  }
  return hits;
}

/** One warning summarising models that lack items other models have (allowed: the pool stage decides). */
export function missingItemsWarning(rows: CanonicalRow[]): string | undefined {
  const items = new Set<string>();
  const perModel = new Map<string, Set<string>>();
  for (const r of rows) {
    items.add(r.item_id);
    let s = perModel.get(r.model);
    if (!s) perModel.set(r.model, (s = new Set()));
    s.add(r.item_id);
  }
  const short = [...perModel].filter(([, s]) => s.size < items.size).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (short.length === 0) return undefined;
  const detail = short.map(([m, s]) => `${m} lacks ${items.size - s.size}`).join(", ");
  return `${short.length} of ${perModel.size} models miss items present for other models (${items.size} items in all): ${detail}`;
}

/** The model registry from the ingest stage's optional `models` input (at most one file). */
export function readModelRegistry(files: InputFile[] | undefined): ModelRegistry {
  if (!files || files.length === 0) return { models: {}, byAlias: new Map() };
  if (files.length > 1) throw new Error(`ingest: input "models" must be one file (data/models.yaml), got ${files.length}`);
  const f = files[0]!;
  return parseModelRegistry(readFileSync(f.path, "utf8"), f.name);
}
