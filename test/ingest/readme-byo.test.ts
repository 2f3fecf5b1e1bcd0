// The README's "Bring your own results" example works as written: its pipeline.yaml block names the models input
// (dataset:models, which pipeline.yaml defines), and the ingest stage with those params resolves gpt-4o-2024-08-06
// through the registry while the unknown model draws one warning.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import ingest from "../../stages/ingest.js";
import type { CanonicalRow } from "../../core/canonical-table.js";
import { fakeContext } from "../support/stage-context.js";
import { projectDir, tempFile } from "../support/adapter-harness.js";

const readme = readFileSync(join(projectDir, "README.md"), "utf8");
const section = readme.slice(readme.indexOf("## Bring your own results"), readme.indexOf("## Results from eval harnesses"));
const block = (lang: string, n = 0) => [...section.matchAll(new RegExp("```" + lang + "\\n([\\s\\S]*?)```", "g"))][n]![1]!;

test("README bring-your-own example: models: dataset:models, and the registry resolves the README's model names", async () => {
  const spec = parse(block("yaml")) as { datasets: Record<string, unknown>; stages: Record<string, { type: string; inputs: Record<string, string>; params: unknown }> };
  const stage = spec.stages["ingest-my-results"]!;
  assert.equal(stage.type, "ingest");
  assert.equal(stage.inputs.models, "dataset:models");
  const pipeline = parse(readFileSync(join(projectDir, "pipeline.yaml"), "utf8")) as { datasets: Record<string, { local?: string[] }> };
  assert.deepEqual(pipeline.datasets.models!.local, ["data/models.yaml"]);
  const csv = tempFile("examples/my-results.csv", block("csv"));
  const models = { name: "data/models.yaml", path: join(projectDir, "data/models.yaml"), sha256: "" };
  const { ctx, warnings } = fakeContext({ id: "ingest-my-results", params: ingest.params.parse(stage.params) as never, inputs: { files: [csv], models: [models] } });
  const { table } = (await ingest.run(ctx)) as { table: { rows: CanonicalRow[] } };
  assert.deepEqual(table.rows.map((r) => [r.item_id, r.model, r.provider, r.correct]), [["q1", "GPT-4o-2024-08-06", "OpenAI", 1], ["q1", "my-lab/SuperModel-7B", "unknown", 0]]);
  assert.deepEqual(warnings.filter((w) => /not in the model registry/.test(w)), ['model "my-lab/SuperModel-7B" is not in the model registry (data/models.yaml): provider set to "unknown"']);
});
