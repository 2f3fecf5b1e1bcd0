// The whole pipeline, cold, in a fresh copy of the project: every pool gets its audit table; gsm and math-l5 have
// no unaudited all-wrong item and gsm's near-unanimous non-gold answers are classed by the rule with their evidence;
// no GPQA question or option text is in any output; the HTML paper is small and shows no template syntax; and a decision added to data/adjudications.yaml reruns only
// that pool's audit and what depends on it, with the paper diff naming the numbers that moved.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { hasData, dataMirror } from "../../ingest/mirror-tables.js";
import { normalizeQuestionText, textDigest } from "../../core/question-hash.js";
import { parseCsv, columnIndex } from "../../ingest/csv.js";
import type { AuditReport } from "../../audit/types.js";
import { freshProjectCopy } from "../support/engine-project.js";

const POOLS = ["math-l5", "gsm", "lcb", "lcb-new", "gpqa-mc", "gpqa-mc-rot", "gpqa-fr", "aime"];

function cofail(dir: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["--import", "tsx", "cli/index.ts", ...args], { cwd: dir, env: { ...process.env, COFAIL_DATA_MIRROR: dataMirror }, maxBuffer: 1 << 26 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, stdout, stderr }));
  });
}

async function walk(root: string, rel = ""): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(join(root, rel), { withFileTypes: true })) {
    const p = join(rel, e.name);
    if (e.isDirectory()) out.push(...(await walk(root, p)));
    else out.push(p);
  }
  return out;
}

/** Normalized heads of every GPQA stem and every long option, from the data mirror (kept in memory only). */
async function gpqaTexts(): Promise<string[]> {
  const heads = new Set<string>();
  const add = (s: string, n = 48) => { const t = normalizeQuestionText(s); if (t.length >= 24) heads.add(t.slice(0, n)); };
  const q = parseCsv(await readFile(join(dataMirror, "answer-matching/raw/src/upload_data/GPQA_Questions.csv"), "utf8"), "GPQA_Questions.csv");
  for (const r of q.records) add(r.fields[columnIndex(q, "Question", "GPQA_Questions.csv")]!);
  const original = JSON.parse(await readFile(join(dataMirror, "co-failure-ceiling-audit/raw/gpqa_open_v2/items_original.json"), "utf8")) as { stem: string; options: Record<string, string> }[];
  for (const it of original) { add(it.stem); for (const o of Object.values(it.options)) add(o, 40); }
  return [...heads];
}

test("a cold build audits every pool, leaks no GPQA text, and a decision reruns only its pool", { skip: !hasData && "no ../shared/data", timeout: 30 * 60_000 }, async () => {
  const dir = await freshProjectCopy();
  const cold = await cofail(dir, ["run", "--jobs", "2"]);
  assert.equal(cold.code, 0, cold.stderr.slice(-4000));

  // Every pool has its audit table and report.
  const reports = new Map<string, AuditReport>();
  for (const p of POOLS) {
    const r = JSON.parse(await readFile(join(dir, "build", `audit-${p}`, "report.json"), "utf8")) as AuditReport;
    await readFile(join(dir, "build", `audit-${p}`, "table.json"), "utf8");
    assert.equal(r.pool, p);
    reports.set(p, r);
  }
  for (const p of ["gsm", "math-l5"]) {
    const r = reports.get(p)!;
    assert.ok(r.items.length > 0, `${p} has all-wrong items`);
    for (const { evidence, verdict } of r.items) assert.notEqual(verdict.class, "unaudited", `${p} ${evidence.item}: ${verdict.reason}`);
  }
  const gsm = reports.get("gsm")!;
  const unanimous = gsm.items.filter((i) => i.evidence.modal !== null && i.evidence.modal.count >= 38);
  assert.ok(unanimous.length >= 4, `gsm items with >= 38 of ${gsm.nModels} on one answer: ${unanimous.length}`);
  for (const { evidence, verdict } of unanimous) {
    assert.equal(verdict.by, "rule");
    assert.ok(["reference error", "ambiguous"].includes(verdict.class), `${evidence.item}: ${verdict.class}`);
    assert.notEqual(evidence.modal!.answer, evidence.gold);
    assert.ok(verdict.reason.length > 0);
  }
  // math-l5 item 46 (MATH-Hard row 140 in the original study: gold 3 should be -3) is found by its question hash.
  const m46 = reports.get("math-l5")!.items.find((i) => i.evidence.item === "math-l5-46")!;
  assert.ok(m46.evidence.errata.some((e) => e.ref === "mathhard:140" && e.matchedBy === "question-sha256"));
  assert.equal(m46.verdict.class, "reference error");

  // No GPQA stem or option text anywhere in the outputs.
  const heads = await gpqaTexts();
  assert.ok(heads.length > 300, `${heads.length} GPQA texts to look for`);
  const leaks: string[] = [];
  for (const f of await walk(join(dir, "build"))) {
    if (/\.(png)$/.test(f)) continue;
    const text = normalizeQuestionText(await readFile(join(dir, "build", f), "utf8"));
    for (const h of heads) if (text.includes(h)) { leaks.push(`${f}: GPQA text ${textDigest(h)}`); break; }
  }
  assert.deepEqual(leaks, []);

  // The HTML paper: under 2 MB, its appendix under 1 MB, no template syntax outside code, no authoring comment.
  const html = await readFile(join(dir, "build/paper/paper.html"), "utf8");
  const bytes = Buffer.byteLength(html);
  const appendixAt = html.indexOf('<h2 id="provenance">');
  assert.ok(bytes < 2_000_000, `paper.html is ${bytes} bytes`);
  assert.ok(appendixAt > 0 && bytes - appendixAt < 1_000_000, `the appendix is ${bytes - appendixAt} bytes`);
  const text = html.replace(/<code>[\s\S]*?<\/code>/g, "").replace(/<[^>]+>/g, " ");
  assert.ok(!text.includes("{{") && !text.includes("}}"), "template syntax in the rendered paper");
  assert.ok(!html.includes("<!--") && !/Authoring rules/.test(html), "an authoring comment in the rendered paper");

  // Figures write β, never "beta" (model names such as "Grok-3-Mini-Beta" aside).
  const betaInFigures: string[] = [];
  for (const f of (await walk(join(dir, "build"))).filter((f) => f.endsWith(".svg"))) {
    for (const m of (await readFile(join(dir, "build", f), "utf8")).matchAll(/<text[^>]*>([^<]*)/g)) {
      if (/\bbeta\b/i.test(m[1]!.replace(/[A-Za-z0-9.]+-Beta\b/g, ""))) betaInFigures.push(`${f}: ${m[1]}`);
    }
  }
  assert.deepEqual(betaInFigures, []);

  // A decision for one gsm item: only gsm's audit and its downstream rerun.
  const item = gsm.items.find((i) => i.verdict.class === "ambiguous")!.evidence.item;
  const yaml = await readFile(join(dir, "data/adjudications.yaml"), "utf8");
  assert.match(yaml, /\ndecisions:\n/);
  await writeFile(join(dir, "data/adjudications.yaml"), yaml.replace("\ndecisions:\n",
    `\ndecisions:\n  - pool: gsm\n    item: "${item}"\n    class: genuine\n    reason: read by the test as a genuine co-failure\n    who: test\n`));
  const again = await cofail(dir, ["run", "--jobs", "2"]);
  assert.equal(again.code, 0, again.stderr.slice(-4000));
  const runs = (await readdir(join(dir, ".cofail", "runs"))).sort();
  const record = JSON.parse(await readFile(join(dir, ".cofail", "runs", runs[runs.length - 1]!), "utf8")) as { ran: string[] };
  const ran = record.ran.map((s) => s.replace(/\[.*\]$/, ""));
  assert.ok(ran.includes("audit-gsm"), ran.join(", "));
  const others = ran.filter((s) => s !== "adjudications" && !s.includes("gsm") && !["audit-summary", "fig-artifact-atom", "robustness-summary", "paper"].includes(s));
  assert.deepEqual(others, [], `stages that reran without depending on gsm's audit: ${others.join(", ")}`);
  assert.ok(!ran.some((s) => s.startsWith("audit-") && s !== "audit-gsm" && s !== "audit-summary"));
  // The run names what moved: gsm's audited beta rises from 0 with the item back as a co-failure.
  const diff = await cofail(dir, ["diff"]);
  assert.equal(diff.code, 0, diff.stderr);
  assert.match(diff.stdout, /gsm-audited\.beta\b/);
});
