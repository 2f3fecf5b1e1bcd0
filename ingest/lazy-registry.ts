// A by-name registry of lazily loaded plugin modules (adapters, graders). Lazy, so a stage's code ingredient holds
// only the module it names: the stage declares it with codeFiles, and lazy imports are not followed by the code
// hash (engine/code-hash.ts).

export interface LazyRegistry<Name extends string, Fn> {
  names: [Name, ...Name[]];
  /** Project-relative module of an entry (a code ingredient of the stage that uses it). */
  modulePath(name: string): string;
  load(name: string): Promise<Fn>;
  /** The whole module of an entry (its default export and any named exports, e.g. an adapter's `options`). */
  loadModule(name: string): Promise<Record<string, unknown>>;
}

export function lazyRegistry<Name extends string, Fn>(
  kind: string, folder: string, modules: Record<Name, () => Promise<{ default?: unknown }>>,
): LazyRegistry<Name, Fn> {
  const names = Object.keys(modules).sort() as [Name, ...Name[]];
  const modulePath = (name: string) => `${folder}/${name}.ts`;
  const loadModule = async (name: string): Promise<Record<string, unknown>> => {
    const load = (modules as Record<string, (() => Promise<{ default?: unknown }>) | undefined>)[name];
    if (!load) throw new Error(`unknown ${kind} "${name}"; valid ${kind}s: ${names.join(", ")}`);
    return (await load()) as Record<string, unknown>;
  };
  return {
    names,
    modulePath,
    loadModule,
    async load(name) {
      const fn = (await loadModule(name)).default;
      if (typeof fn !== "function") throw new Error(`${modulePath(name)} has no default-exported ${kind} function`);
      return fn as Fn;
    },
  };
}
