// A StageContext for calling stage.run() directly in tests: params parsed by the stage's own schema (defaults
// applied, as the engine does), publications collected in a map.
import type { PublishOptions, StageContext, StageType } from "../../engine/types.js";

export interface FakeRun {
  outputs: Record<string, unknown>;
  published: Map<string, { value: number } & PublishOptions>;
  warnings: string[];
}

export async function runStage(stage: StageType, options: { params: unknown; inputs: Record<string, unknown>; seed?: number; id?: string }): Promise<FakeRun> {
  const published = new Map<string, { value: number } & PublishOptions>();
  const warnings: string[] = [];
  const ctx: StageContext = {
    id: options.id ?? stage.type,
    params: stage.params.parse(options.params),
    inputs: options.inputs,
    seed: options.seed ?? 20260625,
    projectDir: new URL("../..", import.meta.url).pathname,
    progress() {},
    log() {},
    warn(m) { warnings.push(m); },
    publish(id, value, opts) {
      if (published.has(id)) throw new Error(`published twice: ${id}`);
      // The engine's rules (notes/engine-ready.md): id pattern, finite value.
      if (!/^[a-z0-9][a-z0-9_+-]*(\.[a-z0-9_+-]+)*$/.test(id)) throw new Error(`bad result id: ${id}`);
      if (!Number.isFinite(value)) throw new Error(`non-finite value for ${id}: ${value}`);
      published.set(id, { value, ...opts });
    },
  };
  const outputs = await stage.run(ctx);
  return { outputs, published, warnings };
}
