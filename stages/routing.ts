// `routing`: how much of the ceiling 1 - beta member-output policies reach on a pool. Best single model, the oracle
// router (1 - beta), plurality vote (when the pool has answers), cross-validated feature-cell routers, and the
// routing-signal strength curve: accuracy of a router that sees the oracle with probability q, else uses the best
// single model — the q a router needs before combining beats picking the best model.
import { z } from "zod";
import { defineStage, resourceLimit } from "../engine/types.js";
import { renderVegaLite } from "../figures/vega-lite.js";
import { ROLE_COLOURS } from "../figures/theme.js";
import { rngStream } from "../stats/rng.js";
import { packErrors } from "../stats/verdict-bits.js";
import { allWrongCount } from "../stats/cofailure.js";
import { clopperPearson } from "../stats/clopper-pearson.js";
import { PoolMatrix, modelAccuracies } from "../core/pool-matrix.js";
import { flattenInput } from "../core/inputs.js";
import { featureCells } from "../core/item-features.js";
import { cellRouterCvAccuracy, kFoldAssignment, signalRouterAccuracy, signalStrengthFor } from "../stats/routing.js";
import { pluralityVote } from "../stats/plurality-vote.js";
import { idPart } from "../core/result-ids.js";
import { Table } from "../core/table.js";

const Params = z.object({
  prefix: z.string().regex(/^[a-z0-9][a-z0-9-]*$/).optional(),
  label: z.string().optional(),
  /**
   * Router name -> item features it sees ("difficulty", "platform", "date:quarter", "subject", "subject:gpqa-domain").
   * The features-free router "none" (the best model on the training folds) is always added.
   */
  routers: z.record(z.string(), z.array(z.string()).min(1)).default({}),
  /** Router published as <prefix>.router.cv.accuracy; default the first router listed, else "none". */
  main: z.string().optional(),
  folds: z.number().int().min(2).default(5),
  /** Independent seeded K-fold splits; the CV accuracy is their mean (mcError = their SD / sqrt(repeats)). */
  repeats: resourceLimit(z.number().int().min(1), 10_000, "cross-validation repeats").default(20),
  /** A feature cell with fewer training items than this is routed to the overall training-best model. */
  min_cell: z.number().int().min(1).default(5),
  /** Points of the signal-strength curve (q = 0, 1/(n-1), ..., 1). */
  q_points: resourceLimit(z.number().int().min(2), 10_000, "grid points").default(21),
});
type Params = z.infer<typeof Params>;

const isMatrix = (x: unknown): x is PoolMatrix =>
  x !== null && typeof x === "object" && !Array.isArray(x) && Array.isArray((x as { correct?: unknown }).correct) &&
  typeof (x as { pool?: unknown }).pool === "string";

export interface RouterCv {
  name: string;
  features: string[];
  accuracy: number;
  sd: number;
  mcError: number;
  /** Equivalent routing-signal strength: the q at which the signal router matches this accuracy. */
  q: number;
}

export interface RoutingResult {
  pool: string;
  items: number;
  models: number;
  bestModel: string;
  bestSingle: number;
  /** Mean model accuracy: a uniformly random member. */
  meanModel: number;
  allWrong: number;
  beta: number;
  oracle: number;
  oracleCi95: { lower: number; upper: number };
  vote: number | null;
  routers: RouterCv[];
  main: string;
  /** q at which the signal router (fallback: best single) beats max(best single, plurality vote). */
  qStar: number;
  qStarVote: number | null;
  /** q at which a signal router whose fallback is a random member reaches max(best single, plurality vote). */
  qStarRandom: number;
  curve: { q: number; accuracy: number; randomFallback: number }[];
  notes: string[];
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The whole analysis, pure (tests call it directly). */
export function routingAnalysis(matrix: PoolMatrix, params: Params, seed: number): RoutingResult {
  const N = matrix.items.length;
  const notes: string[] = [];
  const acc = modelAccuracies(matrix);
  let best = 0;
  for (let m = 1; m < acc.length; m++) if (acc[m] > acc[best]) best = m;
  const allWrong = allWrongCount(packErrors(matrix.correct));
  const beta = allWrong / N;
  const oracle = 1 - beta;
  const cp = clopperPearson(allWrong, N, { level: 0.95 });
  // The pool keeps the FIRST sample's answer; with several samples reduced by another policy the answers and the
  // verdicts would describe different draws (e.g. rotation A's letter vs the majority over rotations), so no vote.
  // Same vote and gating as the `cofailure` stage (which publishes it as <pool>.vote.accuracy).
  const votable = matrix.answers !== undefined && (matrix.samplePolicy === "first" || matrix.passCount === undefined);
  const vote = votable ? pluralityVote(matrix.answers!, matrix.correct).accuracy : null;
  if (!matrix.answers) notes.push("no answers in the pool: plurality vote not computed");
  else if (!votable) notes.push(`answers are the first sample's but verdicts use sample policy "${matrix.samplePolicy}" over several samples: plurality vote not computed`);

  const specs: [string, string[]][] = [["none", []], ...Object.entries(params.routers)];
  if (specs.filter(([n]) => n === "none").length > 1) throw new Error(`routing: router name "none" is reserved for the features-free baseline`);
  if (Object.keys(params.routers).length === 0) notes.push("no item features configured: only the features-free CV baseline (best model on the training folds)");
  const cells = specs.map(([, features]) => featureCells(matrix.itemMeta, N, features));
  const perRepeat: number[][] = specs.map(() => []);
  for (let r = 0; r < params.repeats; r++) {
    // One split per repeat, shared by every router, so their differences are paired.
    const fold = kFoldAssignment({ n: N, folds: params.folds, rng: rngStream(seed, r) });
    specs.forEach((_, j) => perRepeat[j].push(cellRouterCvAccuracy({ correct: matrix.correct, cells: cells[j], fold, folds: params.folds, minCellSize: params.min_cell })));
  }
  const routers: RouterCv[] = specs.map(([name, features], j) => {
    const a = mean(perRepeat[j]);
    const sd = params.repeats > 1 ? Math.sqrt(perRepeat[j].reduce((s, x) => s + (x - a) ** 2, 0) / (params.repeats - 1)) : 0;
    return { name, features, accuracy: a, sd, mcError: sd / Math.sqrt(params.repeats), q: signalStrengthFor({ target: a, fallback: acc[best], oracle }) };
  });
  const main = params.main ?? (specs.length > 1 ? specs[1][0] : "none");
  if (!routers.some((r) => r.name === main)) throw new Error(`routing: main router "${main}" is not among ${routers.map((r) => r.name).join(", ")}`);

  const meanModel = mean(acc);
  const baseline = Math.max(acc[best], vote ?? -Infinity);
  const qStarVote = vote === null ? null : signalStrengthFor({ target: vote, fallback: acc[best], oracle });
  const qStar = signalStrengthFor({ target: baseline, fallback: acc[best], oracle });
  const qStarRandom = signalStrengthFor({ target: baseline, fallback: meanModel, oracle });
  const curve = Array.from({ length: params.q_points }, (_, j) => {
    const q = j / (params.q_points - 1);
    return { q, accuracy: signalRouterAccuracy({ q, fallback: acc[best], oracle }), randomFallback: signalRouterAccuracy({ q, fallback: meanModel, oracle }) };
  });
  return {
    pool: matrix.pool, items: N, models: matrix.models.length, bestModel: matrix.models[best], bestSingle: acc[best], meanModel,
    allWrong, beta, oracle, oracleCi95: { lower: 1 - cp.upper, upper: 1 - cp.lower }, vote, routers, main, qStar, qStarVote, qStarRandom, curve, notes,
  };
}

const SIGNAL_BEST = "oracle w.p. q, else best single";
const SIGNAL_RANDOM = "oracle w.p. q, else a random model";

function curveSpec(result: RoutingResult, label: string) {
  const lines: { q: number; accuracy: number; policy: string }[] = [];
  const flat = (policy: string, a: number) => { lines.push({ q: 0, accuracy: a, policy }, { q: 1, accuracy: a, policy }); };
  for (const p of result.curve) lines.push({ q: p.q, accuracy: p.accuracy, policy: SIGNAL_BEST });
  for (const p of result.curve) lines.push({ q: p.q, accuracy: p.randomFallback, policy: SIGNAL_RANDOM });
  const roles: [string, string][] = [[SIGNAL_BEST, ROLE_COLOURS.reference], [SIGNAL_RANDOM, ROLE_COLOURS.reference]];
  flat("oracle (1 − β)", result.oracle); roles.push(["oracle (1 − β)", ROLE_COLOURS.oracle]);
  const mainRouter = result.routers.find((r) => r.name === result.main)!;
  if (result.main !== "none") { const n = `CV router (${mainRouter.features.join(", ")})`; flat(n, mainRouter.accuracy); roles.push([n, ROLE_COLOURS.router]); }
  if (result.vote !== null) { flat("plurality vote", result.vote); roles.push(["plurality vote", ROLE_COLOURS.vote]); }
  flat("best single model", result.bestSingle); roles.push(["best single model", ROLE_COLOURS.bestSingle]);
  const order = roles.map(([p]) => p);
  const ys = lines.map((l) => l.accuracy);
  const lo = Math.max(0, Math.floor((Math.min(...ys) - 0.02) * 50) / 50), hi = Math.min(1, Math.ceil((Math.max(...ys) + 0.02) * 50) / 50);
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    width: 380, height: 260,
    title: `${label}: accuracy vs routing-signal strength`,
    data: { values: lines },
    mark: { type: "line", clip: true, strokeWidth: 2 },
    encoding: {
      x: { field: "q", type: "quantitative", title: "routing-signal strength q", scale: { domain: [0, 1] } },
      y: { field: "accuracy", type: "quantitative", title: "accuracy", scale: { domain: [lo, hi] } },
      color: { field: "policy", type: "nominal", title: null, sort: order, scale: { domain: order, range: roles.map(([, c]) => c) }, legend: { orient: "bottom", direction: "vertical", labelLimit: 400 } },
      strokeDash: {
        field: "policy", type: "nominal", sort: order, title: null, legend: { orient: "bottom", direction: "vertical", labelLimit: 400 },
        scale: { domain: order, range: order.map((p) => (p === SIGNAL_BEST ? [1, 0] : p === SIGNAL_RANDOM ? [2, 2] : [6, 3])) },
      },
    },
  };
}

export default defineStage({
  type: "routing",
  description: "Best single, oracle, plurality vote, cross-validated feature routers and the routing-signal strength curve on one pool",
  params: Params,
  inputs: {
    matrix: { kind: "json", schema: PoolMatrix, description: "pool matrix (answers enable the plurality vote; itemMeta the feature routers)" },
  },
  outputs: {
    table: { file: "table.json", kind: "json", schema: Table, description: "accuracy of each member-output policy" },
    summary: { file: "summary.json", kind: "json" },
    spec: { file: "routing.vl.json", kind: "json" },
    svg: { file: "routing.svg", kind: "text" },
    png: { file: "routing.png", kind: "binary" },
  },
  async run(ctx) {
    const matrices = flattenInput(ctx.inputs.matrix, isMatrix, "PoolMatrix");
    if (matrices.length !== 1) throw new Error(`routing: expected one pool matrix, got ${matrices.length}`);
    const matrix = matrices[0];
    const p = ctx.params.prefix ?? matrix.pool;
    const label = ctx.params.label ?? matrix.pool;
    const r = routingAnalysis(matrix, ctx.params, ctx.seed);
    for (const n of r.notes) ctx.log(n);
    const cvNote = `${ctx.params.folds}-fold CV, ${ctx.params.repeats} seeded splits`;

    ctx.publish(`${p}.oracle`, r.oracle, { format: "pct:1", ci: { ...r.oracleCi95, level: 0.95, method: "Clopper-Pearson on beta" }, description: `${label}: oracle router accuracy 1 - beta (${r.models} models, ${r.items} items)` });
    ctx.publish(`${p}.router.best-single`, r.bestSingle, { format: "pct:1", description: `${label}: best single model (${r.bestModel}), in-sample` });
    const none = r.routers.find((x) => x.name === "none")!;
    ctx.publish(`${p}.router.best-single.cv`, none.accuracy, { format: "pct:1", mcError: none.mcError, description: `${label}: best model chosen on training folds (${cvNote})` });
    const main = r.routers.find((x) => x.name === r.main)!;
    ctx.publish(`${p}.router.cv.accuracy`, main.accuracy, { format: "pct:1", mcError: main.mcError, description: `${label}: CV router "${main.name}" on ${main.features.join(", ") || "no features"} (${cvNote})` });
    ctx.publish(`${p}.router.cv.gain`, main.accuracy - r.bestSingle, { format: "fixed:3", mcError: main.mcError, description: `${label}: CV router minus in-sample best single model` });
    ctx.publish(`${p}.router.q.cv`, main.q, { format: "fixed:2", description: `${label}: routing-signal strength equivalent to the CV router` });
    for (const x of r.routers) {
      if (x.name === "none") continue;
      ctx.publish(`${p}.router.cv.${idPart(x.name)}`, x.accuracy, { format: "pct:1", mcError: x.mcError, description: `${label}: CV router on ${x.features.join(", ")} (${cvNote})` });
    }
    if (r.vote !== null) {
      ctx.publish(`${p}.router.qstar.vote`, r.qStarVote!, { format: "fixed:2", description: `${label}: routing-signal strength at which the signal router matches plurality vote` });
    }
    ctx.publish(`${p}.router.qstar`, r.qStar, { format: "fixed:2", description: `${label}: routing-signal strength (fallback: best single model) needed to beat both the best single model and plurality vote` });
    ctx.publish(`${p}.router.qstar.random`, r.qStarRandom, { format: "fixed:2", description: `${label}: routing-signal strength a router falling back to a random model needs to match the best single model${r.vote !== null ? " and plurality vote" : ""}` });
    ctx.publish(`${p}.router.mean-model`, r.meanModel, { format: "pct:1", description: `${label}: mean model accuracy (a random member)` });

    const row = (policy: string, accuracy: number | null, sd: number | null = null) => ({
      policy, accuracy, sd,
      gain: accuracy === null ? null : accuracy - r.bestSingle,
      q: accuracy === null ? null : Number.isFinite(signalStrengthFor({ target: accuracy, fallback: r.bestSingle, oracle: r.oracle })) ? signalStrengthFor({ target: accuracy, fallback: r.bestSingle, oracle: r.oracle }) : null,
    });
    const table: Table = {
      title: `${label}: member-output policies`,
      caption: `Accuracy on ${r.items} items with ${r.models} models. CV routers: ${cvNote}; each feature cell goes to the model right most often on its training items (cells with < ${ctx.params.min_cell} training items go to the training-best model). q = routing-signal strength at which a router that sees the oracle with probability q (else the best single model) matches the policy; a router falling back to a random model needs q = ${Number.isFinite(r.qStarRandom) ? r.qStarRandom.toFixed(2) : "n/a"} to match ${r.vote !== null ? "the better of the best single model and plurality vote" : "the best single model"}.`,
      columns: [
        { key: "policy", label: "policy", align: "left" },
        { key: "accuracy", label: "accuracy", format: "pct:1", align: "right" },
        { key: "sd", label: "SD over splits", format: "fixed:3", align: "right" },
        { key: "gain", label: "vs best single", format: "fixed:3", align: "right" },
        { key: "q", label: "equivalent q", format: "fixed:2", align: "right" },
      ],
      rows: [
        row("random model (mean accuracy)", r.meanModel),
        row(`best single model (${r.bestModel}), in-sample`, r.bestSingle),
        ...r.routers.map((x) => row(x.name === "none" ? "best single model chosen on training folds (CV)" : `CV router: ${x.features.join(" x ")}`, x.accuracy, x.sd)),
        ...(r.vote !== null ? [row("plurality vote", r.vote)] : []),
        row("oracle router (1 - beta)", r.oracle),
      ],
      notes: r.notes,
    };
    const spec = curveSpec(r, label);
    return { table, summary: r, ...(await renderVegaLite(spec as never)) };
  },
});
