// Adapter options: each adapter module exports `options` (the keys it reads, their types and meaning); a key it
// does not declare is an error, never silently ignored, and values are normalised to the declared type (the command
// line passes strings, pipeline.yaml passes YAML values).
import type { AdapterOptions, OptionSpec } from "./types.js";

/** Levenshtein distance (small strings: option names). */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1));
    }
  }
  return d[a.length]![b.length]!;
}

/** The declared name closest to `key`, when it is close enough to be a likely typo. */
export function closestName(key: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const n of names) {
    const dd = distance(key, n);
    if (dd < bestD) { best = n; bestD = dd; }
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(best.length / 3)) ? best : undefined;
}

function normaliseValue(adapter: string, key: string, spec: OptionSpec, v: unknown): unknown {
  const bad = (expected: string): never => {
    throw new Error(`adapter "${adapter}": option "${key}" expects ${expected}; got ${JSON.stringify(v)}`);
  };
  switch (spec.type) {
    case "string":
      if (typeof v !== "string" || v === "") bad("a non-empty string");
      if (spec.values && !spec.values.includes(v as string)) bad(`one of ${spec.values.join(", ")}`);
      return v;
    case "boolean":
      if (typeof v === "boolean") return v;
      if (typeof v === "string" && /^(true|false)$/i.test(v.trim())) return v.trim().toLowerCase() === "true";
      return bad("true or false");
    case "integer": {
      const n = typeof v === "string" && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v;
      if (typeof n !== "number" || !Number.isSafeInteger(n)) bad("an integer");
      return n;
    }
    case "strings": {
      const list = typeof v === "string" ? v.split(",").map((s) => s.trim()).filter((s) => s !== "") : v;
      if (!Array.isArray(list) || list.length === 0 || !list.every((s) => typeof s === "string" && s !== "")) bad("a list of strings (or one comma-separated string)");
      return list;
    }
    case "verdicts": {
      let map: Record<string, unknown>;
      if (typeof v === "string") {
        map = {};
        for (const part of v.split(",").map((s) => s.trim()).filter((s) => s !== "")) {
          const eq = part.lastIndexOf("=");
          if (eq <= 0) bad('value=verdict pairs such as "C=1,I=0,N=0"');
          map[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
        }
      } else if (typeof v === "object" && v !== null && !Array.isArray(v)) {
        map = v as Record<string, unknown>;
      } else {
        return bad('a map from score value to 0 or 1, e.g. {C: 1, I: 0} or "C=1,I=0"');
      }
      const out: Record<string, 0 | 1> = {};
      for (const [k, x] of Object.entries(map)) {
        if (x === 0 || x === "0" || x === false || x === "false") out[k] = 0;
        else if (x === 1 || x === "1" || x === true || x === "true") out[k] = 1;
        else bad(`0 or 1 for score value "${k}"`);
      }
      if (Object.keys(out).length === 0) bad("at least one value=verdict pair");
      return out;
    }
  }
}

/**
 * Checks options against an adapter's declaration: an unknown key is an error naming the adapter, the key, the
 * closest declared name and every declared one; each value is normalised to its declared type.
 */
export function normaliseAdapterOptions(adapter: string, declared: AdapterOptions, options: Record<string, unknown>): Record<string, unknown> {
  const names = Object.keys(declared).sort();
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    const spec = declared[key];
    if (!spec) {
      const near = closestName(key, names);
      throw new Error(
        `adapter "${adapter}" has no option "${key}"${near ? ` (did you mean "${near}"?)` : ""}; ` +
          (names.length ? `its options: ${names.join(", ")}` : "it takes no options"),
      );
    }
    if (value === undefined) continue;
    out[key] = normaliseValue(adapter, key, spec, value);
  }
  return out;
}

/** One line per option, for help texts and errors. */
export function describeOptions(declared: AdapterOptions): string[] {
  return Object.keys(declared).sort().map((k) => `${k} (${declared[k]!.type}): ${declared[k]!.description}`);
}
