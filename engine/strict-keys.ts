// Strict keys and resource bounds for any zod schema, without the schema having to opt in: a plain `z.object`
// silently drops keys it does not know (zod's default "strip"), so a misspelled param (`sample_polcy: majority`)
// would run with the default. `unknownKeys` walks a value alongside its schema and lists every key that no object
// schema on the way declares, with the closest valid name; `resourceOverLimits` lists numbers above the bound a
// schema declares with `resourceLimit` (engine/types.ts). Objects declared `.passthrough()`/`.loose()` or as records
// accept any key, as their authors meant.
import { closest, distance } from "fastest-levenshtein";
import { z } from "zod";
import { RESOURCE_META } from "./types.js";

export type KeyPath = (string | number)[];

export interface UnknownKey {
  /** Path of the unknown key itself (its parent's path + the key). */
  path: KeyPath;
  key: string;
  /** The keys valid at that place, sorted. */
  known: string[];
  /** The closest valid name, when one is close enough to be a likely typo. */
  suggestion?: string;
}

export interface ResourceLimitMeta { max: number; what: string }

export interface OverLimit { path: KeyPath; value: number; max: number; what: string }

type Def = { type: string; [k: string]: unknown };
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** The schema under wrappers that do not change which keys are valid (default, optional, pipe, lazy, ...). */
function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (let guard = 0; guard < 64; guard++) {
    const d = defOf(s);
    if (["default", "prefault", "optional", "nullable", "readonly", "catch", "nonoptional", "success"].includes(d.type)) s = d.innerType as z.ZodType;
    else if (d.type === "pipe") s = d.in as z.ZodType;
    else if (d.type === "lazy") s = (d.getter as () => z.ZodType)();
    else return s;
  }
  return s;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The closest of `known` to `key`, if within a typo's distance (about a third of the name, at least 2 edits). */
export function closestName(key: string, known: string[]): string | undefined {
  if (!known.length) return undefined;
  const lower = key.toLowerCase();
  const exactCase = known.find((k) => k.toLowerCase() === lower);
  if (exactCase) return exactCase;
  const best = closest(key, known);
  return distance(key, best) <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

/** Every key of `value` that its schema does not declare (at any depth), in document order. */
export function unknownKeys(schema: z.ZodType, value: unknown, path: KeyPath = []): UnknownKey[] {
  const s = unwrap(schema);
  const d = defOf(s);
  const out: UnknownKey[] = [];
  switch (d.type) {
    case "object": {
      if (!isPlainObject(value)) return out;
      const shape = d.shape as Record<string, z.ZodType>;
      const catchall = d.catchall as z.ZodType | undefined;
      const open = catchall !== undefined && defOf(catchall).type !== "never";
      const known = Object.keys(shape).sort();
      for (const [k, v] of Object.entries(value)) {
        if (shape[k]) out.push(...unknownKeys(shape[k]!, v, [...path, k]));
        else if (open) out.push(...unknownKeys(catchall!, v, [...path, k]));
        else out.push({ path: [...path, k], key: k, known, suggestion: closestName(k, known) });
      }
      return out;
    }
    case "array":
      if (Array.isArray(value)) value.forEach((v, i) => out.push(...unknownKeys(d.element as z.ZodType, v, [...path, i])));
      return out;
    case "tuple": {
      if (!Array.isArray(value)) return out;
      const items = d.items as z.ZodType[];
      value.forEach((v, i) => {
        const item = items[i] ?? (d.rest as z.ZodType | undefined);
        if (item) out.push(...unknownKeys(item, v, [...path, i]));
      });
      return out;
    }
    case "record":
      if (isPlainObject(value)) for (const [k, v] of Object.entries(value)) out.push(...unknownKeys(d.valueType as z.ZodType, v, [...path, k]));
      return out;
    case "intersection": {
      // A key is valid when either side declares it.
      const left = unknownKeys(d.left as z.ZodType, value, path), right = unknownKeys(d.right as z.ZodType, value, path);
      const inRight = new Set(right.map((u) => u.path.join("\0")));
      return left.filter((u) => inRight.has(u.path.join("\0")));
    }
    case "union": {
      const options = d.options as z.ZodType[];
      // The options the value satisfies decide; among them the one with the fewest unknown keys.
      const fitting = options.filter((o) => o.safeParse(value).success);
      const candidates = fitting.length ? fitting : options;
      let best: UnknownKey[] | undefined;
      for (const o of candidates) {
        const u = unknownKeys(o, value, path);
        if (!best || u.length < best.length) best = u;
        if (!u.length) return [];
      }
      if (!best || fitting.length) return best ?? [];
      // No option fits: a key none of the object options declares is named, with every option's keys as candidates.
      const allKeys = [...new Set(options.flatMap((o) => {
        const od = defOf(unwrap(o));
        return od.type === "object" ? Object.keys(od.shape as Record<string, unknown>) : [];
      }))].sort();
      return best.filter((u) => u.path.length === path.length + 1 && !allKeys.includes(u.key))
        .map((u) => ({ ...u, known: allKeys, suggestion: closestName(u.key, allKeys) }));
    }
    default:
      return out;
  }
}

/** Every number in `value` above the `resourceLimit` its schema declares, in document order. */
export function resourceOverLimits(schema: z.ZodType, value: unknown, path: KeyPath = []): OverLimit[] {
  const out: OverLimit[] = [];
  // The bound may sit on any wrapper layer (e.g. inside .default()), so look at each.
  let s: z.ZodType = schema;
  for (let guard = 0; guard < 64; guard++) {
    const meta = z.globalRegistry.get(s) as Record<string, unknown> | undefined;
    const limit = meta?.[RESOURCE_META] as ResourceLimitMeta | undefined;
    if (limit && typeof value === "number" && value > limit.max) {
      out.push({ path, value, max: limit.max, what: limit.what });
      return out;
    }
    const d = defOf(s);
    if (["default", "prefault", "optional", "nullable", "readonly", "catch", "nonoptional"].includes(d.type)) s = d.innerType as z.ZodType;
    else if (d.type === "pipe") s = d.in as z.ZodType;
    else break;
  }
  const d = defOf(s);
  if (d.type === "object" && isPlainObject(value)) {
    const shape = d.shape as Record<string, z.ZodType>;
    for (const [k, v] of Object.entries(value)) if (shape[k]) out.push(...resourceOverLimits(shape[k]!, v, [...path, k]));
  } else if (d.type === "array" && Array.isArray(value)) {
    value.forEach((v, i) => out.push(...resourceOverLimits(d.element as z.ZodType, v, [...path, i])));
  } else if (d.type === "record" && isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) out.push(...resourceOverLimits(d.valueType as z.ZodType, v, [...path, k]));
  }
  return out;
}

/** Dotted paths of every param (in nested objects too) that carries a `resourceLimit`, sorted. */
export function resourceParamPaths(schema: z.ZodType, path: string[] = []): string[] {
  const out: string[] = [];
  let s: z.ZodType = schema;
  for (let guard = 0; guard < 64; guard++) {
    const meta = z.globalRegistry.get(s) as Record<string, unknown> | undefined;
    if (meta?.[RESOURCE_META]) return [path.join(".")];
    const d = defOf(s);
    if (["default", "prefault", "optional", "nullable", "readonly", "catch", "nonoptional"].includes(d.type)) s = d.innerType as z.ZodType;
    else if (d.type === "pipe") s = d.in as z.ZodType;
    else break;
  }
  const d = defOf(s);
  if (d.type === "object") for (const [k, v] of Object.entries(d.shape as Record<string, z.ZodType>)) out.push(...resourceParamPaths(v, [...path, k]));
  return path.length ? out : out.sort();
}
