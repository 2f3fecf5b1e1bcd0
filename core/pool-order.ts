// Display order of per-pool panels and rows: the pools a stage's `order` param lists first, in that order,
// then the others by name.

/** Sorts by pool name in the given order; pools not listed follow in name order (a copy, the input is unchanged). */
export function sortByPoolOrder<T extends { pool: string }>(items: readonly T[], order?: readonly string[]): T[] {
  const rank = (p: string) => { const i = order?.indexOf(p) ?? -1; return i < 0 ? Infinity : i; };
  return [...items].sort((a, b) => rank(a.pool) - rank(b.pool) || (a.pool < b.pool ? -1 : a.pool > b.pool ? 1 : 0));
}
