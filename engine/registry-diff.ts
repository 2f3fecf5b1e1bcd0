// Registry diff between two recorded runs (generic: any pipeline's published results). Each number that
// moved is shown old -> new, and judged against its stated uncertainty: the Monte-Carlo/bootstrap standard
// error when the stage reported one (moved if |delta| > 2 * sqrt(se_old^2 + se_new^2), about two standard
// errors of the difference), else the interval half-width (moved if |delta| exceeds the new half-width),
// else none (a deterministic quantity: any change is real).
import { UsageError } from "./errors.js";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { ProjectPaths } from "./cache.js";
import { readSnapshot, type RunSnapshot } from "./snapshot.js";
import type { ResultRecord } from "./types.js";

export interface RunRecordRef {
  id: string;
  file: string;
  startedAt: string;
  ran: string[];
  restored: string[];
  snapshot?: RunSnapshot;
}

export type ErrorKind = "mcError" | "ci-halfwidth" | "none";

export interface MovedResult {
  id: string;
  old: number;
  new: number;
  delta: number;
  /** Relative change |delta| / |old| (Infinity when old = 0). */
  relative: number;
  errorKind: ErrorKind;
  /** The tolerance the change is compared with (undefined for "none"). */
  tolerance?: number;
  /** |delta| > tolerance; null when there is no error estimate. */
  exceedsError: boolean | null;
  stage: string;
  oldStage: string;
  format?: string;
  oldRecord: ResultRecord;
  newRecord: ResultRecord;
}

export interface RegistryDiff {
  moved: MovedResult[];
  added: ResultRecord[];
  removed: ResultRecord[];
  unchanged: number;
}

/** Run records of a project, oldest first. */
export async function listRuns(paths: ProjectPaths): Promise<RunRecordRef[]> {
  let names: string[] = [];
  try { names = (await readdir(paths.runsDir)).filter((n) => n.endsWith(".json")).sort(); } catch { return []; }
  const out: RunRecordRef[] = [];
  for (const n of names) {
    try {
      const r = JSON.parse(await readFile(join(paths.runsDir, n), "utf8"));
      out.push({ id: r.id, file: n, startedAt: r.startedAt, ran: r.ran ?? [], restored: r.restored ?? [], ...(r.snapshot ? { snapshot: r.snapshot } : {}) });
    } catch { /* unreadable record: skip */ }
  }
  return out;
}

/** A run by id (or unique id prefix, or record file name); "~0" (or "-1") is the last run, "~1" ("-2") the one before. */
export function findRun(runs: RunRecordRef[], ref: string): RunRecordRef {
  if (/^(-[1-9]\d*|~\d+)$/.test(ref)) {
    const back = ref.startsWith("~") ? Number(ref.slice(1)) + 1 : -Number(ref);
    const r = runs[runs.length - back];
    if (!r) throw new UsageError(`there are only ${runs.length} recorded runs`);
    return r;
  }
  const hits = runs.filter((r) => r.id === ref || r.file === ref || r.file === `${ref}.json`);
  const prefix = hits.length ? hits : runs.filter((r) => r.id.startsWith(ref));
  if (prefix.length === 1) return prefix[0]!;
  if (!prefix.length) throw new UsageError(`no recorded run "${ref}" in .cofail/runs (known: ${runs.slice(-5).map((r) => r.id).join(", ")})`);
  throw new UsageError(`run "${ref}" is ambiguous: ${prefix.map((r) => r.id).join(", ")}`);
}

/** The two runs to compare: the given ones, or the last two runs that kept a snapshot. */
export function pickRuns(runs: RunRecordRef[], a?: string, b?: string): [RunRecordRef, RunRecordRef] {
  if (a && b) return [findRun(runs, a), findRun(runs, b)];
  const withSnap = runs.filter((r) => r.snapshot);
  if (a) return [findRun(runs, a), withSnap[withSnap.length - 1] ?? findRun(runs, "-1")];
  if (withSnap.length < 2) throw new Error(`need two recorded runs with a registry snapshot to diff (found ${withSnap.length}); run \`cofail run\` again after a change`);
  return [withSnap[withSnap.length - 2]!, withSnap[withSnap.length - 1]!];
}

export async function runRegistry(paths: ProjectPaths, run: RunRecordRef): Promise<ResultRecord[]> {
  if (!run.snapshot) throw new Error(`run ${run.id} (${run.file}) kept no registry snapshot (recorded before snapshots existed, or its registry was not written)`);
  const reg = await readSnapshot<ResultRecord[]>(paths, run.snapshot.registry);
  if (!reg) throw new Error(`registry snapshot ${run.snapshot.registry.slice(0, 12)} of run ${run.id} is missing from .cofail/snapshots`);
  return reg;
}

function tolerance(o: ResultRecord, n: ResultRecord): { kind: ErrorKind; value?: number } {
  if (o.mcError !== undefined || n.mcError !== undefined) {
    const a = o.mcError ?? 0, b = n.mcError ?? 0;
    return { kind: "mcError", value: 2 * Math.sqrt(a * a + b * b) };
  }
  const ci = n.ci ?? o.ci;
  if (ci) return { kind: "ci-halfwidth", value: (ci.upper - ci.lower) / 2 };
  return { kind: "none" };
}

/** Every id whose value changed (bit for bit), plus ids added and removed. */
export function diffRegistries(oldReg: ResultRecord[], newReg: ResultRecord[]): RegistryDiff {
  const before = new Map(oldReg.map((r) => [r.id, r]));
  const after = new Map(newReg.map((r) => [r.id, r]));
  const moved: MovedResult[] = [];
  let unchanged = 0;
  for (const n of newReg) {
    const o = before.get(n.id);
    if (!o) continue;
    if (Object.is(o.value, n.value)) { unchanged++; continue; }
    const delta = n.value - o.value;
    const tol = tolerance(o, n);
    moved.push({
      id: n.id, old: o.value, new: n.value, delta, relative: o.value === 0 ? Infinity : Math.abs(delta) / Math.abs(o.value),
      errorKind: tol.kind, ...(tol.value !== undefined ? { tolerance: tol.value } : {}),
      exceedsError: tol.value === undefined ? null : Math.abs(delta) > tol.value,
      stage: n.stage, oldStage: o.stage, ...(n.format ?? o.format ? { format: n.format ?? o.format } : {}), oldRecord: o, newRecord: n,
    });
  }
  return {
    moved: moved.sort((a, b) => (a.id < b.id ? -1 : 1)),
    added: newReg.filter((r) => !before.has(r.id)),
    removed: oldReg.filter((r) => !after.has(r.id)),
    unchanged,
  };
}
