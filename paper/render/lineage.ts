// Following provenance records upstream, from the stage that published a number down to the raw files
// (URL + sha256) it was computed from: the chain the paper's appendix prints for every number.
import type { ProvenanceView, RawFileView } from "./records.js";

export interface ProvenanceIndex {
  byKey: Map<string, ProvenanceView>;
  byStage: Map<string, ProvenanceView[]>;
}

export interface Lineage {
  /** The starting record and every upstream record, breadth-first, each once. */
  stages: ProvenanceView[];
  /** Raw (dataset or local) files reached, deduplicated, sorted by name. */
  rawFiles: RawFileView[];
  /** Upstream references whose record was not among the records given (e.g. the paper did not receive it). */
  missing: string[];
}

export function indexProvenance(records: ProvenanceView[]): ProvenanceIndex {
  const byKey = new Map<string, ProvenanceView>();
  const byStage = new Map<string, ProvenanceView[]>();
  for (const r of records) {
    byKey.set(r.key, r);
    byStage.set(r.stage, [...(byStage.get(r.stage) ?? []), r]);
  }
  return { byKey, byStage };
}

/**
 * The record of a stage run: by cache key when known (exact), else the runs of that stage that wrote the content
 * read (`hash`: the engine records what an input read, not which run wrote it), else every record of that stage id.
 */
export function findRecords(index: ProvenanceIndex, stage: string, key?: string, hash?: string): ProvenanceView[] {
  if (key) {
    const exact = index.byKey.get(key);
    if (exact) return [exact];
  }
  const all = index.byStage.get(stage) ?? [];
  if (hash) {
    const wrote = all.filter((r) => r.outputs.some((o) => o.sha256 === hash));
    if (wrote.length) return wrote;
  }
  // Key unknown or not among the records (e.g. a stale key): fall back to the stage id.
  return all;
}

export function lineage(start: ProvenanceView, index: ProvenanceIndex): Lineage {
  const stages: ProvenanceView[] = [];
  const seen = new Set<string>();
  const raw = new Map<string, RawFileView>();
  const missing = new Set<string>();
  const queue: ProvenanceView[] = [start];
  while (queue.length) {
    const r = queue.shift()!;
    if (seen.has(r.key)) continue;
    seen.add(r.key);
    stages.push(r);
    for (const input of r.inputs) {
      if (input.upstreamStage) {
        const up = findRecords(index, input.upstreamStage, input.upstreamKey, input.hash);
        if (up.length === 0) missing.add(input.ref);
        queue.push(...up);
      } else {
        // A dataset (or local file) input: its files are the raw end of the chain.
        for (const f of input.files) raw.set(`${f.name}\u0000${f.sha256 ?? ""}`, f);
      }
    }
  }
  const rawFiles = [...raw.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { stages, rawFiles, missing: [...missing].sort() };
}
