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
  /** The sentence as written (placeholders kept): the paper-diff key. */
  sentence: string;
  /** The sentence as a reader sees it: numbers typeset, claims and Markdown removed (appendix only). */
  sentenceText?: string;
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

export function rawFilesHtml(files: RawFileView[]): string {
  if (files.length === 0) return "<p>No raw files recorded.</p>";
  const items = files.map((f) => `<li>${f.url ? `<a href="${escapeHtml(f.url)}">${escapeHtml(f.name)}</a>` : escapeHtml(f.name)} <code class="hash">sha256:${escapeHtml(f.sha256 ?? "?")}</code></li>`).join("\n");
  return `<details><summary>${files.length} raw file${files.length === 1 ? "" : "s"} (URL, sha256)</summary><ul class="files">\n${items}\n</ul></details>`;
}

/** The datasets (raw-file groups) a chain of stage runs reads, each with its files, deduplicated. */
export function chainDatasets(stages: ProvenanceView[]): { ref: string; files: RawFileView[] }[] {
  const byRef = new Map<string, Map<string, RawFileView>>();
  for (const r of stages) for (const i of r.inputs) {
    if (i.upstreamStage) continue;
    const files = byRef.get(i.ref) ?? new Map<string, RawFileView>();
    for (const f of i.files) files.set(`${f.name}\u0000${f.sha256 ?? ""}`, f);
    byRef.set(i.ref, files);
  }
  return [...byRef.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([ref, files]) => ({ ref, files: [...files.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) }));
}

/** Stage ids of a chain in breadth-first order, each once, with how many partitions (runs) it has. */
function chainStages(stages: ProvenanceView[]): { stage: string; runs: number }[] {
  const out = new Map<string, number>();
  for (const r of stages) out.set(r.stage, (out.get(r.stage) ?? 0) + 1);
  return [...out.entries()].map(([stage, runs]) => ({ stage, runs }));
}

const stageRef = (s: { stage: string; runs: number }) =>
  `<a href="#${anchor("stage", s.stage)}">${escapeHtml(s.stage)}</a>${s.runs > 1 ? ` [${s.runs} partitions]` : ""}`;
const datasetRef = (d: { ref: string; files: RawFileView[] }) =>
  `<a href="#${anchor("data", d.ref)}">${escapeHtml(d.ref)}</a> (${d.files.length} file${d.files.length === 1 ? "" : "s"})`;

function inputsHtml(r: ProvenanceView): string {
  if (r.inputs.length === 0) return "none";
  return "<ul>" + groupInputs(r.inputs).map((g) => {
    const up = g.entries[0]!.upstreamStage;
    const ref = up ? `<a href="#${anchor("stage", up)}">${escapeHtml(g.ref)}</a>` : g.ref.startsWith("dataset:") ? `<a href="#${anchor("data", g.ref)}">${escapeHtml(g.ref)}</a>` : escapeHtml(g.ref);
    const head = `${g.name ? escapeHtml(g.name) + " ← " : ""}${ref}`;
    if (g.entries.length > 1) return `<li>${head}: ${g.entries.length} files</li>`;
    return `<li>${head} ${code(shortHash(g.entries[0]!.hash, 16))}</li>`;
  }).join("") + "</ul>";
}

/**
 * The provenance entry of one number: its raw value, formats, interval, the stage run that published it and the
 * chain down to the raw files, collapsed (one line; the stage ids once each, partitions counted; the datasets
 * once each) and expandable. Each stage run and dataset is described once, in "Stage runs" and "Raw files".
 */
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
  rows.push(["stage run", `<a href="#${anchor("stage", r.stage)}">${escapeHtml(r.stage)}</a>${record?.type ? ` (${escapeHtml(record.type)})` : ""}, key ${code(r.key)}`]);
  if (record) {
    const chain = lineage(record, index);
    const stages = chainStages(chain.stages);
    const datasets = chainDatasets(chain.stages);
    // The chain is a property of the stage run, printed once in its entry; the number links there.
    rows.push(["chain", `${chain.stages.length} stage run${chain.stages.length === 1 ? "" : "s"} of ${stages.length} stage${stages.length === 1 ? "" : "s"}, ${chain.rawFiles.length} raw file${chain.rawFiles.length === 1 ? "" : "s"} in ${datasets.length} dataset${datasets.length === 1 ? "" : "s"}: listed under <a href="#${anchor("stage", r.stage)}">${escapeHtml(r.stage)}</a>`]);
  } else rows.push(["provenance", "<em>no provenance record received for this stage run</em>"]);
  const usedIn = [...new Set(uses.map((u) => `<li>§ ${escapeHtml(u.section || "(front matter)")}, line ${u.line} (“${escapeHtml(u.text)}”): ${escapeHtml(u.sentenceText ?? u.sentence)}</li>`))];
  rows.push(["used in", `<ul>${usedIn.join("")}</ul>`]);
  return `<section class="prov" id="${anchor("prov", r.id)}">
<h3>${code(r.id)}</h3>
<dl>${rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join("")}</dl>
</section>`;
}

/**
 * One entry per stage id: what its runs share (type, params, code) once, then each run (partition) with its key,
 * seed and inputs. Upstream is the direct inputs only, each linked to its own entry, so the whole chain is there
 * once and is followed by clicking; code files are collapsed.
 */
const codeKey = (r: ProvenanceView) => `${r.codeHash ?? ""}|${r.code.map((c) => `${c.file}:${c.sha256 ?? ""}`).join(",")}`;
const codeFilesHtml = (r: ProvenanceView) =>
  `<details><summary>${r.code.length} file${r.code.length === 1 ? "" : "s"}</summary><ul class="files">` + r.code.map((c) => `<li>${escapeHtml(c.file)} ${code(shortHash(c.sha256, 10))}</li>`).join("") + "</ul></details>";

/** A code list (same files, same hashes) that several stages share: printed once under "Code", linked from each. */
export interface SharedCode { anchor: string; type: string; record: ProvenanceView; stages: string[] }

/**
 * The code lists that more than one stage entry would print, by code key: the sweeps and pools of one stage type run
 * the same code, and listing its ~30 files in each of their entries was most of the appendix's size.
 */
export function sharedCodeLists(stages: ProvenanceView[][]): Map<string, SharedCode> {
  const byKey = new Map<string, SharedCode>();
  for (const records of stages) {
    const first = records[0]!;
    if (!first.code.length || !records.every((r) => codeKey(r) === codeKey(first))) continue;
    const k = codeKey(first);
    const entry = byKey.get(k) ?? { anchor: "", type: first.type ?? "?", record: first, stages: [] };
    entry.stages.push(first.stage);
    byKey.set(k, entry);
  }
  const shared = new Map([...byKey].filter(([, e]) => e.stages.length > 1));
  const perType = new Map<string, number>();
  for (const e of [...shared.values()].sort((a, b) => (a.stages[0]! < b.stages[0]! ? -1 : 1))) {
    const n = (perType.get(e.type) ?? 0) + 1;
    perType.set(e.type, n);
    e.anchor = anchor("code", n === 1 ? e.type : `${e.type}-${n}`);
  }
  return shared;
}

export function sharedCodeHtml(shared: Map<string, SharedCode>): string {
  if (shared.size === 0) return "";
  const entries = [...shared.values()].sort((a, b) => (a.anchor < b.anchor ? -1 : 1)).map((e) =>
    `<section class="code" id="${e.anchor}"><h3>Code of stage type ${code(e.type)}</h3><dl>` +
    (e.record.codeHash ? `<dt>code hash</dt><dd>${code(e.record.codeHash)}</dd>` : "") +
    `<dt>files</dt><dd>${codeFilesHtml(e.record)}</dd><dt>run by</dt><dd>${e.stages.length} stages: ${e.stages.map((s) => `<a href="#${anchor("stage", s)}">${escapeHtml(s)}</a>`).join(", ")}</dd></dl></section>`).join("\n");
  return `<h2 id="code">Code shared by several stages</h2>\n${entries}`;
}

export function stageEntry(records: ProvenanceView[], index: ProvenanceIndex, shared: Map<string, SharedCode> = new Map()): string {
  const first = records[0]!;
  const rows: [string, string][] = [["type", escapeHtml(first.type ?? "?")]];
  const sameParams = records.every((r) => stableJson(r.params ?? {}) === stableJson(first.params ?? {}));
  if (sameParams) rows.push(["params", code(stableJson(first.params ?? {}))]);
  if (records.every((r) => codeKey(r) === codeKey(first))) {
    const common = shared.get(codeKey(first));
    if (common) rows.push(["code", `${first.code.length} files${first.codeHash ? `, code hash ${code(shortHash(first.codeHash, 12))}` : ""}: listed under <a href="#${common.anchor}">code of ${escapeHtml(common.type)}</a>`]);
    else {
      if (first.codeHash) rows.push(["code hash", code(first.codeHash)]);
      if (first.code.length) rows.push(["code", codeFilesHtml(first)]);
    }
  }
  const ups = new Map<string, number>();
  for (const r of records) for (const i of r.inputs) if (i.upstreamStage) ups.set(i.upstreamStage, 1);
  rows.push(["upstream", [...ups.keys()].sort().map((s) => stageRef({ stage: s, runs: 1 })).join(", ") || "none (reads raw files only)"]);
  if (ups.size) {
    // The whole chain, collapsed: every stage once (partitions counted), then the datasets it reads.
    const all = [...new Map(records.flatMap((r) => lineage(r, index).stages).map((r) => [r.key, r])).values()];
    const stages = chainStages(all);
    const datasets = chainDatasets(all);
    rows.push(["chain", `<details><summary>${all.length} stage runs of ${stages.length} stages, ${datasets.reduce((n, d) => n + d.files.length, 0)} raw files</summary>` +
      stages.map(stageRef).join(" ← ") + (datasets.length ? `<br>raw files: ${datasets.map(datasetRef).join(", ")}` : "") + "</details>"]);
  }
  const runHtml = (r: ProvenanceView) => {
    const rr: [string, string][] = [["key", code(r.key)], ["seed", code(r.seed === undefined ? "?" : String(r.seed))]];
    if (!sameParams) rr.push(["params", code(stableJson(r.params ?? {}))]);
    if (codeKey(r) !== codeKey(first)) rr.push(["code hash", code(r.codeHash ?? "?")]);
    rr.push(["inputs", inputsHtml(r)]);
    if (r.outputs.length) rr.push(["outputs", `<details><summary>${r.outputs.length} output${r.outputs.length === 1 ? "" : "s"}</summary><ul class="files">` + r.outputs.map((o) => `<li>${escapeHtml(o.file)} ${code(shortHash(o.sha256, 10))}</li>`).join("") + "</ul></details>"]);
    return `<dl>${rr.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join("")}</dl>`;
  };
  const runs = records.length === 1
    ? runHtml(first)
    : `<details><summary>${records.length} partitions</summary>${records.map((r) => `<h4>partition ${code(r.partition ?? "?")}</h4>${runHtml(r)}`).join("")}</details>`;
  return `<section class="stage" id="${anchor("stage", first.stage)}">
<h3>Stage ${code(first.stage)}</h3>
<dl>${rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join("")}</dl>
${runs}
</section>`;
}

/** Every dataset the paper's stage runs read, once, with each file's URL and sha256. */
export function datasetsHtml(datasets: { ref: string; files: RawFileView[] }[]): string {
  if (datasets.length === 0) return "";
  return `<h2 id="raw-files">Raw files</h2>\n` + datasets.map((d) =>
    `<section class="data" id="${anchor("data", d.ref)}"><h3>${code(d.ref)}</h3>${rawFilesHtml(d.files)}</section>`).join("\n");
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
