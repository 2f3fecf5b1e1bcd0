// vega and Observable Plot number the ids of clip paths and gradients from a counter that lives as long as the
// module: the third figure a worker renders gets clip14 where a fresh process writes clip0. Stage workers are
// reused in whatever order the scheduler runs them, so the same figure could come out with different bytes.
// Renumbering every numbered id by order of first appearance makes an SVG a function of its content alone.
export function stableSvgIds(svg: string): string {
  const rename = new Map<string, string>();
  const perPrefix = new Map<string, number>();
  for (const m of svg.matchAll(/\sid="([A-Za-z_-]+?)(\d+)"/g)) {
    const id = m[1]! + m[2]!;
    if (rename.has(id)) continue;
    const next = perPrefix.get(m[1]!) ?? 0;
    perPrefix.set(m[1]!, next + 1);
    rename.set(id, `${m[1]!}${next}`);
  }
  if (rename.size === 0) return svg;
  return svg.replace(/(\sid="|url\(#|href="#)([A-Za-z_-]+?\d+)(?=[")])/g, (all, lead: string, id: string) => {
    const to = rename.get(id);
    return to === undefined ? all : lead + to;
  });
}
