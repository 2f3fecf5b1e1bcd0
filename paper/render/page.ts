// The standalone HTML page: inline CSS, no scripts, no external requests, so paper.html works offline as one
// file. Provenance is in each number's title (hover) and in the appendix it links to (:target highlights it).
import { escapeHtml } from "./html.js";

const CSS = `
:root { --ink: #1a1a1a; --muted: #5f6368; --accent: #0072B2; --rule: #d0d7de; }
body { font: 16px/1.55 "DejaVu Serif", Georgia, serif; color: var(--ink); max-width: 46rem; margin: 0 auto; padding: 1.5rem; }
header.meta, footer.meta { font: 12px/1.4 "DejaVu Sans", system-ui, sans-serif; color: var(--muted); border-bottom: 1px solid var(--rule); padding-bottom: .5rem; margin-bottom: 1.5rem; }
footer.meta { border-top: 1px solid var(--rule); border-bottom: 0; padding-top: .5rem; margin-top: 3rem; }
h1, h2, h3 { font-family: "DejaVu Sans", system-ui, sans-serif; line-height: 1.25; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2rem; } h3 { font-size: 1rem; }
a.num { color: inherit; text-decoration: underline dotted var(--accent); text-underline-offset: 2px; }
a.num:hover { background: #e8f1fa; }
a.claim { font: 11px "DejaVu Sans", sans-serif; vertical-align: super; text-decoration: none; padding: 0 .2em; border-radius: 3px; }
a.claim-unchecked { background: #fff3cd; color: #7a5b00; } a.claim-true { background: #e6f4ea; color: #1e6b34; } a.claim-false { background: #fde7e9; color: #a50e0e; }
figure { margin: 1.5rem 0; }
/* Tables and figures may be wider than the text column (a 13-column pool table, a 71-model heatmap): let them
   break out to the viewport, centred, and scroll sideways rather than squeeze. */
figure.table, figure.figure { width: min(calc(100vw - 2rem), 72rem); margin-left: calc(50% - min(calc(50vw - 1rem), 36rem)); }
.table-scroll { overflow-x: auto; }
figure img { max-width: 100%; height: auto; display: block; margin: 0 auto; }
figcaption { font: 13px/1.45 "DejaVu Sans", system-ui, sans-serif; color: var(--ink); margin-top: .4rem; }
figcaption .src, figcaption .note { color: var(--muted); }
table { border-collapse: collapse; font: 13px/1.4 "DejaVu Sans", system-ui, sans-serif; margin: .5rem auto; }
th, td { padding: .2rem .6rem; border-bottom: 1px solid var(--rule); } thead th { border-bottom: 2px solid var(--ink); }
code { font: 12.5px "DejaVu Sans Mono", ui-monospace, monospace; word-break: break-all; }
.published { border-left: 4px solid #E69F00; background: #fff8eb; padding: .2rem 1rem; margin: 1rem 0; }
.published-label { font: 12px "DejaVu Sans", sans-serif; color: #7a5b00; text-transform: uppercase; letter-spacing: .03em; }
section.prov, section.stage { border-top: 1px solid var(--rule); padding: .3rem 0; font-size: 13px; scroll-margin-top: 1rem; }
section.prov:target, section.stage:target, section.data:target { background: #fff3cd; outline: 2px solid #E69F00; }
section.data { border-top: 1px solid var(--rule); padding: .3rem 0; font-size: 13px; scroll-margin-top: 1rem; }
section.stage h4 { font: 12px "DejaVu Sans", sans-serif; margin: .4rem 0 0; }
dl { display: grid; grid-template-columns: 9rem 1fr; gap: .15rem .8rem; margin: .3rem 0; }
dt { color: var(--muted); } dd { margin: 0; } dd ul { margin: 0; padding-left: 1.1rem; }
ul.files { font-size: 12px; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  a.num { text-decoration: none; } details { display: block; }
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  /* On paper nothing scrolls: wide tables and figures fit the text width, and none is split across pages. */
  figure.table, figure.figure { width: auto; margin-left: 0; break-inside: avoid; }
  .table-scroll { overflow: visible; }
  table { font-size: 7.5pt; width: 100%; }
  th, td { padding: .1rem .25rem; overflow-wrap: anywhere; }
  h2, h3 { break-after: avoid; }
  section.prov, section.stage, section.data { break-inside: avoid; }
}
`;

export function pageHtml(options: { body: string; appendix: string; gitCommit?: string }): string {
  const title = /<h1[^>]*>([\s\S]*?)<\/h1>/.exec(options.body)?.[1]?.replace(/<[^>]+>/g, "").trim() ?? "Paper";
  const commit = escapeHtml(options.gitCommit ?? "unknown");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="cofail paper renderer">
<meta name="cofail-commit" content="${commit}">
<title>${title}</title>
<style>${CSS}</style>
</head>
<body>
<header class="meta">Rendered by cofail from commit <code>${commit}</code>. Every number links to its provenance
(<a href="#provenance">appendix</a>); hover a number for its raw value and stage run.</header>
<main>
${options.body}
</main>
<hr>
<section class="appendix">
${options.appendix}
</section>
<footer class="meta">cofail · commit <code>${commit}</code> · generated file; edit <code>paper/paper.md</code> and rerun the pipeline.</footer>
</body>
</html>
`;
}
