// The audited pool matrix (audit/RULE.md, "What the audited matrix is"): all-wrong items regraded or removed by their
// class; every other item as it was. Pure.
import type { PoolMatrix } from "../core/pool-matrix.js";
import type { ItemVerdict } from "./types.js";

export interface AuditedMatrix { matrix: PoolMatrix; removed: string[]; regraded: string[] }

/**
 * `becomeRight(item, verdict)` names the models that are right after the audit (the stronger grader's accepts for a
 * grader defect; the models giving the correction for a reference error); an empty list removes the item when its
 * class needs a regrade, because it cannot be decided from the stored data.
 */
export function auditedMatrix(matrix: PoolMatrix, verdicts: ItemVerdict[], becomeRight: (item: string, v: ItemVerdict) => string[], suffix = "-audited"): AuditedMatrix {
  const col = new Map(matrix.items.map((id, j) => [id, j]));
  const correct = matrix.correct.map((row) => [...row]);
  const drop = new Set<number>();
  const removed: string[] = [];
  const regraded: string[] = [];
  const rowOf = new Map(matrix.models.map((m, i) => [m, i]));
  for (const v of verdicts) {
    const j = col.get(v.item);
    if (j === undefined) throw new Error(`audit: item ${v.item} is not in pool ${matrix.pool}`);
    if (v.class === "genuine" || v.class === "unaudited") continue;
    if (v.class === "grader defect" || v.class === "reference error") {
      const right = becomeRight(v.item, v);
      if (right.length > 0) {
        for (const m of right) correct[rowOf.get(m)!]![j] = 1;
        regraded.push(v.item);
        continue;
      }
    }
    drop.add(j);
    removed.push(v.item);
  }
  const keep = matrix.items.map((_, j) => j).filter((j) => !drop.has(j));
  const cols = <T>(rows: T[][] | undefined) => rows?.map((r) => keep.map((j) => r[j]!));
  const out: PoolMatrix = {
    ...matrix,
    pool: `${matrix.pool}${suffix}`,
    items: keep.map((j) => matrix.items[j]!),
    correct: cols(correct)!,
    passRate: cols(matrix.passRate),
    passCount: cols(matrix.passCount),
    nSamples: cols(matrix.nSamples),
    itemMeta: matrix.itemMeta ? keep.map((j) => matrix.itemMeta![j]!) : undefined,
    answers: cols(matrix.answers),
    notes: [...matrix.notes, `audit: ${regraded.length} all-wrong item(s) regraded, ${removed.length} removed (audit/RULE.md)`],
  };
  // Models stay in accuracy order (the pool matrix's invariant): regrading can change the order.
  const acc = out.correct.map((r) => r.reduce<number>((s, v) => s + v, 0));
  const order = out.models.map((_, i) => i).sort((a, b) => acc[b]! - acc[a]! || (out.models[a]! < out.models[b]! ? -1 : 1));
  const pick = <T>(rows: T[] | undefined) => rows && order.map((i) => rows[i]!);
  return {
    matrix: { ...out, models: pick(out.models)!, providers: pick(out.providers)!, correct: pick(out.correct)!, passRate: pick(out.passRate), passCount: pick(out.passCount), nSamples: pick(out.nSamples), answers: pick(out.answers) },
    removed, regraded,
  };
}
