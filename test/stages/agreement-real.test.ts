// End to end on the real ZeroEval data: manifest -> fetch (from the mirror) -> ingest -> grade (math) ->
// agreement. Pins the measured agreement between our grader and ZeroEval's own rule (see the comment
// block in ingest/graders/math.ts for what the disagreements are).
// tier: slow
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { materializeAll } from "../../engine/fetch.js";
import { loadManifest, matchManifest } from "../../engine/manifest.js";
import type { InputFile } from "../../engine/types.js";
import { fakeContext } from "../support/stage-context.js";
import agreement, { type AgreementReport } from "../../stages/agreement.js";
import type { CanonicalTable } from "../../core/canonical-table.js";
import grade from "../../stages/grade.js";
import ingest from "../../stages/ingest.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const mirror = join(root, "../shared/data");


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

    const ingestCtx = fakeContext({ id: `ingest-${task}`, params: ingest.params.parse({ adapter: "zeroeval", task }), inputs: { files: [...files, ...summary], models } });
    const warnings = ingestCtx.warnings;
    const { table } = (await ingest.run(ingestCtx.ctx)) as { table: CanonicalTable };
    assert.ok(!warnings.some((w) => /ZeroEval rule gives Acc/.test(w)), "the source verdicts reproduce the printed summary");
    const { table: graded } = (await grade.run(fakeContext({ id: `grade-${task}`, params: grade.params.parse({ grader: "math" }), inputs: { table } }).ctx)) as { table: CanonicalTable };
    const agreeCtx = fakeContext({ id: `agreement-${task}`, params: agreement.params.parse({}), inputs: { table: graded, summary } });
    const { report } = (await agreement.run(agreeCtx.ctx)) as { report: AgreementReport };
    const published = Object.fromEntries([...agreeCtx.published].map(([id, r]) => [id, r.value]));

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
