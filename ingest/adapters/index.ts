// The adapters `ingest` (and `cofail certify --adapter`) can use, by name. Each is loaded lazily, so a stage's
// code ingredient holds only the adapter it names (the ingest stage declares it with codeFiles; lazy imports are
// not followed by the code hash: engine/code-hash.ts). Each module default-exports the adapter and exports
// `options` (every option it reads: ingest/adapters/options.ts); `loadAdapter` returns the adapter with its options
// checked, so an unknown or mistyped option is an error in the pipeline and in certify alike.
import { lazyRegistry } from "../lazy-registry.js";
import { normaliseAdapterOptions } from "./options.js";
import type { Adapter, AdapterOptions } from "./types.js";

const modules = {
  "answer-matching": () => import("./answer-matching.js"),
  bigcodebench: () => import("./bigcodebench.js"),
  evalplus: () => import("./evalplus.js"),
  generic: () => import("./generic.js"),
  "gpqa-rotations": () => import("./gpqa-rotations.js"),
  helm: () => import("./helm.js"),
  "inspect-ai": () => import("./inspect-ai.js"),
  lighteval: () => import("./lighteval.js"),
  livecodebench: () => import("./livecodebench.js"),
  "livecodebench-submissions": () => import("./livecodebench-submissions.js"),
  "lm-eval-harness": () => import("./lm-eval-harness.js"),
  matharena: () => import("./matharena.js"),
  opencompass: () => import("./opencompass.js"),
  "simple-evals-gpqa": () => import("./simple-evals-gpqa.js"),
  zeroeval: () => import("./zeroeval.js"),
};

export type AdapterName = keyof typeof modules;
const registry = lazyRegistry<AdapterName, Adapter>("adapter", "ingest/adapters", modules);
export const ADAPTERS = registry.names;
export const adapterModulePath = registry.modulePath;

/** The options an adapter declares (its module's `options` export). */
export async function adapterOptions(name: string): Promise<AdapterOptions> {
  const mod = await registry.loadModule(name);
  const options = mod.options;
  if (typeof options !== "object" || options === null) throw new Error(`${adapterModulePath(name)} exports no "options" declaration`);
  return options as AdapterOptions;
}

/** The adapter by name, wrapped so its options are checked against its declaration before it runs. */
export async function loadAdapter(name: string): Promise<Adapter> {
  const run = await registry.load(name);
  const declared = await adapterOptions(name);
  return (ctx) => run({ ...ctx, options: normaliseAdapterOptions(name, declared, ctx.options) });
}
