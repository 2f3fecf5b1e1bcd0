// A json input arrives in one of three shapes depending on how pipeline.yaml references it: a single value,
// an array (a list or a glob of references), or Record<partition, value> (a partitioned upstream).
// Stages that take "one or many" of something flatten all three to a list with this helper.

/**
 * Flattens value | value[] | Record<partition, value> (nested arbitrarily, e.g. a glob over partitioned
 * stages) into a list. `isValue` tells a single value apart from a partition record. Records are read in
 * sorted key order so the result does not depend on object insertion order.
 */
export function flattenInput<T>(input: unknown, isValue: (x: unknown) => x is T, what: string): T[] {
  const out: T[] = [];
  const visit = (x: unknown, path: string) => {
    if (isValue(x)) out.push(x);
    else if (Array.isArray(x)) x.forEach((v, i) => visit(v, `${path}[${i}]`));
    else if (x !== null && typeof x === "object") {
      for (const key of Object.keys(x).sort()) visit((x as Record<string, unknown>)[key], `${path}.${key}`);
    } else throw new Error(`input ${path}: expected ${what} (or a list / partition record of them), got ${x === null ? "null" : typeof x}`);
  };
  visit(input, what);
  return out;
}

export const isCanonicalTableLike = (x: unknown): x is { task: string; rows: unknown[] } =>
  x !== null && typeof x === "object" && !Array.isArray(x) && Array.isArray((x as { rows?: unknown }).rows) &&
  typeof (x as { task?: unknown }).task === "string";
