// The appendix "Provenance of every number": for each result id the paper uses, the raw unrounded value, its
// format and renderings, the stage run (type, key, params, seed, inputs and their hashes) and the chain of
// upstream stage runs down to the raw files with URL and sha256; then one entry per stage run and the claims.
import type { ResultRecord } from "../../engine/types.js";
import type { ClaimResult } from "./claims.js";
import { anchor, escapeHtml, shortHash, stableJson } from "./html.js";
import { findRecords, lineage, type ProvenanceIndex } from "./lineage.js";
import { groupInputs, type ProvenanceView, type RawFileView } from "./records.js";

export interface NumberUse {
  id: string;
  text: string;
  format?: string;
  section: string;
  line: number;
  sentence: string;
}

export interface ClaimUse {
  index: number;
  expression: string;
  result: ClaimResult;
  section: string;
  line: number;
  sentence: string;
}

const code = (s: string | undefined) => `<code>${escapeHtml(s ?? "?")}</code>`;
const stageLink = (r: ProvenanceView) => `<a href="#${anchor("stage", r.stage)}">${escapeHtml(r.stage)}</a>${r.partition ? ` [${escapeHtml(r.partition)}]` : ""}`;

export function rawFilesHtml(files: RawFileView[]): string {
  if (files.length === 0) return "<p>No raw files recorded.</p>";
  const items = files.map((f) => `<li>${f.url ? `<a href="${escapeHtml(f.url)}">${escapeHtml(f.name)}</a>` : escapeHtml(f.name)} <code class="hash">sha256:${escapeHtml(f.sha256 ?? "?")}</code></li>`).join("\n");
  return `<details><summary>${files.length} raw file${files.length === 1 ? "" : "s"} (URL, sha256)</summary><ul class="files">\n${items}\n</ul></details>`;
}

function inputsHtml(r: ProvenanceView): string {
  if (r.inputs.length === 0) return "none";
  return "<ul>" + groupInputs(r.inputs).map((g) => {
    const head = `${g.name ? escapeHtml(g.name) + " ← " : ""}${escapeHtml(g.ref)}`;
    if (g.entries.length > 1) {
      const files = g.entries.map((e) => `<li>${escapeHtml(e.files[0]?.name ?? e.ref)} ${code(e.hash)}</li>`).join("");
      return `<li>${head}: <details><summary>${g.entries.length} files</summary><ul class="files">${files}</ul></details></li>`;
    }
    const i = g.entries[0]!;
    return `<li>${head} ${code(i.hash)}` + (i.upstreamKey ? ` (upstream key ${code(shortHash(i.upstreamKey))})` : "") + "</li>";
  }).join("") + "</ul>";
}

export function numberEntry(options: { result: ResultRecord; uses: NumberUse[]; index: ProvenanceIndex }): string {
  const { result: r, uses, index } = options;
  const record = findRecords(index, r.stage, r.key)[0];
  const renderings = [...new Set(uses.map((u) => `“${u.text}”${u.format ? ` (${u.format})` : ""}`))].join(", ");
  const rows: [string, string][] = [
    ["raw value", code(String(r.value))],
    ["format", code(r.format ?? "default")],
    ["rendered as", escapeHtml(renderings)],
  ];
  if (r.description) rows.push(["description", escapeHtml(r.description)]);
  if (r.unit) rows.push(["unit", escapeHtml(r.unit)]);
  if (r.ci) rows.push(["interval", `${code(`[${r.ci.lower}, ${r.ci.upper}]`)} level ${r.ci.level}${r.ci.method ? ", " + escapeHtml(r.ci.method) : ""}`]);
  if (r.mcError !== undefined) rows.push(["Monte-Carlo error", code(String(r.mcError))]);
  rows.push(["stage", `<a href="#${anchor("stage", r.stage)}">${escapeHtml(r.stage)}</a>`], ["key", code(r.key)]);
  if (record) {
    const chain = lineage(record, index);
    rows.push(
      ["type", escapeHtml(record.type ?? "?")],
      ["params", code(stableJson(record.params ?? {}))],
      ["seed", code(record.seed === undefined ? "?" : String(record.seed))],
      ["inputs", inputsHtml(record)],
      ["chain", chain.stages.map(stageLink).join(" ← ") + (chain.missing.length ? ` ← (no record for ${chain.missing.map(escapeHtml).join(", ")})` : "")],
      ["raw files", rawFilesHtml(chain.rawFiles)],
    );
  } else rows.push(["provenance", "<em>no provenance record received for this stage run</em>"]);
  const usedIn = [...new Set(uses.map((u) => `<li>§ ${escapeHtml(u.section || "(front matter)")}, line ${u.line} (“${escapeHtml(u.text)}”): ${escapeHtml(u.sentence)}</li>`))];
  rows.push(["used in", `<ul>${usedIn.join("")}</ul>`]);
  return `<section class="prov" id="${anchor("prov", r.id)}">
<h3>${code(r.id)}</h3>
<dl>${rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join("")}</dl>
</section>`;
}

export function stageEntry(record: ProvenanceView, index: ProvenanceIndex): string {
  const chain = lineage(record, index);
  const rows: [string, string][] = [
    ["type", escapeHtml(record.type ?? "?")],
    ["key", code(record.key)],
    ["params", code(stableJson(record.params ?? {}))],
    ["seed", code(record.seed === undefined ? "?" : String(record.seed))],
  ];
  if (record.codeHash) rows.push(["code hash", code(record.codeHash)]);
  if (record.code.length) rows.push(["code", "<ul>" + record.code.map((c) => `<li>${escapeHtml(c.file)} ${code(c.sha256)}</li>`).join("") + "</ul>"]);
  rows.push(["inputs", inputsHtml(record)]);
  if (record.outputs.length) rows.push(["outputs", "<ul>" + record.outputs.map((o) => `<li>${escapeHtml(o.file)} ${code(o.sha256)}</li>`).join("") + "</ul>"]);
  rows.push(["upstream", chain.stages.slice(1).map(stageLink).join(", ") || "none"], ["raw files", rawFilesHtml(chain.rawFiles)]);
  return `<section class="stage"${record.partition ? ` id="${anchor("stage", record.stage + "-" + record.partition)}"` : ""}>
<h3>Stage ${code(record.stage)}${record.partition ? ` partition ${code(record.partition)}` : ""}</h3>
<dl>${rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join("")}</dl>
</section>`;
}

export function claimsHtml(claims: ClaimUse[]): string {
  if (claims.length === 0) return "";
  const rows = claims.map((c) => `<tr id="claim-${c.index}" class="claim-${c.result.status}"><td>${c.result.status}</td><td>${code(c.expression)}</td><td>${escapeHtml(c.result.message)}</td><td>§ ${escapeHtml(c.section)}, line ${c.line}</td></tr>`).join("\n");
  const unchecked = claims.filter((c) => c.result.status === "unchecked").length;
  return `<h2 id="claims">Claims</h2>
<p>${claims.length} guarded claim${claims.length === 1 ? "" : "s"}; ${unchecked} unchecked (not evaluated, so not known to hold).</p>
<table class="claims"><thead><tr><th>status</th><th>claim</th><th>detail</th><th>where</th></tr></thead><tbody>
${rows}
</tbody></table>`;
}
