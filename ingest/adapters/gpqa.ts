// GPQA helpers shared by the GPQA adapters. Only ids and category labels are read: the GPQA authors ask that
// question, option and answer text not be published, so none of it ever reaches a canonical row.
import type { InputFile } from "../../engine/types.js";
import { gpqaDomainOfSubdomain } from "../../core/gpqa.js";
import { isRecord, readJsonl } from "../read-lines.js";

export function gpqaItemId(recordId: string): string {
  return `gpqa-${recordId}`;
}

export interface GpqaSubject {
  subject: string;
  subdomain: string;
}

/** Splits a simple-evals id "<subdomain>/<Record ID>"; an unknown subdomain is an error (the map must be extended). */
export function splitSimpleEvalsId(id: unknown, where: string): { recordId: string } & GpqaSubject {
  if (typeof id !== "string" || !/^[^/]+\/rec[A-Za-z0-9]+$/.test(id)) {
    throw new Error(`${where}: id ${JSON.stringify(id)} is not "<subdomain>/<GPQA Record ID>"`);
  }
  const [subdomain, recordId] = id.split("/");
  const subject = gpqaDomainOfSubdomain[subdomain];
  if (subject === undefined) throw new Error(`${where}: unknown GPQA subdomain "${subdomain}" (extend gpqaDomainOfSubdomain in core/gpqa.ts)`);
  return { recordId, subject, subdomain };
}

/** Record ID -> subject from simple-evals' `benches/gpqa.jsonl` (only its `id` field is read). */
export function readGpqaSubjects(file: InputFile): Map<string, GpqaSubject> {
  const out = new Map<string, GpqaSubject>();
  for (const { line, value } of readJsonl(file)) {
    const where = `${file.name}: line ${line}`;
    if (!isRecord(value)) throw new Error(`${where}: expected a JSON object`);
    const { recordId, subject, subdomain } = splitSimpleEvalsId(value.id, where);
    out.set(recordId, { subject, subdomain });
  }
  return out;
}

export function isGpqaBenchFile(file: InputFile): boolean {
  return /(^|\/)benches\/gpqa\.jsonl(\.gz)?$/.test(file.name);
}
