// The pool matrix from graded canonical tables: which models and which items form the pool, and how several
// samples become one verdict. Pure: the `pool` stage, `cofail certify` and the tests call it directly.
import { z } from "zod";
import { globMatcher } from "../engine/glob.js";
import { type CanonicalRow, type CanonicalTable, SamplePolicy, type ItemMeta } from "./canonical-table.js";
import { PoolMatrix } from "./pool-matrix.js";
import { normaliseAnswer, reduceCell, type CellVerdict } from "./sample-policy.js";

export const PoolParams = z.object({
  /** Pool name: the prefix of every published id ("math-l5" -> "math-l5.beta"). */
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "lower-case letters, digits and '-'"),
  sample_policy: SamplePolicy.default("first"),
  models: z.object({
    /** Exact model names or `*` globs; default all. */
    include: z.array(z.string()).optional(),
    exclude: z.array(z.string()).optional(),
    /** Keep the n most accurate models (after include/exclude). */
    top: z.number().int().positive().optional(),
  }).default({}),
  /** "common": items every selected model has; "all": every item, and a model missing one is an error. */
  items: z.enum(["common", "all"]).default("common"),
  min_models: z.number().int().positive().optional(),
});
export type PoolParams = z.infer<typeof PoolParams>;

/** Applies include/exclude; an include pattern that matches nothing is an error (a typo must not shrink a pool silently). */
export function filterModelNames(names: string[], include: string[] | undefined, exclude: string[] | undefined): string[] {
  let kept = names;
  if (include) {
    for (const p of include) {
      const match = globMatcher(p);
      if (!names.some((n) => match(n))) {
        throw new Error(`models.include: "${p}" matches no model; available: ${names.join(", ")}`);
      }
    }
    const inc = include.map(globMatcher);
    kept = kept.filter((n) => inc.some((m) => m(n)));
  }
  if (exclude) {
    const exc = exclude.map(globMatcher);
    kept = kept.filter((n) => !exc.some((m) => m(n)));
  }
  return kept;
}

interface ModelCells {
  provider: string;
  cells: Map<string, CellVerdict>;
  /** Lowest-sample row of each item, for answers and metadata. */
  firstRow: Map<string, CanonicalRow>;
}

const ITEM_META_KEYS = ["subject", "difficulty", "platform", "date"] as const;

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Builds the pool matrix from canonical rows; pure, so tests call it directly. */
export function buildPoolMatrix(tables: CanonicalTable[], params: PoolParams, warn: (m: string) => void = () => {}): PoolMatrix {
  const notes: string[] = [];
  const tasks = new Set<string>();
  for (const t of tables) for (const r of t.rows) tasks.add(r.task);
  const prefixTask = tasks.size > 1;
  if (prefixTask) notes.push(`items from ${tasks.size} tasks (${[...tasks].sort().join(", ")}): item ids are "task/item"`);

  // Group rows per (model, item); an exact duplicate (same sample twice) is an adapter bug, not data.
  const grouped = new Map<string, Map<string, CanonicalRow[]>>();
  const providers = new Map<string, string>();
  for (const table of tables) {
    for (const row of table.rows) {
      const item = prefixTask ? `${row.task}/${row.item_id}` : row.item_id;
      let perItem = grouped.get(row.model);
      if (!perItem) grouped.set(row.model, (perItem = new Map()));
      let rows = perItem.get(item);
      if (!rows) perItem.set(item, (rows = []));
      if (rows.some((r) => r.sample === row.sample)) {
        throw new Error(`pool ${params.name}: duplicate row for model "${row.model}", item "${item}", sample ${row.sample} (two tables or files contain the same run?)`);
      }
      rows.push(row);
      const prior = providers.get(row.model);
      if (prior === undefined) providers.set(row.model, row.provider);
      else if (prior !== row.provider) warn(`model "${row.model}" has providers "${prior}" and "${row.provider}"; using "${prior}"`);
    }
  }
  if (grouped.size === 0) throw new Error(`pool ${params.name}: the input tables have no rows`);

  const models = new Map<string, ModelCells>();
  for (const [model, perItem] of grouped) {
    const cells = new Map<string, CellVerdict>();
    const firstRow = new Map<string, CanonicalRow>();
    let nullCells = 0;
    for (const [item, rows] of perItem) {
      const cell = reduceCell(rows, params.sample_policy, `model "${model}", item "${item}"`);
      firstRow.set(item, rows.reduce((a, b) => (b.sample < a.sample ? b : a)));
      if (cell.correct === null) nullCells++;
      else cells.set(item, cell);
    }
    if (nullCells > 0) notes.push(`${model}: ${nullCells} item(s) without a verdict treated as missing`);
    models.set(model, { provider: providers.get(model)!, cells, firstRow });
  }

  let names = filterModelNames([...models.keys()].sort(byName), params.models.include, params.models.exclude);
  if (names.length === 0) throw new Error(`pool ${params.name}: no models left after models.include/exclude`);

  const itemSet = (selected: string[]): string[] => {
    const sets = selected.map((m) => models.get(m)!.cells);
    if (params.items === "all") {
      const union = new Set<string>();
      for (const s of sets) for (const k of s.keys()) union.add(k);
      const missing = selected
        .map((m) => ({ m, n: [...union].filter((i) => !models.get(m)!.cells.has(i)).length }))
        .filter((x) => x.n > 0);
      if (missing.length) {
        throw new Error(`pool ${params.name}: items=all but ${missing.map((x) => `"${x.m}" lacks ${x.n} of ${union.size} items`).join("; ")} (use items: common, or exclude those models)`);
      }
      return [...union].sort(byName);
    }
    const [first, ...rest] = sets;
    return [...first.keys()].filter((i) => rest.every((s) => s.has(i))).sort(byName);
  };

  // Ordering accuracy: expected pass rate under "expected", else the 0/1 verdict mean, on the pool's items.
  const order = (selected: string[], items: string[]) => {
    const acc = new Map<string, number>();
    for (const m of selected) {
      const cells = models.get(m)!.cells;
      let s = 0;
      for (const i of items) { const c = cells.get(i)!; s += params.sample_policy === "expected" ? c.passRate : c.correct!; }
      acc.set(m, s / items.length);
    }
    return [...selected].sort((a, b) => acc.get(b)! - acc.get(a)! || byName(a, b));
  };

  let items = itemSet(names);
  if (items.length === 0) throw new Error(`pool ${params.name}: the ${names.length} selected models have no item in common`);
  names = order(names, items);
  if (params.models.top !== undefined && params.models.top < names.length) {
    // Rank on the items the candidate pool shares, keep the top n, then re-derive the items for them.
    notes.push(`models.top=${params.models.top}: kept ${params.models.top} of ${names.length} models ranked on ${items.length} items`);
    names = names.slice(0, params.models.top);
    items = itemSet(names);
    names = order(names, items);
  }
  if (params.min_models !== undefined && names.length < params.min_models) {
    throw new Error(`pool ${params.name}: ${names.length} model(s) selected, min_models is ${params.min_models}`);
  }
  const allItems = new Set<string>();
  for (const m of names) for (const i of models.get(m)!.cells.keys()) allItems.add(i);
  if (params.items === "common" && allItems.size > items.length) {
    notes.push(`items=common: ${items.length} of ${allItems.size} items are answered by all ${names.length} models`);
  }

  const cellsOf = (m: string) => items.map((i) => models.get(m)!.cells.get(i)!);
  const correct = names.map((m) => cellsOf(m).map((c) => c.correct as 0 | 1));
  const multiDraw = names.some((m) => cellsOf(m).some((c) => c.draws > 1));
  const hasAnswers = names.some((m) => items.some((i) => models.get(m)!.firstRow.get(i)!.answer !== undefined));

  // Only item-level keys: adapters also put per-response extras into meta (e.g. the source's extracted answer).
  const itemMeta: ItemMeta[] = items.map((i) => {
    const out: ItemMeta = {};
    for (const m of names) {
      const meta = models.get(m)!.firstRow.get(i)!.meta;
      for (const key of ITEM_META_KEYS) if (meta?.[key] !== undefined && out[key] === undefined) out[key] = meta[key];
    }
    return out;
  });
  const hasMeta = itemMeta.some((x) => Object.keys(x).length > 0);

  return PoolMatrix.parse({
    pool: params.name,
    samplePolicy: params.sample_policy,
    items,
    models: names,
    providers: names.map((m) => models.get(m)!.provider),
    correct,
    passRate: params.sample_policy === "expected" ? names.map((m) => cellsOf(m).map((c) => c.passRate)) : undefined,
    passCount: multiDraw ? names.map((m) => cellsOf(m).map((c) => c.passes)) : undefined,
    nSamples: multiDraw ? names.map((m) => cellsOf(m).map((c) => c.draws)) : undefined,
    itemMeta: hasMeta ? itemMeta : undefined,
    answers: hasAnswers ? names.map((m) => items.map((i) => normaliseAnswer(models.get(m)!.firstRow.get(i)!.answer))) : undefined,
    notes,
  });
}

/** Providers counted for the paper: distinct known providers ("unknown" is not a provider). */
export function countProviders(providers: string[]): number {
  return new Set(providers.filter((p) => p !== "unknown")).size;
}
