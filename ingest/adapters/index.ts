// The adapters `ingest` (and `cofail certify --adapter`) can use, by name. Each is loaded lazily, so a stage's
// code ingredient holds only the adapter it names (the ingest stage declares it with codeFiles; lazy imports are
// not followed by the code hash: engine/code-hash.ts).
import { lazyRegistry } from "../lazy-registry.js";
import type { Adapter } from "./types.js";

const modules = {
  "answer-matching": () => import("./answer-matching.js"),
  generic: () => import("./generic.js"),
  "gpqa-rotations": () => import("./gpqa-rotations.js"),
  livecodebench: () => import("./livecodebench.js"),
  "livecodebench-submissions": () => import("./livecodebench-submissions.js"),
  "lm-eval-harness": () => import("./lm-eval-harness.js"),
  matharena: () => import("./matharena.js"),
  "simple-evals-gpqa": () => import("./simple-evals-gpqa.js"),
  zeroeval: () => import("./zeroeval.js"),
};

export type AdapterName = keyof typeof modules;
const registry = lazyRegistry<AdapterName, Adapter>("adapter", "ingest/adapters", modules);
export const ADAPTERS = registry.names;
export const adapterModulePath = registry.modulePath;
export const loadAdapter = registry.load;
