// A by-name registry of lazily loaded plugin modules (adapters, graders). Lazy, so a stage's code ingredient holds
// only the module it names: the stage declares it with codeFiles, and lazy imports are not followed by the code
// hash (engine/code-hash.ts).

export interface LazyRegistry<Name extends string, Fn> {
  names: [Name, ...Name[]];
  /** Project-relative module of an entry (a code ingredient of the stage that uses it). */
  modulePath(name: string): string;
  load(name: string): Promise<Fn>;
}

export function lazyRegistry<Name extends string, Fn>(
  kind: string, folder: string, modules: Record<Name, () => Promise<{ default?: unknown }>>,
): LazyRegistry<Name, Fn> {
  const names = Object.keys(modules).sort() as [Name, ...Name[]];
  const modulePath = (name: string) => `${folder}/${name}.ts`;
  return {
    names,
    modulePath,
    async load(name) {
      const load = (modules as Record<string, (() => Promise<{ default?: unknown }>) | undefined>)[name];
      if (!load) throw new Error(`unknown ${kind} "${name}"; valid ${kind}s: ${names.join(", ")}`);
      const fn = (await load()).default;
      if (typeof fn !== "function") throw new Error(`${modulePath(name)} has no default-exported ${kind} function`);
      return fn as Fn;
    },
  };
}
