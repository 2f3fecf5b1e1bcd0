// The paper diff between two recorded runs (`cofail diff`, and the short form `cofail run` ends with): loads the runs' registry and
// numbers.json snapshots (engine/snapshot.ts) and reports through paper/diff.ts.
import { diffRegistries, listRuns, pickRuns, projectPaths, readSnapshot, runRegistry, type ProjectPaths, type RunRecordRef } from "../engine/index.js";
import { paperDiff, paperDiffText, type PaperDiff } from "./diff.js";
import type { NumbersFile } from "./render/render.js";

/** The numbers.json snapshots of a run, merged (a pipeline may render several papers). */
async function runNumbers(paths: ProjectPaths, run: RunRecordRef): Promise<NumbersFile | undefined> {
  const keys = Object.keys(run.snapshot?.files ?? {}).filter((k) => k.endsWith("/numbers.json")).sort();
  const files = (await Promise.all(keys.map((k) => readSnapshot<NumbersFile>(paths, run.snapshot!.files[k]!)))).filter((f): f is NumbersFile => !!f);
  if (!files.length) return undefined;
  return {
    version: 1, gitCommit: files[0]!.gitCommit,
    numbers: files.flatMap((f) => f.numbers), claims: files.flatMap((f) => f.claims),
    tables: files.flatMap((f) => f.tables), figures: files.flatMap((f) => f.figures),
  };
}

export async function computePaperDiff(options: { projectDir: string; a?: string; b?: string }): Promise<PaperDiff> {
  const paths = projectPaths(options.projectDir);
  const [ra, rb] = pickRuns(await listRuns(paths), options.a, options.b);
  const [oldReg, newReg] = await Promise.all([runRegistry(paths, ra), runRegistry(paths, rb)]);
  return paperDiff({
    diff: diffRegistries(oldReg, newReg),
    oldNumbers: await runNumbers(paths, ra), newNumbers: await runNumbers(paths, rb),
    from: { run: ra.id, startedAt: ra.startedAt }, to: { run: rb.id, startedAt: rb.startedAt },
  });
}

export async function paperDiffCommand(options: { projectDir: string; a?: string; b?: string; json?: boolean }): Promise<string> {
  const d = await computePaperDiff(options);
  return options.json ? JSON.stringify(d, null, 2) : paperDiffText(d);
}

/** The short diff of the last run against the one before, when any registry number moved; else undefined. */
export async function runEndDiff(projectDir: string): Promise<string | undefined> {
  try {
    const runs = await listRuns(projectPaths(projectDir));
    const last = runs[runs.length - 1];
    if (!last?.snapshot) return undefined;
    const prev = [...runs.slice(0, -1)].reverse().find((r) => r.snapshot);
    if (!prev || prev.snapshot!.registry === last.snapshot.registry) return undefined;
    const d = await computePaperDiff({ projectDir, a: prev.file, b: last.file });
    return d.moved.length || d.added.length || d.removed.length ? paperDiffText(d, { short: true }) : undefined;
  } catch {
    return undefined; // the diff is a courtesy at the end of a run: never fail the run over it
  }
}
