// The committed paper source must satisfy the rules the build enforces, so a prose edit that breaks them
// fails `make check` before anyone runs the pipeline.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { findNakedNumbers } from "../../paper/render/naked-numbers.js";
import { scanMarkdown } from "../../paper/render/scan.js";
import { parsePlaceholder } from "../../paper/render/syntax.js";

const source = await readFile(new URL("../../paper/paper.md", import.meta.url), "utf8");

test("paper.md has no naked numbers", () => {
  assert.deepEqual(findNakedNumbers(source).map((n) => `${n.line}: ${n.number}`), []);
});

test("every placeholder in paper.md parses, and the walking-skeleton ids are used", () => {
  const ids = new Set<string>();
  for (const site of scanMarkdown(source).placeholders) {
    const p = parsePlaceholder(site.body);
    if (p.kind === "number") ids.add(p.id);
  }
  for (const id of ["math-l5.beta", "math-l5.ceiling", "math-l5.best.accuracy", "math-l5.n.items", "math-l5.n.models"]) {
    assert.ok(ids.has(id), `paper.md does not use ${id}`);
  }
});

test("paper.md has the agreed sections and quotes published values only inside a published block", () => {
  for (const h of ["Question", "The ceiling and its certificate", "Data", "Results", "Comparison with the published figures", "Limitations", "Reproducibility", "Appendix"]) {
    assert.match(source, new RegExp(`^#{2} (\\d+\\. )?${h}$`, "m"), `missing section ${h}`);
  }
  // Two published blocks: the first release's abstract, and its correction (DATA_AUDIT.md / README.md of version 2).
  const { published } = scanMarkdown(source);
  assert.equal(published.length, 2);
  const quoted = published.map((b) => source.split("\n").slice(b.startLine, b.endLine - 1).join("\n"));
  assert.match(quoted[0]!, /0\.052/);
  assert.match(quoted[1]!, /evaluation artifact/);
  assert.match(quoted[1]!, /0\.048/);
});

test("the abstract states no copula ratio without its range over the conventions, and says which interval it prints", () => {
  const abstract = source.slice(source.indexOf("## Abstract"), source.indexOf("## 1."));
  // sentences of the abstract, placeholders kept
  const sentences = abstract.replace(/\s+/g, " ").split(/(?<=[.)])\s+(?=[A-Z])/);
  const ratios = [...abstract.matchAll(/\{\{([a-z0-9-]+)\.ratio\.(sf|full)(\.k\d+)?(\|[^}]*)?\}\}/g)];
  assert.ok(ratios.length >= 3, "the abstract quotes the copula ratios");
  for (const m of ratios) {
    const head = `${m[1]}.ratio.${m[2]}${m[3] ?? ""}`;
    const sentence = sentences.find((s) => s.includes(m[0]))!;
    assert.ok(sentence.includes(`{{${head}.range.min}}`) && sentence.includes(`{{${head}.range.max}}`),
      `abstract: ${head} without its range over the conventions in: ${sentence}`);
    if (m[4]?.includes("ci")) {
      assert.ok(/resampling items|under the other conventions/.test(sentence), `abstract: ${head}'s interval is not named in: ${sentence}`);
    }
  }
});

test("every copula ratio printed with an interval says which interval (items resampled or models left out)", () => {
  // outside the published blocks, tables and figures: each sentence printing a ratio's interval names its resampling
  const prose = source.split(/\n\s*\n/).filter((p) => !p.startsWith(":::") && !p.startsWith("{{table:") && !p.startsWith("{{figure:"))
    .join("\n\n").replace(/\{\{claim:[^}]*\}\}/g, "");
  const sentences = prose.replace(/\s+/g, " ").split(/(?<=[.;])\s+(?=[A-Z(])/);
  const named = /resampling items|items resampled|item-bootstrap|items are resampled|leaving out one model|leaving one model out/;
  const bad = sentences.filter((x) => /\{\{[a-z0-9-]+\.ratio\.[a-z0-9.-]*\|ci\}\}/.test(x) && !named.test(x));
  assert.deepEqual(bad, []);
});
