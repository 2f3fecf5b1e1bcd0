// The appendix prints a code list that several stages share once, under "Code", and each stage entry links to it; a
// stage whose code no other stage shares keeps its list inline.
import { test } from "node:test";
import assert from "node:assert/strict";
import { sharedCodeHtml, sharedCodeLists, stageEntry } from "../../paper/render/appendix.js";
import type { ProvenanceView } from "../../paper/render/records.js";

const view = (stage: string, type: string, code: [string, string][]): ProvenanceView =>
  ({ stage, type, key: `k-${stage}`, seed: 1, params: {}, code: code.map(([file, sha256]) => ({ file, sha256 })), inputs: [], outputs: [] });
const copulaCode: [string, string][] = [["stages/copula.ts", "a".repeat(64)], ["stats/orthant.ts", "b".repeat(64)]];

test("appendix: a code list shared by two stages is printed once and linked from both; a lone list stays inline", () => {
  const runs = [[view("copula-gsm", "copula", copulaCode)], [view("copula-lcb", "copula", copulaCode)], [view("pool-gsm", "pool", [["stages/pool.ts", "c".repeat(64)]])]];
  const shared = sharedCodeLists(runs);
  assert.equal(shared.size, 1);
  const entries = runs.map((r) => stageEntry(r, { byKey: new Map(), byStage: new Map() } as never, shared));
  for (const e of entries.slice(0, 2)) {
    assert.match(e, /<dt>code<\/dt><dd>2 files: listed under <a href="#code-copula">code of copula<\/a><\/dd>/);
    assert.ok(!e.includes("stats/orthant.ts"), "the shared list is not repeated in the stage entry");
  }
  assert.match(entries[2]!, /<li>stages\/pool.ts <code>cccccccccc<\/code><\/li>/);
  const html = sharedCodeHtml(shared);
  assert.equal(html.match(/stats\/orthant\.ts/g)?.length, 1);
  assert.match(html, /<section class="code" id="code-copula">.*run by<\/dt><dd>2 stages: <a href="#stage-copula-gsm">copula-gsm<\/a>, <a href="#stage-copula-lcb">copula-lcb<\/a>/s);
  // A different hash of one file is another code list.
  const other = sharedCodeLists([...runs, [view("copula-x", "copula", [["stages/copula.ts", "d".repeat(64)], ["stats/orthant.ts", "b".repeat(64)]])]]);
  assert.equal(other.size, 1);
  assert.deepEqual([...other.values()][0]!.stages, ["copula-gsm", "copula-lcb"]);
});
