// The one StageContext for calling stage.run() directly in tests. Publications go through the engine's own
// publisher (same id pattern, finiteness and publish-once rules as a real run); ctx.parallel runs the named
// function in this thread, one argument after another (results are pure functions of their arguments, so the
// values equal those of a threaded run).
import type { PublishOptions, StageContext, StageType } from "../../engine/types.js";
import { resultPublisher } from "../../engine/threads/stage-task.js";

export type Published = { id: string; value: number } & PublishOptions;

export interface FakeContext<P> {
  ctx: StageContext<P>;
  published: Map<string, Published>;
  warnings: string[];
  logs: string[];
}

const projectDir = new URL("../..", import.meta.url).pathname;

export function fakeContext<P>(options: {
  id?: string; params: P; inputs: Record<string, unknown>; seed?: number; partition?: string; projectDir?: string; threads?: number;
  block?: { index: number; count: number };
}): FakeContext<P> {
  const id = options.id ?? "test-stage";
  const publisher = resultPublisher(id);
  const warnings: string[] = [];
  const logs: string[] = [];
  const ctx: StageContext<P> = {
    id, partition: options.partition, ...(options.block ? { block: options.block } : {}), params: options.params, inputs: options.inputs,
    seed: options.seed ?? 12345, projectDir: options.projectDir ?? projectDir,
    progress: () => {},
    log: (m) => { logs.push(m); },
    warn: (m) => { warnings.push(m); },
    publish: publisher.publish,
    parallel: {
      threads: options.threads ?? 2,
      async map<A, R>(fn: { module: string; export: string }, args: A[]): Promise<R[]> {
        const f = (await import(fn.module))[fn.export] as (a: A) => R | Promise<R>;
        if (typeof f !== "function") throw new Error(`${fn.module} has no function export "${fn.export}"`);
        const out: R[] = [];
        for (const a of args) out.push(await f(a));
        return out;
      },
    },
  };
  return { ctx, published: publisher.results as Map<string, Published>, warnings, logs };
}

/** Runs a stage with its params parsed by the stage's own schema (defaults applied, as the engine does). */
export async function runStage(stage: StageType, options: {
  params: unknown; inputs: Record<string, unknown>; seed?: number; id?: string; partition?: string; threads?: number;
  block?: { index: number; count: number };
}): Promise<FakeContext<unknown> & { outputs: Record<string, unknown> }> {
  const fake = fakeContext({ ...options, seed: options.seed ?? 20260625, id: options.id ?? stage.type, params: stage.params.parse(options.params) });
  const outputs = await stage.run(fake.ctx);
  return { ...fake, outputs };
}
