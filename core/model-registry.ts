// The model registry (data/models.yaml): display name -> provider, family, weights, release date.
// Adapters resolve every model name through it, so the paper can count providers; an unknown model is
// accepted with provider "unknown" and a warning, never rejected.
import YAML from "yaml";
import { z } from "zod";

export const ModelInfo = z.object({
  provider: z.string(),
  family: z.string().optional(),
  open_weights: z.boolean().optional(),
  release_date: z.string().optional(),
  /** Other spellings of the same run in other sources (matched case-insensitively). */
  aliases: z.array(z.string()).default([]),
  notes: z.string().optional(),
});
export type ModelInfo = z.infer<typeof ModelInfo>;

export const ModelRegistryFile = z.object({ models: z.record(z.string(), ModelInfo) });

export interface ModelRegistry {
  models: Record<string, ModelInfo>;
  /** Lower-cased name or alias -> canonical display name. */
  byAlias: Map<string, string>;
}

export function parseModelRegistry(text: string, fileName: string): ModelRegistry {
  const doc = YAML.parseDocument(text);
  if (doc.errors.length) throw new Error(`${fileName}: ${doc.errors[0].message}`);
  const parsed = ModelRegistryFile.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${fileName}: at ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  const byAlias = new Map<string, string>();
  for (const [name, info] of Object.entries(parsed.data.models)) {
    for (const alias of [name, ...info.aliases]) {
      const key = alias.toLowerCase();
      const prior = byAlias.get(key);
      if (prior !== undefined && prior !== name) {
        throw new Error(`${fileName}: alias "${alias}" names both "${prior}" and "${name}"`);
      }
      byAlias.set(key, name);
    }
  }
  return { models: parsed.data.models, byAlias };
}

export interface ResolvedModel extends ModelInfo {
  /** Canonical display name (the registry key), or the name as given when unknown. */
  name: string;
  known: boolean;
}

/** Resolves a source's model name; unknown names get provider "unknown" and one warning. */
export function resolveModel(registry: ModelRegistry, name: string, warn: (m: string) => void): ResolvedModel {
  const canonical = registry.byAlias.get(name.toLowerCase());
  if (canonical !== undefined) return { ...registry.models[canonical], name: canonical, known: true };
  warn(`model "${name}" is not in the model registry (data/models.yaml): provider set to "unknown"`);
  return { provider: "unknown", aliases: [], name, known: false };
}
