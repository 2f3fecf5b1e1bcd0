// The rendered paper in a real browser: figures decode, a number's link lands on its provenance entry, and the
// page renders (screenshot). Needs /usr/bin/chromium (CI installs it); skipped with a message otherwise.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { svgToPng } from "../../figures/png.js";
import { renderPaper } from "../../paper/render/render.js";
import { FIGURE_SVG, fixtureOptions, MARKDOWN } from "./fixture.js";

const CHROMIUM = "/usr/bin/chromium";
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} not found: install chromium to run the browser test`;

test("paper.html in headless Chromium: figures load, a clicked number lands on its provenance entry, no template syntax is rendered", { skip, timeout: 120_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), "cofail-paper-"));
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
  });
  try {
    const { html } = renderPaper(fixtureOptions(`<!--\nAuthoring rules: never type a number.\n-->\n${MARKDOWN}`, await svgToPng(FIGURE_SVG)));
    const file = join(dir, "paper.html");
    await writeFile(file, html);
    const page = await browser.newPage({ viewport: { width: 900, height: 700 } });
    const requests: string[] = [];
    page.on("request", (r) => { if (!r.url().startsWith("file:") && !r.url().startsWith("data:")) requests.push(r.url()); });
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });

    const images = await page.$$eval("figure.figure img", (imgs) =>
      imgs.map((i) => ({ complete: (i as HTMLImageElement).complete, w: (i as HTMLImageElement).naturalWidth, h: (i as HTMLImageElement).naturalHeight })));
    assert.equal(images.length, 2);
    for (const img of images) assert.ok(img.complete && img.w > 0 && img.h > 0, `figure did not load: ${JSON.stringify(img)}`);
    assert.deepEqual(requests, [], "the page must not fetch anything");

    const link = page.locator('a.num[data-id="math-l5.ratio"]').first();
    assert.equal(await link.textContent(), "2.5×");
    assert.match((await link.getAttribute("title")) ?? "", /^math-l5.ratio = 2.4871 · beta-math-l5 · /);
    await link.click();
    assert.equal(await page.evaluate(() => location.hash), "#prov-math-l5.ratio");
    const target = page.locator("section.prov:target");
    assert.equal(await target.getAttribute("id"), "prov-math-l5.ratio");
    assert.ok(await target.isVisible());
    const box = await target.boundingBox();
    assert.ok(box && box.y >= 0 && box.y < 700, `provenance entry not scrolled into view: ${JSON.stringify(box)}`);
    assert.match((await target.textContent()) ?? "", /2\.4871[\s\S]*chain[\s\S]*3 stage runs[\s\S]*beta-math-l5/);
    // The chain is printed once, in the publishing stage's entry, collapsed; opened, it names every stage upstream
    // and the datasets, whose entry lists each raw file once.
    await target.locator('dd a[href="#stage-beta-math-l5"]').last().click();
    assert.equal(await page.evaluate(() => location.hash), "#stage-beta-math-l5");
    const stage = page.locator("section.stage:target");
    await stage.locator("details summary", { hasText: "stage runs" }).click();
    assert.match(await stage.innerText(), /beta-math-l5 ← grade-math-l5 ← ingest-math-l5\s*raw files: dataset:math-l5 \(2 files\)/);
    await stage.locator('a[href="#data-dataset_math-l5"]').click();
    assert.equal(await page.evaluate(() => location.hash), "#data-dataset_math-l5");
    // What a reader sees, every collapsed block opened and code spans aside, holds no template syntax: "used in"
    // sentences are typeset, the authoring comment is gone.
    const rendered = await page.evaluate(() => {
      for (const d of document.querySelectorAll("details")) d.setAttribute("open", "");
      const clone = document.body.cloneNode(true) as HTMLElement;
      for (const c of clone.querySelectorAll("code")) c.remove();
      document.body.append(clone);
      clone.style.position = "absolute";
      const text = clone.innerText;
      clone.remove();
      return text;
    });
    assert.ok(!rendered.includes("{{") && !rendered.includes("}}"), rendered.slice(0, 2000));
    assert.match(rendered, /used in\s*§ Results, line 9 \(“2\.5×”\): The copula underprices the tail by 2\.5×\./);
    assert.ok(!/Authoring rules/.test(await page.content()));

    const shot = process.env.COFAIL_KEEP_SCREENSHOT ?? join(dir, "paper.png");
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
    await page.screenshot({ path: shot, fullPage: false });
    assert.ok(existsSync(shot));
  } finally {
    await browser.close();
    await rm(dir, { recursive: true, force: true });
  }
});
