// Query features a router may see, read from the pool's item metadata. A feature spec is "<meta key>" or
// "<meta key>:<transform>"; dates (ISO YYYY-MM-DD) are bucketed so a cell holds enough training items, and a
// GPQA subject can be coarsened to its domain.
import type { ItemMeta } from "./canonical-table.js";
import { gpqaDomain } from "./gpqa.js";

export const FEATURE_TRANSFORMS = ["year", "half", "quarter", "month", "gpqa-domain"] as const;

/** Missing metadata is its own cell value, so a router can still learn "no difficulty given". */
export const MISSING_FEATURE = "(missing)";

/** The value of one feature spec on one item. */
export function featureValue(meta: ItemMeta | undefined, spec: string): string {
  const [key, transform] = spec.split(":", 2);
  const raw = meta?.[key];
  if (raw === undefined || raw === null || raw === "") return MISSING_FEATURE;
  const s = String(raw);
  if (transform === undefined) return s;
  if (transform === "gpqa-domain") return gpqaDomain(s) ?? MISSING_FEATURE;
  const m = /^(\d{4})-(\d{2})/.exec(s);
  if (!m) throw new Error(`feature "${spec}": "${s}" is not an ISO date (YYYY-MM-DD)`);
  const year = m[1], month = Number(m[2]);
  switch (transform) {
    case "year": return year;
    case "half": return `${year}-H${month <= 6 ? 1 : 2}`;
    case "quarter": return `${year}-Q${Math.ceil(month / 3)}`;
    case "month": return `${year}-${m[2]}`;
    default: throw new Error(`feature "${spec}": unknown transform "${transform}" (known: ${FEATURE_TRANSFORMS.join(", ")})`);
  }
}

/** Per item, the values of the given feature specs (the router's cell). */
export function featureCells(itemMeta: ItemMeta[] | undefined, nItems: number, specs: string[]): string[][] {
  return Array.from({ length: nItems }, (_, i) => specs.map((spec) => featureValue(itemMeta?.[i], spec)));
}
