import { test } from "node:test";
import assert from "node:assert/strict";
import { PaperError, renderPaper, type RenderOptions } from "../../paper/render/render.js";
import { svgToPng } from "../../figures/png.js";
import { FIGURE_SVG, fixtureOptions, KEYS, MARKDOWN, RAW_FILES } from "./fixture.js";

async function options(markdown = MARKDOWN): Promise<RenderOptions> {
  return fixtureOptions(markdown, await svgToPng(FIGURE_SVG));
}

test("numbers are typeset from the registry, linked and titled with their provenance", async () => {
  const { html } = renderPaper(await options());
  assert.match(html, /<a class="num" href="#prov-math-l5.beta" data-id="math-l5.beta" data-value="0.05201109570041609" title="math-l5.beta = 0.05201109570041609 · beta-math-l5 · cccccccccccc[^"]*">5.2%<\/a>/);
  assert.match(html, />43<\/a> models and <a[^>]*>721<\/a>/);
  assert.match(html, />5.2% \(95% CI 3.8%–7.0%\)<\/a>/);
  assert.match(html, />2.5×<\/a>/);
  assert.match(html, />0.0520<\/a>/);
  // The title carries the stage's params, seed, inputs with hashes and the commit.
  const title = /data-id="math-l5.ratio"[^>]*title="([^"]*)"/.exec(html)![1]!;
  assert.match(title, /seed 13/);
  assert.match(title, /params \{&quot;pool&quot;:&quot;math-l5&quot;\}/);
  assert.match(title, /input table ← grade-math-l5.table 555555555555/);
  assert.doesNotMatch(title, /commit/, "the commit is the page's, in its header");
  assert.match(html, /Rendered by cofail from commit <code>0123456789abcdef/);
  assert.match(title, /Monte-Carlo error 0.0021/);
  // Code spans stay literal.
  assert.match(html, /<code>\{\{math-l5.beta\}\}<\/code>/);
  assert.match(html, /cofail-commit" content="0123456789abcdef0123456789abcdef01234567-dirty"/);
});

test("the appendix follows provenance down to the raw files, each stage and dataset described once", async () => {
  const { html } = renderPaper(await options());
  const entry = /<section class="prov" id="prov-math-l5.beta">([\s\S]*?)<\/section>/.exec(html)![1]!;
  assert.match(entry, /0.05201109570041609/);
  assert.match(entry, /pct:1/);
  assert.match(entry, new RegExp(KEYS.beta));
  // The chain is summarised and linked to the publishing stage's entry, where it is printed once, collapsed: stage
  // ids once each, linked, then the datasets it reads.
  assert.match(entry, /<dt>chain<\/dt><dd>3 stage runs of 3 stages, 2 raw files in 1 dataset: listed under <a href="#stage-beta-math-l5">beta-math-l5<\/a><\/dd>/);
  const beta = /<section class="stage" id="stage-beta-math-l5">([\s\S]*?)<\/section>/.exec(html)![1]!;
  assert.match(beta, /<details><summary>3 stage runs of 3 stages, 2 raw files<\/summary><a href="#stage-beta-math-l5">beta-math-l5<\/a> ← <a href="#stage-grade-math-l5">grade-math-l5<\/a> ← <a href="#stage-ingest-math-l5">ingest-math-l5<\/a><br>raw files: <a href="#data-dataset_math-l5">dataset:math-l5<\/a> \(2 files\)<\/details>/);
  assert.equal(html.split("<summary>3 stage runs of 3 stages").length, 2, "the chain is printed once, not once per number");
  // "Used in" is the sentence as read: numbers typeset, no placeholder or claim syntax, no Markdown.
  assert.match(entry, /used in[\s\S]*Results, line 5 \(“5.2%”\): Across 43 models and 721 items, every model is wrong on 5.2% of the items, i.e. 5.2% \(95% CI 3.8%–7.0%\)./);
  assert.ok(!/\{\{|\}\}/.test(entry.replace(/<code>[^<]*<\/code>/g, "")), entry);
  // The raw files are listed once, under their dataset, with URL and sha256.
  const data = /<section class="data" id="data-dataset_math-l5">([\s\S]*?)<\/section>/.exec(html)![1]!;
  for (const f of RAW_FILES) {
    assert.ok(data.includes(f.url), `missing ${f.url}`);
    assert.ok(data.includes(`sha256:${f.sha256}`));
    assert.equal(html.split(`sha256:${f.sha256}`).length, 2, "each raw file appears once");
  }
  for (const stage of ["beta-math-l5", "grade-math-l5", "ingest-math-l5", "fig-beta-k", "table-pools"]) {
    assert.equal(html.split(`<section class="stage" id="stage-${stage}">`).length, 2, `one entry for ${stage}`);
  }
  // A stage entry links its direct upstream only.
  const grade = /<section class="stage" id="stage-grade-math-l5">([\s\S]*?)<\/section>/.exec(html)![1]!;
  assert.match(grade, /<dt>upstream<\/dt><dd><a href="#stage-ingest-math-l5">ingest-math-l5<\/a><\/dd>/);
  assert.ok(!html.includes("somethingNew"), "unknown record fields are ignored, not dumped");
});

test("authoring comments in the source are not in the output", async () => {
  const { html } = renderPaper(await options(`<!--\nAuthoring rules: never type a number.\n-->\n${MARKDOWN}`));
  assert.ok(!html.includes("Authoring rules"));
  assert.ok(!html.includes("<!--"));
  assert.match(html, /<h1[^>]*>A fixture paper<\/h1>/);
});

test("tables, figures and published quotes", async () => {
  const { html, numbers } = renderPaper(await options());
  assert.match(html, /<b>Table 1.<\/b> Pools. One row per pool/);
  assert.match(html, /<td style="text-align:right" data-value="0.00455">0.005<\/td><td style="text-align:right" data-value="1319">1,319<\/td>/);
  assert.match(html, /<b>Figure 1.<\/b> Observed beta of the best <em>k<\/em> models.<br><span class="src">Source: stage <a href="#stage-fig-beta-k">fig-beta-k<\/a>, key <code[^>]*>dddddddddddd<\/code>; inputs: beta-math-l5.summary/);
  assert.match(html, /<img src="data:image\/svg\+xml;charset=utf-8,%3C|<img src="data:image\/svg\+xml;charset=utf-8,<svg xmlns='http:\/\/www.w3.org\/2000\/svg' width='240'[^"]*" alt="Observed beta of the best \*k\* models." width="240" height="120">/);
  assert.match(html, /<img src="data:image\/png;base64,[A-Za-z0-9+/=]+" alt="The same figure as PNG." width="240" height="120">/);
  assert.match(html, /<div class="published"><p class="published-label">Published values, quoted from Chen \(2026\), abstract; not computed by this pipeline.<\/p>\s*<p>Observed beta is 0.052 versus/);
  assert.deepEqual(numbers.figures.map((f) => f.ref), ["fig-beta-k.svg", "fig-beta-k.png"]);
  assert.deepEqual(numbers.tables.map((t) => [t.ref, t.key]), [["table-pools.table", KEYS.table]]);
});

test("claims that cannot be evaluated are shown and listed as unchecked, never as passed", async () => {
  const evaluateClaim = () => ({ status: "unchecked" as const, message: "cannot evaluate", ids: ["math-l5.ratio"] });
  const { html, numbers, warnings } = renderPaper({ ...(await options()), evaluateClaim });
  assert.match(html, /<a class="claim claim-unchecked" href="#claim-1"[^>]*>\[claim unchecked\]<\/a>/);
  assert.match(html, /<tr id="claim-1" class="claim-unchecked"><td>unchecked<\/td><td><code>math-l5.ratio &gt; 1.5<\/code>/);
  assert.equal(numbers.claims[0]!.status, "unchecked");
  assert.deepEqual(numbers.claims[0]!.ids, ["math-l5.ratio"]);
  assert.ok(warnings.some((w) => /unchecked claim: math-l5.ratio > 1.5/.test(w)));
});

test("numbers.json lists every use with raw value, text, section and sentence", async () => {
  const { numbers } = renderPaper(await options());
  assert.equal(numbers.numbers.length, 6);
  const first = numbers.numbers[0]!;
  assert.deepEqual({ id: first.id, value: first.value, text: first.text, section: first.section, line: first.line },
    { id: "math-l5.n.models", value: 43, text: "43", section: "Results", line: 5 });
  assert.equal(first.sentence, "Across {{math-l5.n.models}} models and {{math-l5.n.items}} items, every model is wrong on {{math-l5.beta}} of the items, i.e. {{math-l5.beta|ci}}.");
  const raw = numbers.numbers.find((n) => n.format === "fixed:4")!;
  assert.equal(raw.text, "0.0520");
  assert.equal(raw.sentence, "The raw value is {{math-l5.beta|fixed:4}}; the syntax is `{{math-l5.beta}}` (in code, not rendered).");
});

test("rendering is deterministic", async () => {
  const o = await options();
  const a = renderPaper(o);
  const b = renderPaper(await options());
  assert.equal(a.html, b.html);
  assert.deepEqual(a.numbers, b.numbers);
});

test("every problem is reported at once, with file and line", async () => {
  const bad = "# T\n\nBeta is {{math-l5.betta}} with k = 17 models.\n\nText {{table:table-pools.table}} inline.\n\n{{figure:fig-nope.svg}}\n\n{{math-l5.n.models|ci}}\n";
  try {
    renderPaper(await options(bad));
    assert.fail("expected a PaperError");
  } catch (e) {
    assert.ok(e instanceof PaperError, String(e));
    const text = e.message;
    assert.match(text, /paper\/paper.md:3:\d+: naked number "17"/);
    assert.match(text, /paper\/paper.md:3:9: unknown result id "math-l5.betta"; ids under math-l5.: math-l5.beta/);
    assert.match(text, /paper\/paper.md:5:6: \{\{table:...\}\} must stand alone on its line/);
    assert.match(text, /paper\/paper.md:7:1: figure fig-nope.svg was not received.*received: fig-beta-k/);
    assert.match(text, /paper\/paper.md:9:1: \{\{math-l5.n.models\|ci\}\}: result math-l5.n.models has no interval/);
    assert.equal(e.problems.length, 5);
  }
});

test("figure captions obey the no-naked-numbers rule too", async () => {
  await assert.rejects(async () => renderPaper(await options("{{figure:fig-beta-k.svg|Beta is 0.05 here}}\n")), /naked number "0.05" in the caption/);
});

test("a result id published twice with different values is an error", async () => {
  const o = await options();
  o.results = [...o.results, { ...o.results[0]!, value: 0.06, stage: "other" }];
  assert.throws(() => renderPaper(o), /published more than once/);
});

test("a claim that evaluates to false fails the build, or is flagged when allowed", async () => {
  const md = "# T\n\nThe ratio is {{math-l5.ratio}}{{claim: math-l5.ratio > 3}}.\n";
  const evaluateClaim = () => ({ status: "false" as const, message: "2.4871 > 3 is false", ids: ["math-l5.ratio"] });
  await assert.rejects(async () => renderPaper({ ...(await options(md)), evaluateClaim }), /paper\/paper.md:3:31: claim does not hold: math-l5.ratio > 3/);
  const { html, warnings } = renderPaper({ ...(await options(md)), evaluateClaim, allowFalseClaims: true });
  assert.match(html, /<a class="claim claim-false"[^>]*>\[claim ✗ no longer supported\]<\/a>/);
  assert.ok(warnings.some((w) => /claim does not hold/.test(w)));
});

test("the sentence recorded for a number stops at a list item boundary", async () => {
  const md = "# T\n\n- Beta is {{math-l5.beta}} here\n- and the next bullet talks about something else.\n";
  const { numbers } = renderPaper(await options(md));
  assert.match(numbers.numbers[0]!.sentence, /Beta is \{\{math-l5\.beta\}\} here$/);
});
