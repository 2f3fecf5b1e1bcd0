// `cofail status`: which paper numbers a pending change would alter — the registry ids published by stale
// stages and their downstream (engine/impact.ts), mapped through the current numbers.json to the sentences
// that print them.
import { pendingImpact, readLockedOutputs, type Session, type TaskStatus } from "../engine/index.js";
import type { NumbersFile } from "./render/render.js";

async function currentNumbers(session: Session): Promise<NumbersFile["numbers"]> {
  return (await readLockedOutputs<NumbersFile>(session.paths, session.lock, "numbers")).flatMap((f) => f.numbers);
}

export async function statusImpactText(session: Session, status: TaskStatus[], options: { max?: number } = {}): Promise<string | undefined> {
  const impact = await pendingImpact(session, status);
  if (!impact.changed.length) return undefined;
  const uses = await currentNumbers(session);
  const ids = new Set(impact.results.map((r) => r.id));
  const hit = uses.filter((u) => ids.has(u.id));
  const lines = [`a run would change ${impact.stages.join(", ")}: ${impact.results.length} registry result(s) may move, ` +
    `${new Set(hit.map((u) => u.id)).size} of them printed in the paper:`];
  const max = options.max ?? 30;
  for (const u of hit.slice(0, max)) lines.push(`  ${u.id} (now ${u.text}) line ${u.line}${u.section ? `, § ${u.section}` : ""}: "${u.sentence}"`);
  if (hit.length > max) lines.push(`  … ${hit.length - max} more uses`);
  if (!uses.length) lines.push("  (no numbers.json recorded yet: build the paper to map results to sentences)");
  return lines.join("\n");
}
