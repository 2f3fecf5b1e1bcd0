// Typesetting one registry value as it appears in the text, with its provenance on hover and a link to the
// appendix entry. The link text is exactly the formatted number, so copying the paper copies the numbers.
import { formatInterval, formatLevel, formatValue } from "../format.js";
import type { ResultRecord } from "../../engine/types.js";
import { anchor, escapeHtml, shortHash, stableJson } from "./html.js";
import { groupInputs, type ProvenanceView } from "./records.js";
import type { Placeholder } from "./syntax.js";

export type NumberPlaceholder = Extract<Placeholder, { kind: "number" }>;

export function numberText(p: NumberPlaceholder, r: ResultRecord): string {
  const format = p.format ?? r.format;
  if (p.show === "value") return formatValue(r.value, format);
  if (!r.ci) throw new Error(`{{${p.id}|${p.show}}}: result ${p.id} has no interval (publish it with options.ci)`);
  if (p.show === "lower") return formatValue(r.ci.lower, format);
  if (p.show === "upper") return formatValue(r.ci.upper, format);
  const [lo, hi] = formatInterval(r.ci, format).slice(1, -1).split(", ");
  return `${formatValue(r.value, format)} (${formatLevel(r.ci.level)} CI ${lo}–${hi})`;
}

/** The hover text: first line "<id> = <raw value> · <stage> · <key>", then the ingredients of the stage run. */
export function provenanceTitle(r: ResultRecord, record: ProvenanceView | undefined, gitCommit: string | undefined): string {
  const lines = [`${r.id} = ${String(r.value)} · ${r.stage} · ${shortHash(r.key)}`];
  if (r.format) lines.push(`format ${r.format}`);
  if (r.ci) lines.push(`${formatLevel(r.ci.level)} CI [${r.ci.lower}, ${r.ci.upper}]${r.ci.method ? " " + r.ci.method : ""}`);
  if (r.mcError !== undefined) lines.push(`Monte-Carlo error ${r.mcError}`);
  if (record) {
    // Long params (a stage's whole configuration) are in the appendix entry; the hover keeps a readable head.
    const params = stableJson(record.params ?? {});
    lines.push(`type ${record.type ?? "?"} · seed ${record.seed ?? "?"} · params ${params.length > 160 ? `${params.slice(0, 159)}… (in the appendix)` : params}`);
    for (const g of groupInputs(record.inputs)) {
      const what = g.entries.length === 1 ? shortHash(g.entries[0]!.hash) : `(${g.entries.length} files)`;
      lines.push(`input ${g.name ? g.name + " ← " : ""}${g.ref} ${what}`);
    }
  } else lines.push("(no provenance record for this stage run)");
  // The commit is the page's (header and footer); a title names it only when it differs from it.
  if (gitCommit === undefined) lines.push("commit unknown");
  return lines.join("\n");
}

export function numberHtml(options: { text: string; result: ResultRecord; title: string }): string {
  const { result } = options;
  return `<a class="num" href="#${anchor("prov", result.id)}" data-id="${escapeHtml(result.id)}" data-value="${String(result.value)}" title="${escapeHtml(options.title)}">${escapeHtml(options.text)}</a>`;
}
