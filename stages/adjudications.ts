// `adjudications`: data/adjudications.yaml -> one decisions output per pool. Each audit reads only its pool's output,
// so a new decision changes one output and only that pool's audit (and what depends on it) reruns.
import { readFileSync } from "node:fs";
import { z } from "zod";
import { defineStage, type InputFile, type OutputSpec } from "../engine/types.js";
import { parseAdjudications } from "../audit/adjudications.js";
import { Adjudication } from "../audit/types.js";

export const PoolDecisions = z.array(Adjudication.extend({ file: z.string() }));
const Params = z.object({ pools: z.array(z.string().min(1)).min(1) }).strict();

export default defineStage({
  type: "adjudications",
  description: "A researcher's decisions on all-wrong items (data/adjudications.yaml), split by pool",
  params: Params,
  inputs: { file: { kind: "files", description: "data/adjudications.yaml" } },
  outputs: (params: z.infer<typeof Params>) => Object.fromEntries(params.pools.map((pool): [string, OutputSpec] =>
    [pool, { file: `${pool}.json`, kind: "json", schema: PoolDecisions, description: `decisions for pool ${pool}` }])),
  async run(ctx) {
    const files = ctx.inputs.file as InputFile[];
    if (files.length !== 1) throw new Error(`adjudications: expected one file, got ${files.length}`);
    const file = files[0]!;
    const parsed = parseAdjudications(readFileSync(file.path, "utf8"), file.name);
    const pools = new Set(ctx.params.pools);
    for (const d of parsed.decisions) {
      if (!pools.has(d.pool)) throw new Error(`${d.at}: pool "${d.pool}" is not audited (audited pools: ${ctx.params.pools.join(", ")})`);
    }
    // Positions are left out: a decision added above another would shift them and rerun that pool's audit too.
    const out: Record<string, unknown> = {};
    for (const pool of ctx.params.pools) out[pool] = parsed.decisions.filter((d) => d.pool === pool).map(({ at: _at, ...d }) => ({ ...d, file: file.name }));
    ctx.log(`${parsed.decisions.length} decision(s) in ${file.name}`);
    return out;
  },
});
