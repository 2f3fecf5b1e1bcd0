// The paper diff: the registry diff between two runs (engine/registry-diff.ts) read through the paper's numbers.json —
// for every number that moved, whether its rounded form in the text changed and which sentences, claims,
// tables and figures use it. Pure: the caller loads registries and numbers files.
import type { MovedResult, RegistryDiff } from "../engine/index.js";
import { formatValue } from "./format.js";
import type { ResultRecord } from "../engine/types.js";
import type { NumbersFile } from "./render/render.js";

export interface NumberUseChange {
  section: string;
  line: number;
  sentence: string;
  oldText?: string;
  newText: string;
}

export interface PaperMove extends Omit<MovedResult, "oldRecord" | "newRecord"> {
  /** The value as typeset, before and after (from numbers.json, else by the result's format). */
  oldText: string;
  newText: string;
  roundedChanged: boolean;
  uses: NumberUseChange[];
  claims: { expression: string; sentence: string; line: number; oldStatus?: string; newStatus: string }[];
  /** Tables and figures made by the stage that published the number, whose file changed between the runs. */
  artifacts: { kind: "table" | "figure"; ref: string }[];
}

export interface PaperDiff {
  from: { run: string; startedAt: string };
  to: { run: string; startedAt: string };
  moved: PaperMove[];
  added: ResultRecord[];
  removed: ResultRecord[];
  unchanged: number;
  /** Claims whose status changed (e.g. true -> false), whatever moved them. */
  claimChanges: { expression: string; sentence: string; line: number; oldStatus?: string; newStatus: string }[];
  /** Whether the paper's numbers.json was available for each run. */
  paper: { old: boolean; new: boolean };
}

const useKey = (u: { id: string; sentence: string }) => `${u.id}\u0000${u.sentence}`;

export function paperDiff(options: {
  diff: RegistryDiff;
  oldNumbers?: NumbersFile;
  newNumbers?: NumbersFile;
  from: PaperDiff["from"];
  to: PaperDiff["to"];
}): PaperDiff {
  const { diff, oldNumbers, newNumbers } = options;
  const oldUses = new Map<string, NumbersFile["numbers"][number][]>();
  for (const u of oldNumbers?.numbers ?? []) oldUses.set(useKey(u), [...(oldUses.get(useKey(u)) ?? []), u]);
  const oldClaims = new Map((oldNumbers?.claims ?? []).map((c) => [`${c.expression}\u0000${c.sentence}`, c]));
  const changedArtifacts = (kind: "tables" | "figures") => {
    const before = new Map((oldNumbers?.[kind] ?? []).map((t) => [t.ref, t.sha256]));
    return (newNumbers?.[kind] ?? []).filter((t) => before.get(t.ref) !== t.sha256);
  };
  const tables = changedArtifacts("tables");
  const figures = changedArtifacts("figures");

  const moved = diff.moved.map((m): PaperMove => {
    const { oldRecord, newRecord, ...rest } = m;
    const uses: NumberUseChange[] = [];
    const seen = new Map<string, number>();
    for (const u of newNumbers?.numbers ?? []) {
      if (u.id !== m.id) continue;
      const k = useKey(u);
      const n = seen.get(k) ?? 0;
      seen.set(k, n + 1);
      const before = oldUses.get(k)?.[n];
      uses.push({ section: u.section, line: u.line, sentence: u.sentence, ...(before ? { oldText: before.text } : {}), newText: u.text });
    }
    const oldText = uses.find((u) => u.oldText !== undefined)?.oldText ?? formatValue(m.old, oldRecord.format);
    const newText = uses[0]?.newText ?? formatValue(m.new, newRecord.format);
    const claims = (newNumbers?.claims ?? []).filter((c) => c.ids.includes(m.id)).map((c) => {
      const before = oldClaims.get(`${c.expression}\u0000${c.sentence}`);
      return { expression: c.expression, sentence: c.sentence, line: c.line, ...(before ? { oldStatus: before.status } : {}), newStatus: c.status };
    });
    const artifacts = [
      ...tables.filter((t) => t.stage === m.stage).map((t) => ({ kind: "table" as const, ref: t.ref })),
      ...figures.filter((t) => t.stage === m.stage).map((t) => ({ kind: "figure" as const, ref: t.ref })),
    ];
    return { ...rest, oldText, newText, roundedChanged: uses.length ? uses.some((u) => u.oldText !== u.newText) : oldText !== newText, uses, claims, artifacts };
  });
  const claimChanges = (newNumbers?.claims ?? []).flatMap((c) => {
    const before = oldClaims.get(`${c.expression}\u0000${c.sentence}`);
    return before?.status === c.status ? [] : [{ expression: c.expression, sentence: c.sentence, line: c.line, ...(before ? { oldStatus: before.status } : {}), newStatus: c.status }];
  });
  return {
    from: options.from, to: options.to, moved, added: diff.added, removed: diff.removed, unchanged: diff.unchanged, claimChanges,
    paper: { old: !!oldNumbers, new: !!newNumbers },
  };
}

const num = (x: number) => String(Number(x.toPrecision(6)));

function errorNote(m: PaperMove): string {
  if (m.errorKind === "none") return "exact quantity (no error estimate): a real change";
  const what = m.errorKind === "mcError" ? `2 x Monte-Carlo SE of the difference ${num(m.tolerance!)}` : `CI half-width ${num(m.tolerance!)}`;
  return m.exceedsError ? `exceeds ${what}` : `within ${what}`;
}

/** Text report; `short` is the form `cofail run` ends with. */
export function paperDiffText(d: PaperDiff, options: { short?: boolean; maxUses?: number } = {}): string {
  const lines: string[] = [];
  const changes = d.moved.length + d.added.length + d.removed.length;
  lines.push(`paper diff ${d.from.run} -> ${d.to.run}: ${d.moved.length} number(s) moved, ${d.added.length} added, ${d.removed.length} removed, ${d.unchanged} unchanged`);
  if (!changes && !d.claimChanges.length) return lines[0]!;
  const inText = d.moved.filter((m) => m.uses.length);
  const roundedChanged = d.moved.filter((m) => m.roundedChanged && m.uses.length);
  if (options.short) {
    lines[0] += `; ${inText.length} used in the paper, ${roundedChanged.length} change as printed`;
    for (const m of d.moved.filter((x) => x.uses.length).slice(0, 12)) {
      lines.push(`  ${m.id}: ${m.oldText} -> ${m.newText}${m.roundedChanged ? "" : " (same as printed)"}  [${errorNote(m)}]  ${m.uses.length} use(s), first: ${m.uses[0]!.section ? `§ ${m.uses[0]!.section}, ` : ""}line ${m.uses[0]!.line}`);
    }
    if (inText.length > 12) lines.push(`  … ${inText.length - 12} more`);
    for (const c of d.claimChanges) lines.push(`  claim ${c.expression}: ${c.oldStatus ?? "(new)"} -> ${c.newStatus} (line ${c.line})`);
    lines.push("  details: cofail diff");
    return lines.join("\n");
  }
  if (!d.paper.new) lines.push("  (no numbers.json in the newer run: paper usage unknown)");
  for (const m of d.moved) {
    lines.push("");
    lines.push(`${m.id}  ${num(m.old)} -> ${num(m.new)}  (delta ${m.delta >= 0 ? "+" : ""}${num(m.delta)}${Number.isFinite(m.relative) ? `, ${(100 * m.relative).toFixed(2)}%` : ""}; stage ${m.stage})`);
    lines.push(`  error: ${errorNote(m)}`);
    lines.push(`  printed: ${m.oldText} -> ${m.newText}${m.roundedChanged ? "  (rounded form changed)" : "  (rounded form unchanged)"}`);
    if (!m.uses.length) lines.push("  not used in the paper text");
    for (const u of m.uses.slice(0, options.maxUses ?? 10)) {
      lines.push(`  used ${u.section ? `in § ${u.section}, ` : ""}line ${u.line}: ${u.oldText ?? "(new use)"} -> ${u.newText}: "${u.sentence}"`);
    }
    for (const c of m.claims) lines.push(`  claim (line ${c.line}) ${c.expression}: ${c.oldStatus ?? "(new)"} -> ${c.newStatus}`);
    for (const a of m.artifacts) lines.push(`  ${a.kind} ${a.ref} (same stage) changed`);
  }
  if (d.added.length) lines.push("", `added: ${d.added.map((r) => `${r.id} = ${num(r.value)}`).join(", ")}`);
  if (d.removed.length) lines.push("", `removed: ${d.removed.map((r) => `${r.id} (was ${num(r.value)})`).join(", ")}`);
  if (d.claimChanges.length) {
    lines.push("", "claims whose status changed:");
    for (const c of d.claimChanges) lines.push(`  line ${c.line}: ${c.expression}: ${c.oldStatus ?? "(new)"} -> ${c.newStatus}: "${c.sentence}"`);
  }
  return lines.join("\n");
}
