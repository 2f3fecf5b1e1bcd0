// The graders `grade` can use, by name, loaded lazily so a stage's code ingredient holds only the grader it names
// (declared with codeFiles; lazy imports are not followed by the code hash: engine/code-hash.ts).
import { lazyRegistry } from "../lazy-registry.js";
import type { Grader } from "./types.js";

const modules = {
  choice: () => import("./choice.js"),
  code: () => import("./code.js"),
  judges: () => import("./judges.js"),
  math: () => import("./math.js"),
  "math-audit": () => import("./math-audit.js"),
  source: () => import("./source.js"),
};

export type GraderName = keyof typeof modules;
const registry = lazyRegistry<GraderName, Grader>("grader", "ingest/graders", modules);
export const GRADERS = registry.names;
export const graderModulePath = registry.modulePath;
export const loadGrader = registry.load;
