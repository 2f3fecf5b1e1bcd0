// The stage graph: dependencies, deterministic topological order, cycles, and upstream/downstream closures.

/** stage id -> ids of the stages it reads from. */
export type StageDeps = Map<string, Set<string>>;

/** Kahn's algorithm with a sorted ready set, so the order is the same on every machine. */
export function topoOrder(deps: StageDeps): string[] {
  const indeg = new Map<string, number>();
  const down = new Map<string, string[]>();
  for (const [id, ups] of deps) {
    indeg.set(id, ups.size);
    for (const u of ups) down.set(u, [...(down.get(u) ?? []), id]);
  }
  const ready = [...indeg].filter(([, d]) => d === 0).map(([id]) => id).sort();
  const order: string[] = [];
  while (ready.length) {
    const id = ready.shift()!;
    order.push(id);
    for (const d of down.get(id) ?? []) {
      const n = indeg.get(d)! - 1;
      indeg.set(d, n);
      if (n === 0) { ready.push(d); ready.sort(); }
    }
  }
  if (order.length !== deps.size) throw new Error(`dependency cycle: ${(findCycle(deps) ?? []).join(" -> ")}`);
  return order;
}

/** One cycle as a closed path [a, b, a] (a reads from b reads from a), or undefined. */
export function findCycle(deps: StageDeps): string[] | undefined {
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    state.set(id, "open");
    stack.push(id);
    for (const u of [...(deps.get(id) ?? [])].sort()) {
      if (state.get(u) === "open") return [...stack.slice(stack.indexOf(u)), u];
      if (!state.has(u)) { const c = visit(u); if (c) return c; }
    }
    stack.pop();
    state.set(id, "done");
    return undefined;
  };
  for (const id of [...deps.keys()].sort()) {
    if (!state.has(id)) { const c = visit(id); if (c) return c; }
  }
  return undefined;
}

/** The targets and everything they (transitively) read from. */
export function upstreamClosure(deps: StageDeps, targets: string[]): Set<string> {
  const out = new Set<string>();
  const walk = (id: string) => {
    if (out.has(id)) return;
    out.add(id);
    for (const u of deps.get(id) ?? []) walk(u);
  };
  targets.forEach(walk);
  return out;
}

/** Stages that (transitively) read from any of the given stages, excluding them. */
export function downstreamOf(deps: StageDeps, ids: Set<string>): Set<string> {
  const out = new Set<string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const [id, ups] of deps) {
      if (ids.has(id) || out.has(id)) continue;
      if ([...ups].some((u) => ids.has(u) || out.has(u))) { out.add(id); grew = true; }
    }
  }
  return out;
}
