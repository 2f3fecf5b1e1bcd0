// Which stage output is this file? The paper receives generated tables and figures as files; a placeholder
// names them as <stage>.<output>. A file is identified, in order of trust, by
//   1. a provenance record listing an output with the same sha256 (stage id + output name/file from the record),
//   2. a logical name of the form "<stage>.<output>" or ".../<stage>/<file>" (how the engine names upstream files).
// An output is then matched by its name, its file name, its file name without extension, or its extension
// (the convention is output `svg` -> file `<name>.svg`, output `table-x` -> file `table-x.json`).
import type { InputFile } from "../../engine/types.js";
import type { ProvenanceIndex } from "./lineage.js";
import type { ProvenanceView } from "./records.js";

export interface Artifact {
  stage: string;
  /** Names a placeholder may use for this output. */
  names: string[];
  file: InputFile;
  record?: ProvenanceView;
}

export function identifyArtifacts(files: InputFile[], index: ProvenanceIndex): { artifacts: Artifact[]; unidentified: string[] } {
  const artifacts: Artifact[] = [];
  const unidentified: string[] = [];
  const byHash = new Map<string, { record: ProvenanceView; output: ProvenanceView["outputs"][number] }[]>();
  for (const records of index.byStage.values()) {
    for (const record of records) {
      for (const output of record.outputs) {
        if (output.sha256) byHash.set(output.sha256, [...(byHash.get(output.sha256) ?? []), { record, output }]);
      }
    }
  }
  for (const file of files) {
    const own = fileNames(file.name);
    const hits = byHash.get(file.sha256) ?? byHash.get(`sha256:${file.sha256}`) ?? [];
    if (hits.length) {
      for (const { record, output } of hits) {
        const names = new Set([...own, ...fileNames(output.file)]);
        if (output.name) names.add(output.name);
        artifacts.push({ stage: record.stage, names: [...names], file, record });
      }
      continue;
    }
    const byName = stageFromName(file.name);
    if (byName) {
      const records = index.byStage.get(byName.stage) ?? [];
      artifacts.push({ stage: byName.stage, names: [...new Set([...own, ...byName.names])], file, record: records[0] });
    } else unidentified.push(file.name);
  }
  return { artifacts, unidentified };
}

export function findArtifact(artifacts: Artifact[], stage: string, output: string): Artifact | undefined {
  const hits = artifacts.filter((a) => a.stage === stage && a.names.includes(output));
  const distinct = [...new Map(hits.map((h) => [h.file.sha256 + h.file.name, h])).values()];
  if (distinct.length > 1) {
    throw new Error(`${stage}.${output} matches several files (${distinct.map((d) => d.file.name).join(", ")}); name the output by its file name`);
  }
  return distinct[0];
}

function fileNames(path: string): string[] {
  const base = path.split("/").pop() ?? path;
  const dot = base.lastIndexOf(".");
  return dot > 0 ? [base, base.slice(0, dot), base.slice(dot + 1)] : [base];
}

function stageFromName(name: string): { stage: string; names: string[] } | undefined {
  const parts = name.split("/").filter(Boolean);
  // The engine names upstream outputs "<stage>/<file>" or "<stage>/<partition>/<file>".
  if (parts.length >= 2) return { stage: parts[0]!, names: [] };
  const ref = /^([A-Za-z0-9][A-Za-z0-9_-]*)\.([A-Za-z0-9][A-Za-z0-9_-]*)$/.exec(name);
  return ref ? { stage: ref[1]!, names: [ref[2]!] } : undefined;
}
