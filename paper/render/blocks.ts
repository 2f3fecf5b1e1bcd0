// HTML for generated tables and figures, each with a numbered caption and a source line linking the stage
// that produced it (and its inputs' hashes) in the provenance appendix.
import { formatValue } from "../format.js";
import { anchor, escapeHtml, shortHash } from "./html.js";
import { groupInputs, type ProvenanceView } from "./records.js";

/** The table shape of core/table.ts, structurally (paper/ does not import stages/). */
export interface TableData {
  title: string;
  caption?: string;
  columns: { key: string; label: string; format?: string; align?: "left" | "right" | "center" }[];
  rows: Record<string, string | number | null>[];
  notes?: string[];
}

export function sourceLine(stage: string, record: ProvenanceView | undefined): string {
  const link = `<a href="#${anchor("stage", stage)}">${escapeHtml(stage)}</a>`;
  if (!record) return `<span class="src">Source: stage ${link} (no provenance record received).</span>`;
  const inputs = groupInputs(record.inputs).map((g) => g.entries.length === 1
    ? `${escapeHtml(g.ref)} <code title="${escapeHtml(g.entries[0]!.hash ?? "")}">${shortHash(g.entries[0]!.hash)}</code>`
    : `${escapeHtml(g.ref)} (${g.entries.length} files)`);
  return `<span class="src">Source: stage ${link}, key <code title="${escapeHtml(record.key)}">${shortHash(record.key)}</code>` +
    (inputs.length ? `; inputs: ${inputs.join(", ")}` : "") + ".</span>";
}

export function tableHtml(options: { table: TableData; number: number; id: string; stage: string; record?: ProvenanceView }): string {
  const { table } = options;
  const align = (c: TableData["columns"][number], v: unknown) => c.align ?? (typeof v === "number" ? "right" : "left");
  const head = table.columns.map((c) => `<th style="text-align:${align(c, table.rows[0]?.[c.key])}">${escapeHtml(c.label)}</th>`).join("");
  const body = table.rows.map((row) => "<tr>" + table.columns.map((c) => {
    const v = row[c.key];
    const text = v === null || v === undefined ? "—" : typeof v === "number" ? formatValue(v, c.format) : String(v);
    const raw = typeof v === "number" ? ` data-value="${v}"` : "";
    return `<td style="text-align:${align(c, v)}"${raw}>${escapeHtml(text)}</td>`;
  }).join("") + "</tr>").join("\n");
  const notes = (table.notes ?? []).map((n) => `<br><span class="note">${escapeHtml(n)}</span>`).join("");
  return `<figure class="table" id="${escapeHtml(options.id)}">
<figcaption><b>Table ${options.number}.</b> ${escapeHtml(table.title)}${table.caption ? ". " + escapeHtml(table.caption) : ""}${notes}<br>${sourceLine(options.stage, options.record)}</figcaption>
<div class="table-scroll"><table><thead><tr>${head}</tr></thead>
<tbody>
${body}
</tbody></table></div>
</figure>`;
}

/** A figure as a data-URI <img>: one self-contained file, and each SVG keeps its own ids (clip paths) private. */
export function figureHtml(options: { bytes: Uint8Array; mime: "image/svg+xml" | "image/png"; captionHtml: string; number: number; id: string; stage: string; record?: ProvenanceView; alt: string }): string {
  // SVG as percent-encoded UTF-8 (a few percent larger than the file, where base64 adds a third); PNG as base64.
  const src = options.mime === "image/svg+xml"
    ? `data:image/svg+xml;charset=utf-8,${svgDataEscape(compactSvgGeometry(Buffer.from(options.bytes).toString("utf8")))}`
    : `data:${options.mime};base64,${Buffer.from(options.bytes).toString("base64")}`;
  const size = options.mime === "image/svg+xml" ? svgSize(Buffer.from(options.bytes).toString("utf8")) : pngSize(options.bytes);
  const dims = size ? ` width="${size.width}" height="${size.height}"` : "";
  return `<figure class="figure" id="${escapeHtml(options.id)}">
<img src="${src}" alt="${escapeHtml(options.alt)}"${dims}>
<figcaption><b>Figure ${options.number}.</b> ${options.captionHtml}<br>${sourceLine(options.stage, options.record)}</figcaption>
</figure>`;
}

/** Escapes an SVG for a data URI inside a double-quoted attribute: %, #, quotes, angle brackets, controls. */
/**
 * Geometry attributes (path data, transforms, coordinates) with at most one decimal: a tenth of a pixel is below what
 * a screen or a printer shows, and vega writes up to 15 digits, which is most of an embedded figure's bytes. Text,
 * labels and colours are untouched; the figure's own .svg output keeps every digit.
 */
export function compactSvgGeometry(svg: string): string {
  return svg.replace(/\s(d|transform|points|x|y|x1|y1|x2|y2|cx|cy|r|rx|ry|width|height)="([^"]*)"/g,
    (_m, name: string, value: string) => ` ${name}="${value.replace(/(\d+\.\d)\d+/g, "$1")}"`);
}

export function svgDataEscape(svg: string): string {
  // Double quotes become single ones where the SVG has no single quote (XML allows either), so they need no escape;
  // angle brackets stay literal (valid inside a quoted attribute, and read as such by every browser).
  // A single quote in the text becomes the entity &#39; first (no CDATA in our SVGs), so every attribute can be
  // single-quoted: %22 costs three bytes per quote and dominates figures with thousands of marks.
  const quoted = svg.includes("<![CDATA[") ? svg : svg.replace(/'/g, "&#39;").replace(/"/g, "'");
  return quoted.replace(/[%#"&\u0000-\u001f\u007f]/g, (c) => (c === "\n" ? " " : `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`));
}

function svgSize(svg: string): { width: number; height: number } | undefined {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? "";
  const w = /\swidth="([\d.]+)(?:px)?"/.exec(root)?.[1];
  const h = /\sheight="([\d.]+)(?:px)?"/.exec(root)?.[1];
  if (w && h) return { width: Math.round(Number(w)), height: Math.round(Number(h)) };
  const vb = /\sviewBox="[\d.-]+[ ,]+[\d.-]+[ ,]+([\d.]+)[ ,]+([\d.]+)"/.exec(root);
  return vb ? { width: Math.round(Number(vb[1])), height: Math.round(Number(vb[2])) } : undefined;
}

// PNGs from svgToPng are rendered at 2x; show them at their CSS size.
function pngSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  if (bytes.length < 24) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: Math.round(view.getUint32(16) / 2), height: Math.round(view.getUint32(20) / 2) };
}

export function sniffImage(bytes: Uint8Array): "image/svg+xml" | "image/png" | undefined {
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return "image/png";
  const head = Buffer.from(bytes.subarray(0, 512)).toString("utf8");
  return /<svg\b/.test(head) ? "image/svg+xml" : undefined;
}
