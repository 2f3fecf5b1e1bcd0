// `format-subject`: is GPQA co-failure a property of the questions' subject or of the answer format? The same
// GPQA-Diamond questions asked as multiple choice (options shown) and as free response (no options): beta per
// format for whole pools, for a size-matched MC pool, and for the same models in both formats, each overall and
// per high-level domain (physics / chemistry / biology), with Clopper-Pearson intervals.
import { z } from "zod";
import { defineStage, resourceLimit } from "../engine/types.js";
import { renderVegaLite } from "../figures/vega-lite.js";
import { rngStream } from "../stats/rng.js";
import { packErrors } from "../stats/verdict-bits.js";
import { allWrongCount } from "../stats/cofailure.js";
import { clopperPearson } from "../stats/clopper-pearson.js";
import { PoolMatrix } from "../core/pool-matrix.js";
import { flattenInput } from "../core/inputs.js";
import { GPQA_DOMAINS, gpqaDomain, gpqaJoinKey, type GpqaDomain } from "../core/gpqa.js";
import { kSubsets } from "../stats/subsets.js";
import { resampleCounts } from "../stats/bootstrap.js";
import { quantileSorted } from "../stats/quantile.js";
import { ROLE_COLOURS } from "../figures/theme.js";
import { idPart } from "../core/result-ids.js";
import { Table, valueWithCi } from "../core/table.js";

const MatchedPair = z.object({
  /** Label in tables and in result ids (e.g. "GPT-4o"). */
  label: z.string(),
  /** Model name in one of the multiple-choice pools. */
  mc: z.string(),
  /** Model name in one of the free-response pools. */
  fr: z.string(),
  /** Caveat printed under the table (e.g. different checkpoints). */
  note: z.string().optional(),
});

const Params = z.object({
  prefix: z.string().regex(/^[a-z0-9][a-z0-9-]*$/).default("gpqa"),
  label: z.string().default("GPQA-Diamond"),
  /** The same model (or the closest available run) in both formats. */
  matched: z.array(MatchedPair).default([]),
  /** Also report the MC union's mean beta over all pools of as many models as the free-response pool has. */
  size_matched: z.boolean().default(true),
  /** Above this many k-subsets, a seeded uniform sample of this many is used instead of all of them. */
  max_subsets: resourceLimit(z.number().int().positive(), 5_000_000, "size-matched subsets").default(50000),
  level: z.number().gt(0).lt(1).default(0.95),
  /** Item-bootstrap replicates for the matched models' dependence measures (beta over independence, phi). */
  bootstrap: z.number().int().min(0).default(2000),
});
type Params = z.infer<typeof Params>;

const isMatrix = (x: unknown): x is PoolMatrix =>
  x !== null && typeof x === "object" && !Array.isArray(x) && Array.isArray((x as { correct?: unknown }).correct) &&
  typeof (x as { pool?: unknown }).pool === "string";

export type Scope = "all" | GpqaDomain;
export const SCOPES: readonly Scope[] = ["all", ...GPQA_DOMAINS];

export interface ScopeBeta {
  scope: Scope;
  n: number;
  allWrong: number;
  beta: number;
  lower: number | null;
  upper: number | null;
  /** Size-matched rows: Monte-Carlo SE when subsets were sampled (0 when exhaustive). */
  mcError?: number;
}

export interface PoolBeta {
  key: string;
  label: string;
  format: "MC" | "FR";
  kind: "pool" | "union" | "size-matched" | "matched";
  models: string[];
  scopes: ScopeBeta[];
}

export interface FormatSubjectResult {
  items: number;
  itemsPerScope: Record<Scope, number>;
  pools: PoolBeta[];
  matchedAccuracy: { label: string; mcModel: string; frModel: string; scope: Scope; n: number; mc: number; fr: number }[];
  /** Matched models, per scope and format: beta, the product of error rates (independence), their ratio, phi. */
  dependence: DependenceRow[];
  notes: string[];
}

export interface DependenceRow {
  scope: Scope;
  n: number;
  format: "MC" | "FR";
  beta: number;
  /** prod_m (1 - acc_m): beta if the models' errors were independent. */
  indep: number;
  /** beta / indep: above 1, the models fail together more than independence predicts. */
  excess: number;
  /** Mean pairwise phi of the error indicators. */
  phi: number;
  excessCi: [number, number] | null;
  phiCi: [number, number] | null;
  /** FR - MC, paired bootstrap over the same items (FR rows only). */
  excessDiff?: number;
  excessDiffCi?: [number, number] | null;
  phiDiff?: number;
  phiDiffCi?: [number, number] | null;
}

/**
 * Dependence of a set of 0/1 rows on the items with weights w (bootstrap counts; 1 each for the plain statistic):
 * beta, the independence product of error rates, their ratio and the mean pairwise phi of errors.
 */
export function dependenceOf(rows: readonly (readonly (0 | 1)[])[], items: readonly number[], w?: ArrayLike<number>): { beta: number; indep: number; excess: number; phi: number } {
  let n = 0, all = 0;
  const err = rows.map(() => 0);
  const both: number[][] = rows.map(() => rows.map(() => 0));
  items.forEach((i, t) => {
    const k = w ? w[t]! : 1;
    if (k === 0) return;
    n += k;
    let every = true;
    for (let a = 0; a < rows.length; a++) {
      const ea = 1 - rows[a]![i]!;
      err[a]! += k * ea;
      if (!ea) every = false;
      for (let b = a + 1; b < rows.length; b++) both[a]![b]! += k * ea * (1 - rows[b]![i]!);
    }
    if (every) all += k;
  });
  const e = err.map((x) => x / n);
  const indep = e.reduce((p, x) => p * x, 1);
  const phis: number[] = [];
  for (let a = 0; a < rows.length; a++) for (let b = a + 1; b < rows.length; b++) {
    const den = Math.sqrt(e[a]! * (1 - e[a]!) * e[b]! * (1 - e[b]!));
    phis.push(den > 0 ? (both[a]![b]! / n - e[a]! * e[b]!) / den : NaN);
  }
  const beta = all / n;
  return { beta, indep, excess: indep > 0 ? beta / indep : NaN, phi: phis.reduce((x, y) => x + y, 0) / phis.length };
}

interface Member {
  name: string;
  /** 0/1 per common item. */
  row: (0 | 1)[];
}

/** Restricts each matrix to the join keys common to all of them; returns the members in common-item order. */
function alignOnCommonItems(matrices: PoolMatrix[]): { keys: string[]; domains: (GpqaDomain | undefined)[]; members: Member[][]; notes: string[] } {
  const notes: string[] = [];
  const keyIndex = matrices.map((m) => {
    const map = new Map<string, number>();
    m.items.forEach((item, i) => {
      const key = gpqaJoinKey(item);
      if (map.has(key)) throw new Error(`format-subject: pool ${m.pool} has two items with GPQA key ${key}`);
      map.set(key, i);
    });
    return map;
  });
  const keys = [...keyIndex[0].keys()].filter((k) => keyIndex.every((map) => map.has(k))).sort();
  matrices.forEach((m, j) => { if (m.items.length > keys.length) notes.push(`pool ${m.pool}: ${m.items.length - keys.length} of ${m.items.length} items are not in every pool and are left out`); });
  const domains = keys.map((k) => {
    for (let j = 0; j < matrices.length; j++) {
      const d = gpqaDomain(matrices[j].itemMeta?.[keyIndex[j].get(k)!]?.subject);
      if (d) return d;
    }
    return undefined;
  });
  const unknown = domains.filter((d) => d === undefined).length;
  if (unknown) notes.push(`${unknown} item(s) have no known GPQA subject: counted overall, in no domain`);
  const members = matrices.map((m, j) => m.models.map((name, r) => ({ name, row: keys.map((k) => m.correct[r][keyIndex[j].get(k)!]) })));
  return { keys, domains, members, notes };
}

function scopeItems(domains: (GpqaDomain | undefined)[], scope: Scope): number[] {
  return domains.map((d, i) => (scope === "all" || d === scope ? i : -1)).filter((i) => i >= 0);
}

/** The whole analysis, pure (tests call it directly). */
export function formatSubjectAnalysis(mc: PoolMatrix[], fr: PoolMatrix[], params: Params, seed: number): FormatSubjectResult {
  if (mc.length === 0 || fr.length === 0) throw new Error("format-subject: needs at least one multiple-choice and one free-response pool");
  const aligned = alignOnCommonItems([...mc, ...fr]);
  const { domains } = aligned;
  const notes = [...aligned.notes];
  const N = aligned.keys.length;
  if (N === 0) throw new Error("format-subject: the multiple-choice and free-response pools share no GPQA item");
  const mcMembers = aligned.members.slice(0, mc.length);
  const frMembers = aligned.members.slice(mc.length);
  const scopeIdx = Object.fromEntries(SCOPES.map((s) => [s, scopeItems(domains, s)])) as Record<Scope, number[]>;

  const betaOf = (members: Member[], scope: Scope): ScopeBeta => {
    const idx = scopeIdx[scope];
    const n = idx.length;
    if (n === 0) return { scope, n, allWrong: 0, beta: NaN, lower: null, upper: null };
    const bits = packErrors(members.map((m) => idx.map((i) => m.row[i])));
    const x = allWrongCount(bits);
    const ci = clopperPearson(x, n, { level: params.level });
    return { scope, n, allWrong: x, beta: x / n, lower: ci.lower, upper: ci.upper };
  };
  const poolBeta = (key: string, label: string, format: "MC" | "FR", kind: PoolBeta["kind"], members: Member[]): PoolBeta =>
    ({ key, label, format, kind, models: members.map((m) => m.name), scopes: SCOPES.map((s) => betaOf(members, s)) });

  // A model name in two pools of one format is two runs: keep both, tagged with the pool.
  const union = (groups: Member[][], matrices: PoolMatrix[]): Member[] => {
    const count = new Map<string, number>();
    for (const g of groups) for (const m of g) count.set(m.name, (count.get(m.name) ?? 0) + 1);
    return groups.flatMap((g, j) => g.map((m) => (count.get(m.name)! > 1 ? { ...m, name: `${m.name} [${matrices[j].pool}]` } : m)));
  };
  const mcAll = union(mcMembers, mc);
  const frAll = union(frMembers, fr);

  const pools: PoolBeta[] = [];
  pools.push(poolBeta("mc", mc.length > 1 ? `MC, all ${mcAll.length} runs (${mc.map((m) => m.pool).join(" + ")})` : `MC, ${mc[0].pool} (${mcAll.length} models)`, "MC", "union", mcAll));
  if (mc.length > 1) mc.forEach((m, j) => pools.push(poolBeta(`mc.pool.${m.pool}`, `MC, ${m.pool} (${mcMembers[j].length} models)`, "MC", "pool", mcMembers[j])));
  pools.push(poolBeta("fr", fr.length > 1 ? `FR, all ${frAll.length} runs` : `FR, ${fr[0].pool} (${frAll.length} models)`, "FR", "union", frAll));
  if (fr.length > 1) fr.forEach((m, j) => pools.push(poolBeta(`fr.pool.${m.pool}`, `FR, ${m.pool} (${frMembers[j].length} models)`, "FR", "pool", frMembers[j])));

  if (params.size_matched && mcAll.length > frAll.length) {
    // Pool size drives beta (more members, fewer all-wrong items), so compare FR with MC pools of equal size.
    const k = frAll.length;
    const { subsets, exhaustive } = kSubsets({ M: mcAll.length, k, maxSubsets: params.max_subsets, rng: rngStream(seed, 0) });
    notes.push(`size-matched MC: mean beta over ${exhaustive ? "all" : "a seeded uniform sample of"} ${subsets.length} ${k}-model subsets of the ${mcAll.length} MC runs`);
    const scopes = SCOPES.map((scope): ScopeBeta => {
      const idx = scopeIdx[scope];
      if (idx.length === 0) return { scope, n: 0, allWrong: 0, beta: NaN, lower: null, upper: null };
      const bits = packErrors(mcAll.map((m) => idx.map((i) => m.row[i])));
      const rates = subsets.map((s) => allWrongCount(bits, { models: s }) / idx.length);
      const b = rates.reduce((a, x) => a + x, 0) / rates.length;
      const sd = Math.sqrt(rates.reduce((a, x) => a + (x - b) ** 2, 0) / Math.max(1, rates.length - 1));
      return { scope, n: idx.length, allWrong: b * idx.length, beta: b, lower: null, upper: null, mcError: exhaustive ? 0 : sd / Math.sqrt(rates.length) };
    });
    pools.push({ key: `mc.size${k}`, label: `MC, mean over ${k}-model subsets`, format: "MC", kind: "size-matched", models: mcAll.map((m) => m.name), scopes });
  }

  const matchedAccuracy: FormatSubjectResult["matchedAccuracy"] = [];
  if (params.matched.length) {
    const find = (members: Member[], name: string, format: string) => {
      const hit = members.filter((m) => m.name === name || m.name.startsWith(`${name} [`));
      if (hit.length !== 1) throw new Error(`format-subject: matched model "${name}" found ${hit.length} times among the ${format} models (${members.map((m) => m.name).join(", ")})`);
      return hit[0];
    };
    const mcPair = params.matched.map((p) => find(mcAll, p.mc, "multiple-choice"));
    const frPair = params.matched.map((p) => find(frAll, p.fr, "free-response"));
    const names = params.matched.map((p) => p.label).join(" + ");
    pools.push(poolBeta("matched.mc", `MC, matched: ${names}`, "MC", "matched", mcPair));
    pools.push(poolBeta("matched.fr", `FR, matched: ${names}`, "FR", "matched", frPair));
    params.matched.forEach((p, j) => {
      notes.push(`matched "${p.label}": MC run "${mcPair[j].name}" vs FR run "${frPair[j].name}"${p.note ? ` — ${p.note}` : ""}`);
      for (const scope of SCOPES) {
        const idx = scopeIdx[scope];
        if (idx.length === 0) continue;
        const acc = (m: Member) => idx.reduce((a, i) => a + m.row[i], 0) / idx.length;
        matchedAccuracy.push({ label: p.label, mcModel: mcPair[j].name, frModel: frPair[j].name, scope, n: idx.length, mc: acc(mcPair[j]), fr: acc(frPair[j]) });
      }
    });
  }
  const dependence: DependenceRow[] = [];
  if (params.matched.length >= 2) {
    const mcRows = params.matched.map((p) => mcAll.find((m) => m.name === p.mc || m.name.startsWith(`${p.mc} [`))!.row);
    const frRows = params.matched.map((p) => frAll.find((m) => m.name === p.fr || m.name.startsWith(`${p.fr} [`))!.row);
    const lo = (1 - params.level) / 2;
    const pct = (xs: number[]): [number, number] | null => {
      const f = xs.filter(Number.isFinite).sort((a, b) => a - b);
      return f.length ? [quantileSorted(f, lo), quantileSorted(f, 1 - lo)] : null;
    };
    SCOPES.forEach((scope, sIdx) => {
      const idx = scopeIdx[scope];
      if (idx.length === 0) return;
      const mc0 = dependenceOf(mcRows, idx), fr0 = dependenceOf(frRows, idx);
      // Paired: each replicate resamples the same items for both formats.
      const reps: { mcE: number; mcP: number; frE: number; frP: number }[] = [];
      const counts = new Uint32Array(idx.length);
      for (let b = 0; b < params.bootstrap; b++) {
        resampleCounts(seed + 7 + sIdx, b, idx.length, counts);
        const m = dependenceOf(mcRows, idx, counts), f = dependenceOf(frRows, idx, counts);
        reps.push({ mcE: m.excess, mcP: m.phi, frE: f.excess, frP: f.phi });
      }
      const boot = params.bootstrap > 0;
      dependence.push({ scope, n: idx.length, format: "MC", ...mc0, excessCi: boot ? pct(reps.map((r) => r.mcE)) : null, phiCi: boot ? pct(reps.map((r) => r.mcP)) : null });
      dependence.push({
        scope, n: idx.length, format: "FR", ...fr0, excessCi: boot ? pct(reps.map((r) => r.frE)) : null, phiCi: boot ? pct(reps.map((r) => r.frP)) : null,
        excessDiff: fr0.excess - mc0.excess, excessDiffCi: boot ? pct(reps.map((r) => r.frE - r.mcE)) : null,
        phiDiff: fr0.phi - mc0.phi, phiDiffCi: boot ? pct(reps.map((r) => r.frP - r.mcP)) : null,
      });
    });
    notes.push(`dependence of the matched models: ${params.bootstrap} paired item-bootstrap replicates per subject (percentile intervals; a replicate without errors in a model has no phi and is skipped)`);
  }
  const itemsPerScope = Object.fromEntries(SCOPES.map((s) => [s, scopeIdx[s].length])) as Record<Scope, number>;
  return { items: N, itemsPerScope, pools, matchedAccuracy, dependence, notes };
}

function figureSpec(result: FormatSubjectResult, label: string) {
  // Whole pools first (MC, size-matched MC, FR), then the matched models (MC, FR). Colour = answer format (one
  // role colour each); the bar's shade says which pool.
  const rank = (p: PoolBeta) => (p.kind === "matched" ? 10 : 0) + (p.kind === "size-matched" ? 1 : 0) + (p.format === "FR" ? 2 : 0);
  const kindLabel = (p: PoolBeta) => (p.kind === "matched" ? "matched models" : p.kind === "size-matched" ? "MC, mean over pools the size of FR" : "whole pool");
  const values = result.pools
    .filter((p) => p.kind !== "pool")
    .sort((a, b) => rank(a) - rank(b))
    .flatMap((p) => p.scopes.filter((s) => s.n > 0).map((s) => ({
      series: p.label, format: p.format === "MC" ? "multiple choice" : "free response", kind: kindLabel(p),
      scope: s.scope === "all" ? `all (${s.n})` : `${s.scope} (${s.n})`,
      beta: s.beta, lower: s.lower ?? s.beta, upper: s.upper ?? s.beta,
    })));
  const seriesOrder = [...new Set(values.map((v) => v.series))];
  const scopeOrder = [...new Set(values.map((v) => v.scope))];
  const kinds = ["whole pool", "MC, mean over pools the size of FR", "matched models"].filter((k) => values.some((v) => v.kind === k));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    width: 460, height: 260,
    title: `${label}: β by answer format and subject`,
    data: { values },
    encoding: {
      x: { field: "scope", type: "nominal", title: "questions (n)", sort: scopeOrder, axis: { labelAngle: 0 } },
      xOffset: { field: "series", type: "nominal", sort: seriesOrder },
    },
    layer: [
      {
        mark: { type: "bar", stroke: "black", strokeWidth: 0.5 },
        encoding: {
          y: { field: "beta", type: "quantitative", title: "all-wrong rate β (95% CP interval)", scale: { domain: [0, 1] } },
          color: { field: "format", type: "nominal", title: null, scale: { domain: ["multiple choice", "free response"], range: [ROLE_COLOURS.multipleChoice, ROLE_COLOURS.freeResponse] }, legend: { orient: "bottom", direction: "horizontal" } },
          opacity: { field: "kind", type: "ordinal", sort: kinds, title: null, scale: { domain: kinds, range: kinds.map((k) => (k === "whole pool" ? 1 : k === "matched models" ? 0.45 : 0.7)) }, legend: { orient: "bottom", direction: "vertical", labelLimit: 320 } },
        },
      },
      { mark: { type: "rule", color: "black" }, encoding: { y: { field: "lower", type: "quantitative" }, y2: { field: "upper" } } },
    ],
  };
}

/** The matched models' dependence: beta over the independence product, and phi, per subject and format. */
function dependenceSpec(result: FormatSubjectResult, label: string) {
  const values = result.dependence.flatMap((d) => [
    { measure: "β / product of error rates", scope: d.scope === "all" ? `all (${d.n})` : `${d.scope} (${d.n})`, format: d.format === "MC" ? "multiple choice" : "free response", value: d.excess, lower: d.excessCi?.[0] ?? d.excess, upper: d.excessCi?.[1] ?? d.excess },
    { measure: "φ of the two models' errors", scope: d.scope === "all" ? `all (${d.n})` : `${d.scope} (${d.n})`, format: d.format === "MC" ? "multiple choice" : "free response", value: d.phi, lower: d.phiCi?.[0] ?? d.phi, upper: d.phiCi?.[1] ?? d.phi },
  ]);
  const scopes = [...new Set(values.map((v) => v.scope))];
  const colour = { field: "format", type: "nominal", title: null, scale: { domain: ["multiple choice", "free response"], range: [ROLE_COLOURS.multipleChoice, ROLE_COLOURS.freeResponse] }, legend: { orient: "bottom", direction: "horizontal" } };
  const x = { field: "scope", type: "nominal", title: null, sort: scopes, axis: { labelAngle: 0 } };
  const xOffset = { field: "format", type: "nominal", sort: ["multiple choice", "free response"] };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: `${label}, the same two models in both formats: dependence beyond accuracy`, subtitle: "95% paired item-bootstrap intervals; dashed: independence (ratio 1, φ 0)" },
    data: { values },
    facet: { column: { field: "measure", type: "nominal", title: null, sort: ["β / product of error rates", "φ of the two models' errors"] } },
    resolve: { scale: { y: "independent" } },
    spec: {
      width: 340, height: 220,
      layer: [
        { mark: { type: "rule", strokeDash: [4, 3], color: ROLE_COLOURS.reference }, encoding: { y: { field: "ref", type: "quantitative" } }, transform: [{ aggregate: [{ op: "count", as: "n" }], groupby: ["measure"] }, { calculate: "datum.measure === 'β / product of error rates' ? 1 : 0", as: "ref" }] },
        { mark: { type: "rule", strokeWidth: 2.5 }, encoding: { x, xOffset, y: { field: "lower", type: "quantitative" }, y2: { field: "upper" }, color: colour } },
        { mark: { type: "point", filled: true, size: 70, opacity: 1, stroke: "black", strokeWidth: 0.5 }, encoding: { x, xOffset, y: { field: "value", type: "quantitative", title: null, scale: { zero: true } }, color: colour } },
      ],
    },
  };
}

const scopeColumns = (prefix: string, label: string) => SCOPES.map((s) => ({ key: `${prefix}${s}`, label: `${label}${s}`, format: "fixed:3", align: "right" as const }));

export default defineStage({
  type: "format-subject",
  description: "GPQA-Diamond: beta of multiple choice vs free response on the same questions, whole pools and matched models, per subject",
  params: Params,
  inputs: {
    mc: { kind: "json", schema: PoolMatrix, description: "multiple-choice pool matrices (one, a list, or partitions)" },
    fr: { kind: "json", schema: PoolMatrix, description: "free-response pool matrices (e.g. panel-majority verdicts)" },
  },
  outputs: {
    table: { file: "table.json", kind: "json", schema: Table, description: "beta per pool and format, overall and per subject, with CP intervals" },
    "table-matched": { file: "table-matched.json", kind: "json", schema: Table, description: "accuracy of the matched models in both formats" },
    summary: { file: "summary.json", kind: "json" },
    spec: { file: "format-subject.vl.json", kind: "json" },
    svg: { file: "format-subject.svg", kind: "text" },
    png: { file: "format-subject.png", kind: "binary" },
    "table-dependence": { file: "table-dependence.json", kind: "json", schema: Table, description: "matched models: beta, independence product, their ratio and phi per subject and format, bootstrap intervals" },
    "dependence-svg": { file: "dependence.svg", kind: "text" },
    "dependence-png": { file: "dependence.png", kind: "binary" },
  },
  async run(ctx) {
    const mc = flattenInput(ctx.inputs.mc, isMatrix, "PoolMatrix");
    const fr = flattenInput(ctx.inputs.fr, isMatrix, "PoolMatrix");
    const p = ctx.params.prefix;
    const r = formatSubjectAnalysis(mc, fr, ctx.params, ctx.seed);
    for (const n of r.notes) ctx.log(n);
    const lvl = ctx.params.level;

    // "<prefix>.n.common", not "<prefix>.n.items": a pool named like the prefix publishes that id itself.
    ctx.publish(`${p}.n.common`, r.items, { format: "int", description: `${ctx.params.label} questions in every MC and FR pool` });
    for (const d of GPQA_DOMAINS) ctx.publish(`${p}.n.common.${d}`, r.itemsPerScope[d], { format: "int", description: `${ctx.params.label} ${d} questions in every MC and FR pool` });
    for (const pool of r.pools) {
      ctx.publish(`${p}.n.models.${pool.key}`, pool.models.length, { format: "int", description: `models in ${pool.label}` });
      for (const s of pool.scopes) {
        if (s.n === 0) continue;
        const id = `${p}${pool.kind === "matched" ? "." + pool.key.replace(/^matched\./, "matched.beta.") : `.beta.${pool.key}`}${s.scope === "all" ? "" : `.${s.scope}`}`;
        ctx.publish(id, s.beta, {
          format: "fixed:3",
          ci: s.lower !== null && s.upper !== null ? { lower: s.lower, upper: s.upper, level: lvl, method: "Clopper-Pearson" } : undefined,
          mcError: s.mcError,
          description: `${ctx.params.label}, ${pool.label}: all-wrong rate on ${s.scope === "all" ? "all" : s.scope} questions (n = ${s.n})`,
        });
        if (pool.kind !== "size-matched" && s.scope === "all") ctx.publish(`${id.replace(".beta", ".allwrong")}`, s.allWrong, { format: "int", description: `${ctx.params.label}, ${pool.label}: questions every model got wrong` });
      }
    }
    for (const a of r.matchedAccuracy) {
      if (a.scope !== "all") continue;
      ctx.publish(`${p}.matched.acc.mc.${idPart(a.label)}`, a.mc, { format: "pct:1", description: `${a.label} (${a.mcModel}) accuracy, multiple choice` });
      ctx.publish(`${p}.matched.acc.fr.${idPart(a.label)}`, a.fr, { format: "pct:1", description: `${a.label} (${a.frModel}) accuracy, free response` });
    }

    const table: Table = {
      title: `${ctx.params.label}: co-failure by answer format and subject`,
      caption: `All-wrong rate beta on the ${r.items} questions present in every pool (${GPQA_DOMAINS.map((d) => `${r.itemsPerScope[d]} ${d}`).join(", ")}), with ${Math.round(lvl * 100)}% Clopper-Pearson intervals. MC = multiple choice (options shown), FR = free response.`,
      columns: [
        { key: "pool", label: "pool", align: "left" },
        { key: "models", label: "models", format: "int", align: "right" },
        ...SCOPES.flatMap((s) => [
          { key: `beta_${s}`, label: `beta ${s}`, format: "fixed:3", align: "right" as const },
          { key: `ci_${s}`, label: `${Math.round(lvl * 100)}% CI`, align: "right" as const },
        ]),
      ],
      rows: r.pools.map((pool) => ({
        pool: pool.label,
        models: pool.models.length,
        ...Object.fromEntries(pool.scopes.flatMap((s) => [
          [`beta_${s.scope}`, Number.isFinite(s.beta) ? s.beta : null],
          [`ci_${s.scope}`, s.lower !== null && s.upper !== null ? `${s.lower.toFixed(3)}–${s.upper.toFixed(3)}` : null],
        ])),
      })),
      notes: r.notes,
    };
    const tableMatched: Table = {
      title: `${ctx.params.label}: matched models in both formats`,
      caption: "Accuracy of the same model family asked the same questions with options (MC) and without (FR).",
      columns: [
        { key: "label", label: "model", align: "left" },
        { key: "mc_model", label: "MC run", align: "left" },
        { key: "fr_model", label: "FR run", align: "left" },
        ...scopeColumns("mc_", "MC acc, "),
        ...scopeColumns("fr_", "FR acc, "),
      ],
      rows: ctx.params.matched.map((m) => {
        const rows = r.matchedAccuracy.filter((a) => a.label === m.label);
        return {
          label: m.label, mc_model: rows[0]?.mcModel ?? m.mc, fr_model: rows[0]?.frModel ?? m.fr,
          ...Object.fromEntries(SCOPES.flatMap((s) => {
            const a = rows.find((x) => x.scope === s);
            return [[`mc_${s}`, a ? a.mc : null], [`fr_${s}`, a ? a.fr : null]];
          })),
        };
      }),
      notes: ctx.params.matched.filter((m) => m.note).map((m) => `${m.label}: ${m.note}`),
    };
    const f2 = (v: number) => v.toFixed(2);
    for (const d of r.dependence) {
      const sfx = `${d.format.toLowerCase()}${d.scope === "all" ? "" : `.${d.scope}`}`;
      const on = `${ctx.params.label}, matched models (${ctx.params.matched.map((m) => m.label).join(" + ")}), ${d.format === "MC" ? "multiple choice" : "free response"}, ${d.scope === "all" ? "all" : d.scope} questions (n = ${d.n})`;
      const ci = (c: [number, number] | null | undefined) => (c ? { lower: c[0], upper: c[1], level: lvl, method: `percentile item bootstrap (${ctx.params.bootstrap} replicates, paired across formats)` } : undefined);
      ctx.publish(`${p}.matched.indep.${sfx}`, d.indep, { format: "fixed:3", description: `${on}: product of the models' error rates (beta if their errors were independent)` });
      ctx.publish(`${p}.matched.excess.${sfx}`, d.excess, { format: "ratio:2", ci: ci(d.excessCi), description: `${on}: beta over the independence product` });
      ctx.publish(`${p}.matched.phi.${sfx}`, d.phi, { format: "fixed:2", ci: ci(d.phiCi), description: `${on}: phi of the two models' error indicators` });
      if (d.format === "FR") {
        const sc = d.scope === "all" ? "" : `.${d.scope}`;
        ctx.publish(`${p}.matched.excess.diff${sc}`, d.excessDiff!, { format: "fixed:2", ci: ci(d.excessDiffCi), description: `${on.replace(", free response", "")}: free response minus multiple choice, beta over the independence product` });
        ctx.publish(`${p}.matched.phi.diff${sc}`, d.phiDiff!, { format: "fixed:2", ci: ci(d.phiDiffCi), description: `${on.replace(", free response", "")}: free response minus multiple choice, phi of errors` });
      }
    }
    const pctCi = (c: [number, number] | null | undefined, f: (v: number) => string) => (c ? `${f(c[0])}–${f(c[1])}` : null);
    const tableDependence: Table = {
      title: `${ctx.params.label}: the matched models' co-failure beyond their accuracy`,
      caption: `The same ${ctx.params.matched.length} model families (${ctx.params.matched.map((m) => m.label).join(", ")}) in both formats, per subject: beta, the product of their error rates (what beta would be if their errors were independent), beta over that product, and the phi coefficient of their error indicators, with ${Math.round(lvl * 100)}% percentile intervals from ${ctx.params.bootstrap} item-bootstrap replicates (paired across formats, so FR - MC has its own interval).`,
      columns: [
        { key: "scope", label: "questions", align: "left" },
        { key: "format", label: "format", align: "left" },
        { key: "beta", label: "beta", format: "fixed:3" },
        { key: "indep", label: "error-rate product", format: "fixed:3" },
        ...valueWithCi("excess", "beta / product", "fixed:2", lvl),
        ...valueWithCi("phi", "phi", "fixed:2", lvl),
        { key: "diff_excess", label: "FR - MC, ratio" },
        { key: "diff_phi", label: "FR - MC, phi" },
      ],
      rows: r.dependence.map((d) => ({
        scope: `${d.scope} (${d.n})`, format: d.format, beta: d.beta, indep: d.indep, excess: d.excess, excess_ci: pctCi(d.excessCi, f2),
        phi: d.phi, phi_ci: pctCi(d.phiCi, f2),
        diff_excess: d.format === "FR" ? `${f2(d.excessDiff!)} (${pctCi(d.excessDiffCi, f2)})` : null,
        diff_phi: d.format === "FR" ? `${f2(d.phiDiff!)} (${pctCi(d.phiDiffCi, f2)})` : null,
      })),
      notes: [],
    };
    const spec = figureSpec(r, ctx.params.label);
    const dep = r.dependence.length ? await renderVegaLite(dependenceSpec(r, ctx.params.label) as never) : undefined;
    return {
      table, "table-matched": tableMatched, summary: r, ...(await renderVegaLite(spec as never)),
      "table-dependence": tableDependence, "dependence-svg": dep?.svg ?? "<svg xmlns=\"http://www.w3.org/2000/svg\"/>", "dependence-png": dep?.png ?? new Uint8Array(),
    };
  },
});
