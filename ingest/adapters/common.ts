// Small helpers every adapter shares: source-qualified model resolution, duplicate detection, verdict parsing.
import type { CanonicalRow } from "../../core/canonical-table.js";
import { resolveModel, type ResolvedModel } from "../../core/model-registry.js";
import type { AdapterContext } from "./types.js";

/**
 * Resolves a model name as spelled by one source. Short names collide across sources ("DeepSeek-V3" is the
 * Dec-2024 checkpoint on MathArena but the moving deepseek-chat endpoint on LiveCodeBench), so the registry may
 * carry source-qualified aliases "<source>:<name>"; they win over the plain name.
 */
export function resolveSourceModel(ctx: AdapterContext, source: string | undefined, name: string): ResolvedModel {
  // Memoised per adapter run, so an unknown model is warned about once, not once per row.
  let memo = resolved.get(ctx);
  if (!memo) resolved.set(ctx, (memo = new Map()));
  const key = `${source ?? ""}\u0000${name}`;
  let m = memo.get(key);
  if (!m) {
    const qualified = `${source}:${name}`;
    const useQualified = source !== undefined && ctx.models.byAlias.has(qualified.toLowerCase());
    m = resolveModel(ctx.models, useQualified ? qualified : name, ctx.warn);
    memo.set(key, m);
  }
  return m;
}
const resolved = new WeakMap<AdapterContext, Map<string, ResolvedModel>>();

/** Base fields of a row for a resolved model. */
export function modelFields(m: ResolvedModel): Pick<CanonicalRow, "model" | "provider" | "family"> {
  return m.family === undefined ? { model: m.name, provider: m.provider } : { model: m.name, provider: m.provider, family: m.family };
}

/** Tracks (item, model, sample) keys; a second occurrence is an error naming both places. */
export function duplicateGuard() {
  const seen = new Map<string, string>();
  return (row: Pick<CanonicalRow, "item_id" | "model" | "sample">, where: string) => {
    const key = `${row.item_id}\u0000${row.model}\u0000${row.sample}`;
    const prior = seen.get(key);
    if (prior !== undefined) {
      throw new Error(`${where}: duplicate row for item "${row.item_id}", model "${row.model}", sample ${row.sample} (first seen at ${prior})`);
    }
    seen.set(key, where);
  };
}

/** Binary verdict from the encodings sources use (0/1, true/false, "0"/"1", "true"/"false"); anything else throws. */
export function parseBinary(value: unknown, where: string): 0 | 1 {
  if (value === 1 || value === true) return 1;
  if (value === 0 || value === false) return 0;
  if (typeof value === "string") {
    const v = value.trim().toLowerCase();
    if (v === "1" || v === "true") return 1;
    if (v === "0" || v === "false") return 0;
  }
  throw new Error(`${where}: verdict ${JSON.stringify(value)} is not binary (expected 0/1 or true/false)`);
}

export function stringOption(ctx: AdapterContext, key: string): string | undefined {
  const v = ctx.options[key];
  if (v === undefined) return undefined;
  if (typeof v !== "string") throw new Error(`adapter option "${key}" must be a string, got ${JSON.stringify(v)}`);
  return v;
}

/** The extracted short answer kept in rows: trimmed and capped so no long free text lands in the table. */
export function shortAnswer(text: string, max = 200): string {
  const t = text.trim();
  return t.length > max ? t.slice(0, max) : t;
}
