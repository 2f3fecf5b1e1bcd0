// `router-learned`: routers trained on item text and evaluated on held-out items. Per K-fold split of the pool's
// items: TF-IDF features of the problem text are fitted on the training items; the single best model is chosen on
// them; a multinomial logistic router learns which model to send an item to (label: the most accurate training
// model right on it, the training-best model where none is); a per-model correctness predictor fits one binary
// logistic regression per model and sends an item to the model most likely right. On the held-out items each is
// compared with the best single model and the oracle (some model right): the share of the oracle gain it captures,
// (router - best) / (oracle - best), with a bootstrap interval over items. The text stays in memory.
import { z } from "zod";
import { defineStage, type InputFile } from "../engine/types.js";
import { PoolMatrix } from "../core/pool-matrix.js";
import { flattenInput } from "../core/inputs.js";
import { fitTfidf, tfidfRows, tokenize } from "../core/text-features.js";
import { ITEM_TEXT_FORMATS, readItemTexts } from "../ingest/item-text.js";
import { rngStream } from "../stats/rng.js";
import { resampleCounts } from "../stats/bootstrap.js";
import { quantileSorted } from "../stats/quantile.js";
import { bestModelOn, kFoldAssignment } from "../stats/routing.js";
import { fitLogistic, fitSoftmax, predictLogistic, selectRows, softmaxScores } from "../stats/logistic.js";

const Params = z.object({
  prefix: z.string().regex(/^[a-z0-9][a-z0-9-]*$/).optional(),
  label: z.string().optional(),
  /** Task the item ids are prefixed with (default: the pool name). */
  task: z.string().optional(),
  /** How the text files are read (ingest/item-text.ts). */
  text_format: z.enum(ITEM_TEXT_FORMATS),
  folds: z.number().int().min(2).default(5),
  /** Seeded K-fold splits; each item's held-out verdict is averaged over them. */
  repeats: z.number().int().min(1).default(1),
  /** L2 penalty per item: lambda = C^-1 / n_train; C = 1 is scikit-learn's default. */
  C: z.number().positive().default(1),
  min_df: z.number().int().min(1).default(2),
  max_features: z.number().int().min(10).default(2000),
  max_iterations: z.number().int().min(10).default(200),
  bootstrap: z.number().int().min(100).default(2000),
  level: z.number().gt(0).lt(1).default(0.95),
});
type Params = z.infer<typeof Params>;

const isMatrix = (x: unknown): x is PoolMatrix =>
  x !== null && typeof x === "object" && !Array.isArray(x) && Array.isArray((x as { correct?: unknown }).correct) &&
  typeof (x as { pool?: unknown }).pool === "string";

export const POLICIES = ["best", "logistic", "predictor", "oracle"] as const;
export type Policy = (typeof POLICIES)[number];

export interface LearnedRouterResult {
  pool: string;
  items: number;
  models: number;
  features: number;
  /** Held-out accuracy of each policy (mean over items of the per-item mean over repeats). */
  accuracy: Record<Policy, number>;
  share: { logistic: number; predictor: number };
  shareCi: { logistic: [number, number]; predictor: [number, number] };
  gainCi: { logistic: [number, number]; predictor: [number, number] };
  /** Distinct models the logistic router sent any held-out item to, and how often it left the training-best model. */
  routedModels: number;
  offBest: number;
  notConverged: number;
  /** Per item, per policy: held-out verdict averaged over repeats. */
  perItem: Record<Policy, number[]>;
}

/** The whole analysis, pure given the texts (tests call it directly). */
export function learnedRouterAnalysis(matrix: PoolMatrix, texts: Map<string, string>, params: Params, seed: number): LearnedRouterResult {
  const N = matrix.items.length, M = matrix.models.length;
  const missing = matrix.items.filter((id) => !texts.has(id));
  if (missing.length) throw new Error(`router-learned ${matrix.pool}: ${missing.length} item(s) without text, e.g. ${missing.slice(0, 3).join(", ")}`);
  const tokens = matrix.items.map((id) => tokenize(texts.get(id)!));
  const C = matrix.correct;
  const sums: Record<Policy, Float64Array> = { best: new Float64Array(N), logistic: new Float64Array(N), predictor: new Float64Array(N), oracle: new Float64Array(N) };
  let features = 0, notConverged = 0, offBest = 0;
  const routed = new Set<number>();
  for (let i = 0; i < N; i++) for (let m = 0; m < M; m++) if (C[m]![i]) { sums.oracle[i] = params.repeats; break; }
  for (let r = 0; r < params.repeats; r++) {
    const fold = kFoldAssignment({ n: N, folds: params.folds, rng: rngStream(seed, r) });
    for (let f = 0; f < params.folds; f++) {
      const train: number[] = [], test: number[] = [];
      for (let i = 0; i < N; i++) (fold[i] === f ? test : train).push(i);
      const vocab = fitTfidf(train.map((i) => tokens[i]!), { minDf: params.min_df, maxFeatures: params.max_features });
      features = Math.max(features, vocab.terms.length);
      const X = tfidfRows(vocab, tokens);
      const Xtr = selectRows(X, train), Xte = selectRows(X, test);
      const lambda = 1 / (params.C * train.length);
      const opts = { maxIterations: params.max_iterations, gradientTolerance: 1e-6 };
      const trainAcc = C.map((row) => train.reduce((s, i) => s + row[i]!, 0) / train.length);
      const best = bestModelOn(C, train);
      // Labels: the most accurate (on training items) model right on the item; the training-best where none is.
      const byTrainAcc = [...Array(M).keys()].sort((a, b) => trainAcc[b]! - trainAcc[a]! || a - b);
      const label = train.map((i) => byTrainAcc.find((m) => C[m]![i]) ?? best);
      const classes = [...new Set(label)].sort((a, b) => a - b);
      const classOf = new Map(classes.map((m, k) => [m, k]));
      let logisticPick: number[];
      if (classes.length === 1) logisticPick = test.map(() => classes[0]!);
      else {
        const sm = fitSoftmax(Xtr, label.map((m) => classOf.get(m)!), classes.length, lambda, opts);
        if (!sm.converged) notConverged++;
        const scores = softmaxScores(sm, Xte);
        logisticPick = test.map((_, t) => {
          let k = 0;
          for (let c = 1; c < classes.length; c++) if (scores[t * classes.length + c]! > scores[t * classes.length + k]!) k = c;
          return classes[k]!;
        });
      }
      // Per-model correctness predictors; a model right on all or none of the training items predicts its rate.
      const prob: Float64Array[] = C.map((row) => {
        const y = train.map((i) => row[i]!);
        const rate = y.reduce<number>((a, b) => a + b, 0) / y.length;
        if (rate === 0 || rate === 1) return new Float64Array(test.length).fill(rate);
        const fit = fitLogistic(Xtr, y, lambda, opts);
        if (!fit.converged) notConverged++;
        return predictLogistic(fit, Xte);
      });
      test.forEach((i, t) => {
        sums.best[i]! += C[best]![i]!;
        const lp = logisticPick[t]!;
        routed.add(lp);
        if (lp !== best) offBest++;
        sums.logistic[i]! += C[lp]![i]!;
        // Ties go to the more accurate training model.
        let pm = byTrainAcc[0]!;
        for (const m of byTrainAcc) if (prob[m]![t]! > prob[pm]![t]! + 1e-12) pm = m;
        sums.predictor[i]! += C[pm]![i]!;
      });
    }
  }
  const perItem = Object.fromEntries(POLICIES.map((p) => [p, Array.from(sums[p], (v) => v / params.repeats)])) as Record<Policy, number[]>;
  const mean = (xs: ArrayLike<number>, w?: Uint32Array) => {
    let s = 0, n = 0;
    for (let i = 0; i < xs.length; i++) { const k = w ? w[i]! : 1; s += k * xs[i]!; n += k; }
    return s / n;
  };
  const accuracy = Object.fromEntries(POLICIES.map((p) => [p, mean(perItem[p])])) as Record<Policy, number>;
  const share = (acc: Record<Policy, number>, p: "logistic" | "predictor") => (acc[p] - acc.best) / (acc.oracle - acc.best);
  // Percentile bootstrap over items of the held-out verdicts (the fitted routers are fixed).
  const reps = { shareL: [] as number[], shareP: [] as number[], gainL: [] as number[], gainP: [] as number[] };
  const counts = new Uint32Array(N);
  for (let b = 0; b < params.bootstrap; b++) {
    resampleCounts(seed + 1, b, N, counts);
    const a = Object.fromEntries(POLICIES.map((p) => [p, mean(perItem[p], counts)])) as Record<Policy, number>;
    if (a.oracle > a.best) { reps.shareL.push(share(a, "logistic")); reps.shareP.push(share(a, "predictor")); }
    reps.gainL.push(a.logistic - a.best); reps.gainP.push(a.predictor - a.best);
  }
  const lo = (1 - params.level) / 2, hi = 1 - lo;
  const ci = (xs: number[]): [number, number] => { const s = [...xs].sort((a, b) => a - b); return [quantileSorted(s, lo), quantileSorted(s, hi)]; };
  return {
    pool: matrix.pool, items: N, models: M, features, accuracy,
    share: { logistic: share(accuracy, "logistic"), predictor: share(accuracy, "predictor") },
    shareCi: { logistic: ci(reps.shareL), predictor: ci(reps.shareP) },
    gainCi: { logistic: ci(reps.gainL), predictor: ci(reps.gainP) },
    routedModels: routed.size, offBest: offBest / (N * params.repeats), notConverged, perItem,
  };
}

export default defineStage({
  type: "router-learned",
  description: "Routers on TF-IDF features of the problem text (multinomial logistic; per-model correctness predictors), evaluated on held-out items against the best single model chosen on the training split and the oracle",
  params: Params,
  inputs: {
    matrix: { kind: "json", schema: PoolMatrix, description: "the pool matrix" },
    texts: { kind: "files", description: "raw source files holding the problem text (read in memory only)" },
  },
  outputs: {
    summary: { file: "summary.json", kind: "json", description: "held-out accuracies, shares of the oracle gain and their bootstrap intervals" },
  },
  async run(ctx) {
    const matrices = flattenInput(ctx.inputs.matrix, isMatrix, "PoolMatrix");
    if (matrices.length !== 1) throw new Error(`router-learned: expected one pool matrix, got ${matrices.length}`);
    const matrix = matrices[0]!;
    const p = ctx.params.prefix ?? matrix.pool;
    const label = ctx.params.label ?? matrix.pool;
    // Item ids are "<task>-<source id>"; the pool is named after its task.
    const task = ctx.params.task ?? matrix.pool;
    const texts = readItemTexts((ctx.inputs.texts ?? []) as InputFile[], ctx.params.text_format, task);
    const r = learnedRouterAnalysis(matrix, texts, ctx.params, ctx.seed);
    if (r.notConverged) ctx.warn(`${r.notConverged} logistic fit(s) stopped at ${ctx.params.max_iterations} iterations before the gradient tolerance`);
    const split = `${ctx.params.folds}-fold held-out items${ctx.params.repeats > 1 ? `, ${ctx.params.repeats} seeded splits` : ""}`;
    const lvl = ctx.params.level;
    const bs = (lower: number, upper: number) => ({ lower, upper, level: lvl, method: `percentile bootstrap over items (${ctx.params.bootstrap} replicates; routers fixed)` });
    ctx.publish(`${p}.learned.best`, r.accuracy.best, { format: "pct:1", description: `${label}: best single model chosen on each training split, held-out accuracy (${split})` });
    ctx.publish(`${p}.learned.oracle`, r.accuracy.oracle, { format: "pct:1", description: `${label}: oracle (some model right)` });
    ctx.publish(`${p}.learned.logistic`, r.accuracy.logistic, { format: "pct:1", description: `${label}: multinomial logistic router on TF-IDF text features, held-out accuracy (${split})` });
    ctx.publish(`${p}.learned.predictor`, r.accuracy.predictor, { format: "pct:1", description: `${label}: router by per-model logistic correctness predictors on TF-IDF text features, held-out accuracy (${split})` });
    ctx.publish(`${p}.learned.gain.logistic`, r.accuracy.logistic - r.accuracy.best, { format: "fixed:3", ci: bs(...r.gainCi.logistic), description: `${label}: logistic router minus the training-split best model, held out` });
    ctx.publish(`${p}.learned.gain.predictor`, r.accuracy.predictor - r.accuracy.best, { format: "fixed:3", ci: bs(...r.gainCi.predictor), description: `${label}: per-model-predictor router minus the training-split best model, held out` });
    ctx.publish(`${p}.learned.share.logistic`, r.share.logistic, { format: "pct:0", ci: bs(...r.shareCi.logistic), description: `${label}: share of the oracle gain (oracle - best) the logistic router captures` });
    ctx.publish(`${p}.learned.share.predictor`, r.share.predictor, { format: "pct:0", ci: bs(...r.shareCi.predictor), description: `${label}: share of the oracle gain the per-model-predictor router captures` });
    ctx.publish(`${p}.learned.features`, r.features, { format: "count", description: `${label}: TF-IDF features (largest over the training splits)` });
    ctx.publish(`${p}.learned.offbest`, r.offBest, { format: "pct:0", description: `${label}: share of held-out items the logistic router sends to a model other than the training-best one` });
    const { perItem, ...summary } = r;
    void perItem;
    return { summary: { ...summary, label, params: ctx.params } };
  },
});

