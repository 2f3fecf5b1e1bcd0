// Parameter sweeps: a stage declared once in pipeline.yaml with `sweep:` expands into one stage per point of a
// grid, each a stage of its own (own cache key, lock entry, build/ folder), with a stable, readable id
//   <declared name>@<var>=<label>[,<var>=<label>...]        e.g. copula-lcb-conventions@zero=0.1,repair=higham
// (variables in the order written). The idea of DVC's `matrix`, Snakemake's `Paramspace` and targets' `tar_map`,
// in this engine's terms:
//   sweep: { zero: [0, 0.1, 0.5], repair: [higham, clip] }          a grid: every combination (6 variants)
//   sweep: [{ zero: [0, 0.1], repair: [higham] }, { zero: [0.5], repair: [clip] }]   a union of grids (3 variants)
//   sweep: { verdicts: { raw: pool-lcb.matrix, audited: audit-lcb.matrix } }         labelled values
// A value is a scalar (its label is the value as written: 0.1, majority, true) or, in the labelled form, anything
// (the key is the label). `${var}` in params or inputs is replaced: a string that is exactly `${var}` becomes the
// value (its type kept), `${var}` inside a longer string the value's text. Every variable must be used.
// Variants share their declaration's seed (common random numbers across the sweep: differences between variants
// are the parameter's, not the random stream's). Their published results stay in their own `results` output and
// are not registry numbers (every variant publishes the same ids): a downstream stage reads the variants and
// publishes what the paper cites. A reference to the declared name from another stage is the whole sweep, a
// Record<label, value>; from a variant of another sweep with the same variables, the matching variant (paired by
// the shared variables' labels). Globs over stage ids match variants only when the pattern has an `@`.
import { z } from "zod";

export const VARIANT_MARK = "@";
const LABEL = /^[A-Za-z0-9._+-]+$/;
const VAR = /^[A-Za-z_][A-Za-z0-9_]*$/;

const Scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const Values = z.union([
  z.array(Scalar).min(1).describe("values; each one's text is its label in the variant id"),
  z.record(z.string(), z.unknown()).describe("label -> value (any JSON): labels name the variants"),
]);
const Grid = z.record(z.string(), Values).describe("variable -> values; a variant per combination");
export const SweepShape = z.union([Grid, z.array(Grid).min(1).describe("a union of grids")])
  .describe("expand this stage into one variant per grid point, id <stage>@<var>=<label>,...; ${var} in params and inputs takes the value");

export type SweepSpec = z.infer<typeof SweepShape>;

export interface Variant {
  /** `<name>@<label>`. */
  id: string;
  /** `var=label[,var=label...]`. */
  label: string;
  /** var -> label. */
  labels: Record<string, string>;
  /** var -> value. */
  values: Record<string, unknown>;
}

export interface Sweep {
  name: string;
  variables: string[];
  variants: Variant[];
}

export interface SweepIssue { path: (string | number)[]; message: string; where?: "key" | "value" }

/** The label of a scalar value in a variant id, or undefined when it has characters an id cannot hold. */
function scalarLabel(v: unknown): string | undefined {
  const s = typeof v === "string" ? v : JSON.stringify(v);
  return LABEL.test(s) ? s : undefined;
}

/** The variants of a sweep declaration, or issues (paths relative to the stage: ["sweep", ...]). */
export function expandSweep(name: string, spec: SweepSpec): { sweep?: Sweep; issues: SweepIssue[] } {
  const issues: SweepIssue[] = [];
  const grids = Array.isArray(spec) ? spec : [spec];
  const gridPath = (g: number): (string | number)[] => (Array.isArray(spec) ? ["sweep", g] : ["sweep"]);
  const variables = Object.keys(grids[0] ?? {});
  if (!variables.length) issues.push({ path: gridPath(0), message: "a sweep needs at least one variable" });
  const variants: Variant[] = [];
  const seen = new Set<string>();
  grids.forEach((grid, g) => {
    const vars = Object.keys(grid);
    if (g > 0 && (vars.length !== variables.length || vars.some((v) => !variables.includes(v)))) {
      issues.push({ path: gridPath(g), message: `every grid of a sweep needs the same variables (${variables.join(", ")}); this one has ${vars.join(", ") || "none"}` });
      return;
    }
    const axes: { label: string; value: unknown }[][] = [];
    for (const v of variables) {
      if (!VAR.test(v)) issues.push({ path: [...gridPath(g), v], message: `invalid sweep variable "${v}": letters, digits and '_', not starting with a digit`, where: "key" });
      const values = grid[v]!;
      const axis: { label: string; value: unknown }[] = [];
      if (Array.isArray(values)) {
        values.forEach((value, i) => {
          const label = scalarLabel(value);
          if (label === undefined) issues.push({ path: [...gridPath(g), v, i], message: `value ${JSON.stringify(value)} cannot be part of a variant id (letters, digits, '.', '_', '+', '-'); give it a label: { <label>: <value> }` });
          else axis.push({ label, value });
        });
      } else {
        for (const [label, value] of Object.entries(values)) {
          if (!LABEL.test(label)) issues.push({ path: [...gridPath(g), v, label], message: `invalid label "${label}": letters, digits, '.', '_', '+', '-'`, where: "key" });
          else axis.push({ label, value });
        }
        if (!axis.length && !Object.keys(values).length) issues.push({ path: [...gridPath(g), v], message: "no values" });
      }
      const dup = axis.map((a) => a.label).find((l, i, all) => all.indexOf(l) !== i);
      if (dup !== undefined) issues.push({ path: [...gridPath(g), v], message: `label "${dup}" appears twice` });
      axes.push(axis);
    }
    let points: { label: string; value: unknown }[][] = [[]];
    for (const axis of axes) points = points.flatMap((p) => axis.map((a) => [...p, a]));
    for (const p of points) {
      if (p.length !== variables.length) continue;
      const labels = Object.fromEntries(variables.map((v, i) => [v, p[i]!.label]));
      const label = variables.map((v) => `${v}=${labels[v]}`).join(",");
      if (seen.has(label)) {
        issues.push({ path: gridPath(g), message: `variant ${name}${VARIANT_MARK}${label} is declared twice` });
        continue;
      }
      seen.add(label);
      variants.push({ id: `${name}${VARIANT_MARK}${label}`, label, labels, values: Object.fromEntries(variables.map((v, i) => [v, p[i]!.value])) });
    }
  });
  return issues.length ? { issues } : { sweep: { name, variables, variants }, issues };
}

const PLACEHOLDER = /\$\{([^}]*)\}/g;

/**
 * `${var}` replaced in a params/inputs value (deeply): exactly `${var}` -> the value, embedded -> its text.
 * Records which variables were used; unknown variables and non-scalar embeddings are issues (path relative).
 */
export function interpolate(
  value: unknown, values: Record<string, unknown>, used: Set<string>, path: (string | number)[], issues: SweepIssue[],
): unknown {
  if (typeof value === "string") {
    const exact = /^\$\{([^}]*)\}$/.exec(value);
    if (exact) {
      const v = exact[1]!;
      if (!(v in values)) { issues.push({ path, message: `unknown sweep variable "\${${v}}"; the sweep has: ${Object.keys(values).join(", ")}` }); return value; }
      used.add(v);
      return structuredClone(values[v]);
    }
    return value.replace(PLACEHOLDER, (whole, v: string) => {
      if (!(v in values)) { issues.push({ path, message: `unknown sweep variable "\${${v}}"; the sweep has: ${Object.keys(values).join(", ")}` }); return whole; }
      used.add(v);
      const x = values[v];
      if (x !== null && typeof x === "object") { issues.push({ path, message: `"\${${v}}" inside a longer string needs a scalar value, not ${JSON.stringify(x)}` }); return whole; }
      return String(x);
    });
  }
  if (Array.isArray(value)) return value.map((x, i) => interpolate(x, values, used, [...path, i], issues));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, x]) => [k, interpolate(x, values, used, [...path, k], issues)]));
  }
  return value;
}

/** Whether a stage id is a sweep variant. */
export const isVariantId = (id: string): boolean => id.includes(VARIANT_MARK);

/** Variants of `sweep` that agree with `self` (a variant's var -> label) on the variables both have. */
export function pairedVariants(sweep: Sweep, self: Record<string, string> | undefined): { variants: Variant[]; paired: boolean; shared: string[] } {
  const shared = sweep.variables.filter((v) => self && v in self);
  const variants = sweep.variants.filter((x) => shared.every((v) => x.labels[v] === self![v]));
  return { variants, paired: shared.length === sweep.variables.length, shared };
}
