// End to end on the real ZeroEval data: manifest -> fetch (from the mirror) -> ingest -> grade (math) ->
// agreement. Pins the measured agreement between our grader and ZeroEval's own rule (see the comment
// block in stages/graders/math.ts for what the disagreements are).
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { materializeAll } from "../../engine/fetch.js";
import { loadManifest, matchManifest } from "../../engine/manifest.js";
import type { InputFile, StageContext } from "../../engine/types.js";
import agreement, { type AgreementReport } from "../../stages/agreement.js";
import type { CanonicalTable } from "../../stages/canonical.js";
import grade from "../../stages/grade.js";
import ingest from "../../stages/ingest.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const mirror = join(root, "../shared/data");

function ctx(id: string, params: unknown, inputs: Record<string, unknown>): StageContext<any> {
  return { id, params, inputs, seed: 1, projectDir: root, progress() {}, log() {}, warn() {}, publish() {} };
}

const expected = {
  "math-l5": { cells: 30692, items: 721, disagreements: 207 },
  gsm: { cells: 57398, items: 1319, disagreements: 223 },
};

for (const [task, want] of Object.entries(expected)) {
  test(`real ${task}: our math grader vs ZeroEval's rule`, { skip: !existsSync(mirror) && "no data mirror" }, async () => {
    const manifest = await loadManifest(join(root, "data/manifest.json"));
    const opts = { mirror, downloadsDir: "data/downloads", projectDir: root, concurrency: 2 };
    const files = await materializeAll(matchManifest(manifest, [`zeroeval-${task}/raw/result_dirs/${task}/*.json`]), opts);
    const summary = await materializeAll(matchManifest(manifest, [`zeroeval-${task}/raw/result_dirs/${task}.summary.json`]), opts);
    const modelsYaml = join(root, "data/models.yaml");
    const models: InputFile[] = existsSync(modelsYaml) ? [{ name: "data/models.yaml", path: modelsYaml, sha256: "" }] : [];

    const warnings: string[] = [];
    const ingestCtx = { ...ctx(`ingest-${task}`, ingest.params.parse({ adapter: "zeroeval", task }), { files: [...files, ...summary], models }), warn: (m: string) => warnings.push(m) };
    const { table } = (await ingest.run(ingestCtx)) as { table: CanonicalTable };
    assert.ok(!warnings.some((w) => /ZeroEval rule gives Acc/.test(w)), "the source verdicts reproduce the printed summary");
    const { table: graded } = (await grade.run(ctx(`grade-${task}`, grade.params.parse({ grader: "math" }), { table }))) as { table: CanonicalTable };
    const published: Record<string, number> = {};
    const agreeCtx = { ...ctx(`agreement-${task}`, {}, { table: graded, summary }), publish: (id: string, v: number) => { published[id] = v; } };
    const { report } = (await agreement.run(agreeCtx)) as { report: AgreementReport };

    assert.equal(report.cells, want.cells);
    assert.equal(report.items, want.items);
    assert.equal(report.disagreements.length, want.disagreements);
    assert.equal(published[`${task}.grading.disagreements`], want.disagreements);
    assert.ok(report.agreementRate >= 0.993, `agreement ${report.agreementRate}`);
    for (const m of report.perModel) {
      assert.ok(m.summaryAcc !== undefined, `summary row for ${m.model}`);
      assert.ok(Math.abs(m.source - m.summaryAcc) < 0.00005 + 1e-12, `${m.model}: source ${m.source} vs printed ${m.summaryAcc}`);
    }
  });
}
