// paper.md + registry + provenance + generated tables/figures -> one standalone paper.html and numbers.json.
// Pure: no fs, no clock. Every problem found (unknown ids, naked numbers, missing tables or figures, false
// claims) is collected and reported together, so one failed build shows everything to fix.
import { Marked } from "marked";
import type { InputFile, ResultRecord } from "../../engine/types.js";
import { chainDatasets, claimsHtml, datasetsHtml, numberEntry, sharedCodeHtml, sharedCodeLists, stageEntry, type ClaimUse, type NumberUse } from "./appendix.js";
import { findArtifact, identifyArtifacts, type Artifact } from "./artifacts.js";
import { figureHtml, sniffImage, tableHtml, type TableData } from "./blocks.js";
import { evaluateClaim } from "./claims.js";
import { anchor, escapeHtml } from "./html.js";
import { findRecords, indexProvenance, lineage } from "./lineage.js";
import { DEFAULT_ALLOW_LIST, describeNakedNumbers, findNakedNumbers, findNakedNumbersInText } from "./naked-numbers.js";
import { numberHtml, numberText, provenanceTitle } from "./numbers.js";
import { pageHtml } from "./page.js";
import { indexResults, type ProvenanceView } from "./records.js";
import { scanMarkdown, type PlaceholderSite } from "./scan.js";
import { parsePlaceholder, type Placeholder } from "./syntax.js";

export interface LoadedFile extends InputFile {
  bytes: Uint8Array;
}

export interface RenderOptions {
  markdown: string;
  /** For error messages, e.g. "paper/paper.md". */
  sourceName: string;
  results: ResultRecord[];
  provenance: ProvenanceView[];
  tables?: LoadedFile[];
  figures?: LoadedFile[];
  /** Validates and types a table file's JSON (the stage passes the zod schema of core/table.ts). */
  parseTable?: (json: unknown, name: string) => TableData;
  gitCommit?: string;
  /** Extra phrases allowed to contain digits in the prose (model names with spaced versions). */
  allow?: string[];
  /** Claim evaluator; defaults to paper/render/claims.ts (tests inject their own). */
  evaluateClaim?: typeof evaluateClaim;
  /** A claim that evaluates to false fails the build unless this is set. */
  allowFalseClaims?: boolean;
}

export interface NumbersFile {
  version: 1;
  gitCommit: string | null;
  numbers: (NumberUse & { value: number; stage: string; key: string; ci?: ResultRecord["ci"]; mcError?: number })[];
  claims: { expression: string; status: string; message: string; ids: string[]; section: string; line: number; sentence: string }[];
  tables: { ref: string; file: string; sha256: string; stage: string; key?: string }[];
  figures: { ref: string; file: string; sha256: string; stage: string; key?: string }[];
}

export interface RenderedPaper {
  html: string;
  numbers: NumbersFile;
  warnings: string[];
}

export class PaperError extends Error {
  constructor(readonly problems: string[]) {
    super(`the paper cannot be rendered (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.join("\n")}`);
    this.name = "PaperError";
  }
}

const TOKEN = (i: number) => `\uE000${i}\uE001`;

export function renderPaper(options: RenderOptions): RenderedPaper {
  const problems: string[] = [];
  const warnings: string[] = [];
  const where = (site: { line: number; column: number }) => `${options.sourceName}:${site.line}:${site.column}`;
  const scan = scanMarkdown(options.markdown);
  const allow = [...DEFAULT_ALLOW_LIST, ...(options.allow ?? [])];

  const naked = findNakedNumbers(options.markdown, allow);
  if (naked.length) problems.push(describeNakedNumbers(naked, options.sourceName));

  let results = new Map<string, ResultRecord>();
  try { results = indexResults(options.results); } catch (e) { problems.push((e as Error).message); }
  const index = indexProvenance(options.provenance);
  const recordOf = (stage: string, key?: string) => findRecords(index, stage, key)[0];
  const tableFiles = identifyArtifacts(options.tables ?? [], index);
  const figureFiles = identifyArtifacts(options.figures ?? [], index);
  for (const name of [...tableFiles.unidentified, ...figureFiles.unidentified]) {
    warnings.push(`cannot tell which stage produced ${name} (no provenance record with its sha256); it cannot be referenced`);
  }
  const lines = options.markdown.split("\n");

  const fragments = new Map<number, { html: string; block: boolean }>();
  const numberUses: NumbersFile["numbers"] = [];
  const claimUses: ClaimUse[] = [];
  const tableUses: NumbersFile["tables"] = [];
  const figureUses: NumbersFile["figures"] = [];
  const usedStages = new Set<ProvenanceView>();
  const usesById = new Map<string, NumberUse[]>();

  for (const site of scan.placeholders) {
    let p: Placeholder;
    try { p = parsePlaceholder(site.body); } catch (e) { problems.push(`${where(site)}: ${(e as Error).message}`); continue; }
    try {
      const html = placeholderHtml(p, site);
      if (html) fragments.set(site.index, html);
    } catch (e) { problems.push(`${where(site)}: ${(e as Error).message}`); }
  }

  function placeholderHtml(p: Placeholder, site: PlaceholderSite): { html: string; block: boolean } | undefined {
    if (p.kind === "number") {
      const r = results.get(p.id);
      if (!r) throw new Error(`unknown result id "${p.id}"${suggest(p.id, [...results.keys()])}`);
      const text = numberText(p, r);
      const record = recordOf(r.stage, r.key);
      if (record) usedStages.add(record);
      const use: NumberUse = { id: r.id, text, ...(p.format ?? r.format ? { format: p.format ?? r.format } : {}), section: site.section, line: site.line, sentence: site.sentence };
      usesById.set(r.id, [...(usesById.get(r.id) ?? []), use]);
      numberUses.push({ ...use, value: r.value, stage: r.stage, key: r.key, ...(r.ci ? { ci: r.ci } : {}), ...(r.mcError !== undefined ? { mcError: r.mcError } : {}) });
      return { html: numberHtml({ text, result: r, title: provenanceTitle(r, record, options.gitCommit) }), block: false };
    }
    if (p.kind === "claim") {
      const result = (options.evaluateClaim ?? evaluateClaim)(p.expression, { lookup: (id) => results.get(id), ids: () => results.keys() });
      const use: ClaimUse = { index: claimUses.length + 1, expression: p.expression, result, section: site.section, line: site.line, sentence: site.sentence };
      claimUses.push(use);
      if (result.status === "false") {
        const msg = `claim does not hold: ${p.expression} (${result.message}), in the sentence "${site.sentence}"`;
        if (!options.allowFalseClaims) throw new Error(msg);
        warnings.push(`${where(site)}: ${msg}`);
      }
      if (result.status === "unchecked") warnings.push(`${where(site)}: unchecked claim: ${p.expression} (${result.message})`);
      // A false claim only renders when allowFalseClaims is set: the sentence then carries a visible mark that it is
      // no longer supported by the numbers, instead of silently asserting it.
      const mark = result.status === "true" ? "✓ checked" : result.status === "false" ? "✗ no longer supported" : "unchecked";
      return { html: `<a class="claim claim-${result.status}" href="#claim-${use.index}" title="${escapeHtml(`claim: ${p.expression} — ${result.status}: ${result.message}`)}">[claim ${mark}]</a>`, block: false };
    }
    // Tables and figures are blocks: the placeholder must be the whole line.
    if (lines[site.line - 1]!.trim() !== `{{${site.body}}}`) throw new Error(`{{${p.kind}:...}} must stand alone on its line`);
    const ref = `${p.stage}.${p.output}`;
    if (p.kind === "table") {
      const artifact = findArtifact(tableFiles.artifacts, p.stage, p.output);
      if (!artifact) throw new Error(`table ${ref} was not received; add it to the paper stage's \`tables\` input${available(tableFiles.artifacts)}`);
      const parse = options.parseTable ?? defaultParseTable;
      const table = parse(JSON.parse(Buffer.from((artifact.file as LoadedFile).bytes).toString("utf8")), artifact.file.name);
      const record = artifact.record ?? recordOf(p.stage);
      if (record) usedStages.add(record);
      tableUses.push({ ref, file: artifact.file.name, sha256: artifact.file.sha256, stage: p.stage, ...(record ? { key: record.key } : {}) });
      return { html: tableHtml({ table, number: tableUses.length, id: anchor("table", ref), stage: p.stage, record }), block: true };
    }
    const artifact = findArtifact(figureFiles.artifacts, p.stage, p.output);
    if (!artifact) throw new Error(`figure ${ref} was not received; add it to the paper stage's \`figures\` input${available(figureFiles.artifacts)}`);
    const bytes = (artifact.file as LoadedFile).bytes;
    const mime = sniffImage(bytes);
    if (!mime) throw new Error(`figure ${ref} (${artifact.file.name}) is neither SVG nor PNG`);
    const caption = p.caption ?? "";
    const nakedInCaption = findNakedNumbersInText(caption, allow);
    if (nakedInCaption.length) throw new Error(`naked number "${nakedInCaption[0]!.number}" in the caption of figure ${ref}`);
    const record = artifact.record ?? recordOf(p.stage);
    if (record) usedStages.add(record);
    figureUses.push({ ref, file: artifact.file.name, sha256: artifact.file.sha256, stage: p.stage, ...(record ? { key: record.key } : {}) });
    const captionHtml = caption ? inlineMarkdown(caption) : escapeHtml(ref);
    return { html: figureHtml({ bytes, mime, captionHtml, number: figureUses.length, id: anchor("figure", ref), stage: p.stage, record, alt: caption || ref }), block: true };
  }

  if (problems.length) throw new PaperError(problems);

  // Markdown with each placeholder replaced by a private-use token that marked passes through untouched.
  let source = options.markdown;
  for (const site of [...scan.placeholders].reverse()) source = source.slice(0, site.start) + TOKEN(site.index) + source.slice(site.end);
  const srcLines = source.split("\n");
  for (const block of scan.published) {
    const label = block.label ? ` from ${escapeHtml(block.label)}` : "";
    srcLines[block.startLine - 1] = `<div class="published"><p class="published-label">Published values, quoted${label}; not computed by this pipeline.</p>\n`;
    srcLines[block.endLine - 1] = "\n</div>";
  }
  // Authoring comments (HTML comments in the source) are for the writer, not the reader: dropped before Markdown.
  const withoutComments = srcLines.join("\n").replace(/<!--[\s\S]*?-->/g, (c) => c.replace(/[^\n]/g, ""));
  let body = new Marked({ gfm: true }).parse(withoutComments, { async: false }) as string;
  body = body.replace(/<p>\uE000(\d+)\uE001<\/p>/g, (m, i: string) => fragments.get(Number(i))?.html ?? m);
  body = body.replace(/\uE000(\d+)\uE001/g, (_m, i: string) => fragments.get(Number(i))?.html ?? "");

  // Appendix: numbers in order of first use, then every stage run any of them depends on.
  // "Used in" shows each sentence as the reader sees it: numbers typeset, claims and Markdown gone.
  const readable = (sentence: string) => readableSentence(sentence, (body) => {
    let p: Placeholder;
    try { p = parsePlaceholder(body); } catch { return ""; }
    if (p.kind !== "number") return "";
    const r = results.get(p.id);
    return r ? numberText(p, r) : "";
  });
  const numberEntries = [...usesById.entries()].map(([id, uses]) =>
    numberEntry({ result: results.get(id)!, uses: uses.map((u) => ({ ...u, sentenceText: readable(u.sentence) })), index }));
  const stages = new Map<string, ProvenanceView[]>();
  for (const record of usedStages) {
    for (const r of lineage(record, index).stages) {
      const list = stages.get(r.stage) ?? [];
      if (!list.includes(r)) list.push(r);
      stages.set(r.stage, list);
    }
  }
  const byPartition = (a: ProvenanceView, b: ProvenanceView) => ((a.partition ?? "") < (b.partition ?? "") ? -1 : (a.partition ?? "") > (b.partition ?? "") ? 1 : 0);
  const stageRuns = [...stages.keys()].sort().map((s) => [...stages.get(s)!].sort(byPartition));
  const shared = sharedCodeLists(stageRuns);
  const stageHtml = stageRuns.map((runs) => stageEntry(runs, index, shared)).join("\n");
  const datasets = datasetsHtml(chainDatasets([...stages.values()].flat()));
  const appendix = `<h2 id="provenance">Provenance of every number</h2>
<p>Each number in the text links here. Values are shown unrounded, with the stage run that published them and the chain
of stage runs down to the raw files (source URL and sha256). Commit <code>${escapeHtml(options.gitCommit ?? "unknown")}</code>.</p>
${numberEntries.join("\n")}
${claimsHtml(claimUses)}
<h2 id="stages">Stage runs</h2>
<p>One entry per stage: what its runs share, then each run (partition) with its cache key, seed and inputs; upstream
stages are linked, so a chain is followed by clicking. Full hashes of every code file and output are in
<code>cofail.lock</code>.</p>
${stageHtml}
${sharedCodeHtml(shared)}
${datasets}`;

  const html = pageHtml({ body, appendix, gitCommit: options.gitCommit });
  const numbers: NumbersFile = {
    version: 1,
    gitCommit: options.gitCommit ?? null,
    numbers: numberUses,
    claims: claimUses.map((c) => ({ expression: c.expression, status: c.result.status, message: c.result.message, ids: c.result.ids, section: c.section, line: c.line, sentence: c.sentence })),
    tables: tableUses,
    figures: figureUses,
  };
  return { html, numbers, warnings };
}

/**
 * A sentence of the source as plain text: each placeholder replaced by `typeset(body)` (a number's text; "" for
 * claims, tables and figures), inline Markdown rendered and its tags dropped, entities decoded, spaces tidied.
 */
export function readableSentence(sentence: string, typeset: (body: string) => string): string {
  const text = sentence.replace(/\{\{([\s\S]*?)\}\}/g, (_m, body: string) => typeset(body));
  const html = inlineMarkdown(text);
  return html.replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&")
    .replace(/\s+/g, " ").replace(/\s+([.,;:)])/g, "$1").replace(/\(\s+/g, "(").trim();
}

function inlineMarkdown(text: string): string {
  return new Marked({ gfm: true }).parseInline(text, { async: false }) as string;
}

function defaultParseTable(json: unknown, name: string): TableData {
  const t = json as TableData;
  if (!t || typeof t.title !== "string" || !Array.isArray(t.columns) || !Array.isArray(t.rows)) {
    throw new Error(`${name} is not a table ({title, columns, rows, ...})`);
  }
  return t;
}

function available(artifacts: Artifact[]): string {
  const refs = [...new Set(artifacts.flatMap((a) => a.names.map((n) => `${a.stage}.${n}`)))].sort();
  return refs.length ? ` (received: ${refs.join(", ")})` : " (none received)";
}

function suggest(id: string, known: string[]): string {
  const prefix = id.split(".")[0]!;
  const near = known.filter((k) => k.startsWith(prefix + ".")).sort().slice(0, 8);
  return near.length ? `; ids under ${prefix}.: ${near.join(", ")}` : "";
}
