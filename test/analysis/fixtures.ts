// Small hand-written canonical tables and a fake stage context shared by the analysis tests.
import type { CanonicalRow, CanonicalTable } from "../../stages/canonical.js";
import type { PublishOptions, StageContext } from "../../engine/types.js";

/** One table from a compact spec: model -> provider and a string of verdicts per item ("1", "0", "-" = absent). */
export function tableFrom(task: string, items: string[], models: Record<string, { provider: string; verdicts: string; answers?: string[] }>): CanonicalTable {
  const rows: CanonicalRow[] = [];
  for (const [model, spec] of Object.entries(models)) {
    [...spec.verdicts].forEach((v, i) => {
      if (v === "-") return;
      rows.push({
        task, item_id: items[i], model, sample: 0, provider: spec.provider,
        correct: v === "1" ? 1 : v === "0" ? 0 : null,
        ...(spec.answers ? { answer: spec.answers[i] } : {}),
      });
    });
  }
  return { task, source: { adapter: "fixture", files: [] }, rows, warnings: [] };
}

export interface Published { value: number; options?: PublishOptions }

/** A StageContext that records what the stage publishes, logs and warns. */
export function fakeContext<P>(options: { id?: string; params: P; inputs: Record<string, unknown>; seed?: number; projectDir?: string }) {
  const published = new Map<string, Published>();
  const warnings: string[] = [];
  const logs: string[] = [];
  const ctx: StageContext<P> = {
    id: options.id ?? "test-stage",
    params: options.params,
    inputs: options.inputs,
    seed: options.seed ?? 12345,
    projectDir: options.projectDir ?? process.cwd(),
    progress: () => {},
    log: (m) => logs.push(m),
    warn: (m) => warnings.push(m),
    publish: (id, value, opts) => {
      if (published.has(id)) throw new Error(`published twice: ${id}`);
      published.set(id, { value, options: opts });
    },
  };
  return { ctx, published, warnings, logs };
}
