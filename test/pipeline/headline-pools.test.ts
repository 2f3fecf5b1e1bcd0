// Independent checks of the paper's headline numbers for EVERY pool of pipeline.yaml (issue #5): for each pool the
// verdict matrix is rebuilt here from the raw files of ../shared/data with minimal readers of our own (gunzip,
// JSON / JSONL / CSV / the MathArena JS literal), the pool's policy and filters are applied by hand, and N, M, the
// all-wrong count, beta, the Clopper–Pearson 95% interval (bisection on exact binomial sums), the best accuracy and,
// for the copula pools, the single-factor beta and underpricing ratio (own tetrachorics / minres / quadrature) are
// recomputed with plain loops. They are compared with what the stages produce on the pipeline's own ingest output
// (adapters + graders + judge panel + buildPoolMatrix / cofailureRow / fitCopula, params read from pipeline.yaml).
//
// Reused on the independent side, and why: the math grader's answer extraction and equivalence
// (ingest/graders/math-answer.ts) for math-l5 and gsm — a second free-form math grader would be hundreds of lines,
// and the grader is validated on its own against ZeroEval's printed summaries (test/stages/agreement-real.test.ts);
// stats/nearest-correlation.ts for the nearest-PD repair (checked against R's Matrix::nearPD in its own tests);
// the normal and bivariate normal CDFs of stats/ (checked against R). Everything else below is written afresh.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { parse as parseYaml } from "yaml";
import { loadManifest, matchManifest } from "../../engine/manifest.js";
import { seedFor } from "../../engine/plan.js";
import type { CanonicalTable } from "../../core/canonical-table.js";
import { cofailureRow } from "../../stages/cofailure.js";
import copulaStage from "../../stages/copula.js";
import { gradeTable } from "../../ingest/grade-table.js";
import { loadGrader } from "../../ingest/graders/index.js";
import { answersMatch, extractFinalAnswer } from "../../ingest/graders/math-answer.js";
import judgePanelStage, { judgePanelAnalysis } from "../../stages/judge-panel.js";
import { fitCopula } from "../../stats/copula.js";
import type { PoolMatrix } from "../../core/pool-matrix.js";
import poolStage from "../../stages/pool.js";
import { buildPoolMatrix } from "../../core/build-pool.js";
import { nearestCorrelation } from "../../stats/nearest-correlation.js";
import { packErrors } from "../../stats/verdict-bits.js";
import {
  clopperPearsonByBisection, minresByAls, orthantMonteCarlo, plainAllWrong, plainBestAccuracy, plainTetrachorics,
  singleFactorBetaTrapezoid, type ErrorMatrix,
} from "../support/independent.js";
import { dataMirror, loadWithAdapter, projectDir } from "../../ingest/mirror-tables.js";

// ---------------------------------------------------------------------------------------------------------------
// Independent side: raw files -> {model -> {item -> 0/1 right}} with the pool's policy, then the common block.
// ---------------------------------------------------------------------------------------------------------------

type Verdicts = Map<string, Map<string, 0 | 1 | null>>; // model -> item id (pipeline spelling) -> right?

const raw = (rel: string): string => {
  const p = join(dataMirror, rel);
  if (existsSync(p)) return readFileSync(p, "utf8");
  return gunzipSync(readFileSync(`${p}.gz`)).toString("utf8");
};
const listDir = (rel: string): string[] => readdirSync(join(dataMirror, rel)).sort();
const stem = (file: string) => file.replace(/\.gz$/, "").replace(/\.(json|jsonl|csv)$/, "");
const jsonl = (text: string): Record<string, unknown>[] =>
  text.split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as Record<string, unknown>);
const set = (v: Verdicts, model: string, item: string, right: 0 | 1 | null) => {
  if (!v.has(model)) v.set(model, new Map());
  assert.ok(!v.get(model)!.has(item), `independent reader: ${model} has item ${item} twice`);
  v.get(model)!.set(item, right);
};

/** Minimal RFC 4180 reader: quoted fields may hold commas, "" and line breaks (a quoted field is cut out by indexOf). */
function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (i < text.length) {
    let field: string;
    if (text[i] === '"') {
      const parts: string[] = [];
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        assert.ok(q >= 0, "csv: unterminated quoted field");
        parts.push(text.slice(j, q));
        if (text[q + 1] === '"') { parts.push('"'); j = q + 2; } else { i = q + 1; break; }
      }
      field = parts.join("");
    } else {
      let j = i;
      while (j < text.length && text[j] !== "," && text[j] !== "\n" && text[j] !== "\r") j++;
      field = text.slice(i, j);
      i = j;
    }
    row.push(field);
    if (text[i] === ",") { i++; if (i === text.length) row.push(""); else continue; }
    else if (text[i] === "\r" && text[i + 1] === "\n") i += 2;
    else i++;
    rows.push(row);
    row = [];
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ""));
}

/** ZeroEval runs graded by our math grader; `exclude` = file stems of the runs the pool leaves out. */
function zeroEvalVerdicts(dir: string, task: string, exclude: string[]): Verdicts {
  const v: Verdicts = new Map();
  for (const f of listDir(dir).filter((f) => /\.json(\.gz)?$/.test(f))) {
    const run = stem(f);
    if (exclude.includes(run)) continue;
    for (const it of JSON.parse(raw(`${dir}/${f.replace(/\.gz$/, "")}`)) as { id: number | string; answer: string; output: string[] }[]) {
      const gold = it.answer.replace(/#/g, "").trim();
      const answer = extractFinalAnswer(it.output[0]);
      set(v, run, `${task}-${it.id}`, answer !== undefined && answersMatch(answer, gold) ? 1 : 0);
    }
  }
  return v;
}

/** LiveCodeBench leaderboard snapshots, oldest first, the newest value of a (model, problem) winning; right = pass@1 >= 50. */
function lcbVerdicts(dates: string[], common400: boolean): Verdicts {
  const root = "livecodebench-codegen/raw/livecodebench.github.io";
  const dirs = listDir(root).filter((d) => dates.some((x) => d.startsWith(`${x}_`))).sort();
  assert.equal(dirs.length, dates.length);
  const value = new Map<string, Map<string, number>>();
  for (const d of dirs) {
    const doc = JSON.parse(raw(`${root}/${d}/src/mocks/performances_generation.json`)) as { performances: { question_id: string; model: string; "pass@1": number }[] };
    for (const p of doc.performances) {
      if (!value.has(p.model)) value.set(p.model, new Map());
      value.get(p.model)!.set(p.question_id, p["pass@1"]);
    }
  }
  let problems: string[] | undefined;
  if (common400) {
    const maps = [...value.values()];
    problems = [...maps[0].keys()].filter((q) => maps.every((m) => m.has(q)));
  }
  const v: Verdicts = new Map();
  for (const [model, byQ] of value) {
    for (const [q, pass] of byQ) if (!problems || problems.includes(q)) set(v, model, `lcb-${q}`, pass >= 50 ? 1 : 0);
  }
  return v;
}

/** simple-evals-ru GPQA runs: is_correct of the single sample. */
function gpqaMcVerdicts(): Verdicts {
  const dir = "gpqa-mc-simple-evals-ru/raw/data/results/gpqa";
  const v: Verdicts = new Map();
  for (const f of listDir(dir).filter((f) => /\.jsonl(\.gz)?$/.test(f))) {
    for (const o of jsonl(raw(`${dir}/${f.replace(/\.gz$/, "")}`))) {
      const id = String(o.id);
      set(v, stem(f), `gpqa-${id.slice(id.lastIndexOf("/") + 1)}`, o.is_correct === true || o.is_correct === 1 ? 1 : 0);
    }
  }
  return v;
}

/** gpqa-mc-rotations: row i = i-th question of gpqa-diamond-freeform.csv; right on rotation k iff a_k = "ABCD"[k]; >= 2 of 4. */
function gpqaRotVerdicts(): Verdicts {
  const order = csvRows(raw("answer-matching/raw/src/upload_data/gpqa-diamond-freeform.csv"));
  const idCol = order[0].indexOf("Record ID");
  const ids = order.slice(1).map((r) => r[idCol]);
  const dir = "gpqa-mc-rotations/raw";
  const v: Verdicts = new Map();
  for (const f of listDir(dir).filter((f) => /\.csv(\.gz)?$/.test(f))) {
    const rows = csvRows(raw(`${dir}/${f.replace(/\.gz$/, "")}`));
    const cols = [1, 2, 3, 4].map((k) => rows[0].indexOf(`a${k}`));
    assert.equal(rows.length - 1, ids.length, `${f}: one row per question`);
    rows.slice(1).forEach((r, i) => {
      let right = 0;
      for (let k = 0; k < 4; k++) if (r[cols[k]].trim() === "ABCD"[k]) right++;
      set(v, stem(f), `gpqa-${ids[i]}`, 2 * right >= 4 ? 1 : 0);
    });
  }
  return v;
}

/** MathArena AIME 2025 I: percent of 4 runs right per (problem, model); right iff >= 2 of 4 (pct >= 50). */
function aimeVerdicts(): Verdicts {
  const text = raw("matharena-aime2025i-web/raw/static/js/table_data.js").replace(/^\s*var\s+result_data\s*=\s*/, "").replace(/;\s*$/, "");
  const v: Verdicts = new Map();
  for (const row of JSON.parse(text) as Record<string, unknown>[]) {
    if (typeof row.question !== "number") continue; // "Avg" and "Cost" rows
    for (const [model, pct] of Object.entries(row)) if (model !== "question") set(v, model, `aime2025I-${row.question}`, (pct as number) >= 50 ? 1 : 0);
  }
  return v;
}

/**
 * answer-matching free response: per (question, model) two LLM judges ([0]/[1]) and two humans (rating 4-5 right,
 * 1-2 wrong, 3 abstains; newest annotation round with a rating wins). Panel = majority of the non-abstaining votes,
 * a tie decided by the DeepSeek-V3 judge; no vote = no verdict (the cell is missing, so the item leaves the block).
 */
function gpqaFrVerdicts(): Verdicts {
  const base = "answer-matching/raw/src/visualize_resps";
  const rounds = ["updated_annotation1", "updated_annotation0", "annotation/saves"]; // newest first
  const humans = ["ameya", "nikhil"].map((who) => rounds.map((r) => {
    const m = new Map<string, number | null>();
    for (const o of jsonl(raw(`${base}/${r}/${who}_gpqa.jsonl`))) {
      (o.model as string[]).forEach((model, k) => m.set(`${o.question_id}\u0000${model}`, (o.rating_match as (number | null)[])[k]));
    }
    return m;
  }));
  const v: Verdicts = new Map();
  for (const o of jsonl(raw("answer-matching/raw/gpqa_combined_samples_to_annotate.jsonl"))) {
    const key = `${o.question_id}\u0000${o.model}`;
    const deepseek = (o["score_deepseek-chat-v3-0324"] as number[])[0];
    const votes: (number | null)[] = [deepseek, (o["score_qwen-2.5-7b-instruct"] as number[])[0]];
    for (const h of humans) {
      const rating = h.map((m) => m.get(key)).find((r) => r !== undefined && r !== null);
      votes.push(rating === undefined || rating === null ? null : rating >= 4 ? 1 : rating <= 2 ? 0 : null);
    }
    const right = votes.filter((x) => x === 1).length, wrong = votes.filter((x) => x === 0).length;
    set(v, o.model as string, `gpqa-${o.question_id}`, right + wrong === 0 ? null : right > wrong ? 1 : wrong > right ? 0 : (deepseek as 0 | 1));
  }
  return v;
}

interface Block { models: string[]; items: string[]; err: ErrorMatrix }

/** Items every model has a verdict on, sorted; err[m][i] = 1 - right. */
function commonBlock(v: Verdicts): Block {
  const models = [...v.keys()];
  const has = (m: string, i: string) => { const x = v.get(m)!.get(i); return x === 0 || x === 1; };
  const items = [...v.get(models[0])!.keys()].filter((i) => models.every((m) => has(m, i))).sort();
  return { models, items, err: models.map((m) => items.map((i) => 1 - (v.get(m)!.get(i) as number))) };
}

// ---------------------------------------------------------------------------------------------------------------
// Pipeline side: pipeline.yaml's own stages, params and dataset globs, run through the stages' pure functions.
// ---------------------------------------------------------------------------------------------------------------

interface StageDecl { type: string; inputs?: Record<string, string>; params?: Record<string, unknown> }
const pipeline = parseYaml(readFileSync(join(projectDir, "pipeline.yaml"), "utf8")) as {
  seed: number; datasets: Record<string, { files?: string[] }>; stages: Record<string, StageDecl>;
};
const stageOf = (ref: string): StageDecl & { id: string } => {
  const id = ref.split(".")[0];
  return { id, ...pipeline.stages[id] };
};

async function ingest(decl: StageDecl): Promise<CanonicalTable> {
  const manifest = await loadManifest(join(projectDir, "data/manifest.json"));
  const dataset = decl.inputs!.files.replace(/^dataset:/, "");
  const files = matchManifest(manifest, pipeline.datasets[dataset].files!).map((e) => e.mirror ?? e.path);
  const p = decl.params as { adapter: string; task: string; options?: Record<string, unknown> };
  return loadWithAdapter({ adapter: p.adapter, task: p.task, files, adapterOptions: p.options });
}

/** pool-<name>'s input table as the pipeline makes it: ingest -> grade, or ingest -> judge-panel. */
async function pipelineMatrix(pool: string): Promise<PoolMatrix> {
  const poolDecl = pipeline.stages[`pool-${pool}`];
  const up = stageOf(poolDecl.inputs!.tables);
  const source = stageOf(up.inputs!.table);
  assert.equal(source.type, "ingest");
  const table = await ingest(source);
  let graded: CanonicalTable;
  if (up.type === "grade") {
    const p = up.params as { grader: string; options?: Record<string, unknown> };
    graded = gradeTable(table, await loadGrader(p.grader), p.grader, p.options ?? {}, () => {});
  } else {
    assert.equal(up.type, "judge-panel");
    graded = { ...table, rows: judgePanelAnalysis(table.rows, judgePanelStage.params.parse(up.params)).panelRows };
  }
  return buildPoolMatrix([graded], poolStage.params.parse(poolDecl.params));
}

// ---------------------------------------------------------------------------------------------------------------
// The checks.
// ---------------------------------------------------------------------------------------------------------------

interface PoolCase {
  pool: string;
  data: string; // mirror directory whose absence skips the pool
  models: number; // M the paper reports (a drift in data or filters shows here)
  independent: () => Verdicts;
}

const cases: PoolCase[] = [
  { pool: "math-l5", data: "zeroeval-math-l5", models: 41, independent: () => zeroEvalVerdicts("zeroeval-math-l5/raw/result_dirs/math-l5", "math-l5", ["Meta-Llama-3.1-405B-Instruct@hyperbolic", "Meta-Llama-3.1-70B-Instruct@hyperbolic"]) },
  { pool: "gsm", data: "zeroeval-gsm", models: 43, independent: () => zeroEvalVerdicts("zeroeval-gsm/raw/result_dirs/gsm", "gsm", ["gemini-1.5-flash-exp-0827"]) },
  { pool: "lcb", data: "livecodebench-codegen", models: 71, independent: () => lcbVerdicts(["2024-04-17", "2025-01-15", "2025-04-22"], true) },
  { pool: "lcb-new", data: "livecodebench-codegen", models: 16, independent: () => lcbVerdicts(["2025-04-22"], false) },
  { pool: "gpqa-mc", data: "gpqa-mc-simple-evals-ru", models: 20, independent: gpqaMcVerdicts },
  { pool: "gpqa-mc-rot", data: "gpqa-mc-rotations", models: 8, independent: gpqaRotVerdicts },
  { pool: "gpqa-fr", data: "answer-matching", models: 4, independent: gpqaFrVerdicts },
  { pool: "aime", data: "matharena-aime2025i-web", models: 16, independent: aimeVerdicts },
];
const copulaPools = new Set(Object.entries(pipeline.stages).filter(([, d]) => d.type === "copula").map(([, d]) => d.inputs!.matrix.replace(/^pool-/, "").replace(/\.matrix$/, "")));

/** Each pipeline model's row index in the independent block, matched by identical error patterns over the items. */
function matchRows(matrix: PoolMatrix, block: Block): number[] {
  const free = new Map<string, number[]>();
  block.err.forEach((e, m) => { const k = e.join(""); free.set(k, [...(free.get(k) ?? []), m]); });
  return matrix.correct.map((row, a) => {
    const k = row.map((c) => 1 - c).join("");
    const hit = free.get(k)?.shift();
    assert.ok(hit !== undefined, `model ${matrix.models[a]}: no independent model with the same verdicts`);
    return hit;
  });
}

/** Independent single-factor calibration of an error block: beta_1f and the ratio, plus the pieces. */
function independentCopula(err: ErrorMatrix) {
  const M = err.length;
  const { tau, R } = plainTetrachorics(err);
  const repaired = nearestCorrelation(R.flat(), M).matrix;
  const Rr = Array.from({ length: M }, (_, a) => Array.from({ length: M }, (_, b) => repaired[a * M + b]));
  const lam = minresByAls(Rr);
  const beta1f = singleFactorBetaTrapezoid(tau, lam);
  return { tau, R, Rr, beta1f, ratio: plainAllWrong(err) / err[0].length / beta1f };
}

/** What the report prints per pool (read by `--test-reporter spec` and by the lead). */
const measured: Record<string, unknown> = {};

for (const c of cases) {
  const skip = !existsSync(join(dataMirror, c.data)) && `no ${c.data} in ../shared/data`;
  test(`headline (${c.pool}): N, M, beta, CP95, best accuracy${copulaPools.has(c.pool) ? ", single-factor beta and ratio (full pool and best 17)" : ""} agree with an independent computation`, { skip }, async () => {
    const block = commonBlock(c.independent());
    const matrix = await pipelineMatrix(c.pool);
    const { row } = cofailureRow(matrix);
    const N = block.items.length, M = block.models.length;
    const allWrong = plainAllWrong(block.err);
    const beta = allWrong / N;
    const cp95 = clopperPearsonByBisection(allWrong, N, 0.95);
    const up95 = clopperPearsonByBisection(allWrong, N, 0.95, "upper");
    const best = plainBestAccuracy(block.err);

    assert.equal(M, c.models, `${c.pool}: models`);
    assert.equal(row.nModels, M);
    assert.deepEqual(matrix.items, block.items, `${c.pool}: the common block's items`);
    assert.equal(row.nItems, N);
    assert.equal(row.allWrong, allWrong);
    assert.equal(row.beta, beta);
    assert.ok(Math.abs(row.cp95.lower - cp95.lower) <= 1e-9 && Math.abs(row.cp95.upper - cp95.upper) <= 1e-9, `${c.pool}: CP95 stage ${JSON.stringify(row.cp95)} vs ${JSON.stringify(cp95)}`);
    assert.ok(Math.abs(row.upper95OneSided - up95.upper) <= 1e-9, `${c.pool}: one-sided upper ${row.upper95OneSided} vs ${up95.upper}`);
    assert.ok(Math.abs(row.best.accuracy - best) <= 1e-12, `${c.pool}: best accuracy ${row.best.accuracy} vs ${best}`);
    // Same per-model verdict rows (not only the same totals): every pipeline model has an independent twin.
    const pos = matchRows(matrix, block);
    const out: Record<string, unknown> = { N, M, allWrong, beta, cp95, best };

    if (copulaPools.has(c.pool)) {
      const ind = independentCopula(block.err);
      const fit = fitCopula(packErrors(matrix.correct), { full: null });
      assert.equal(fit.active.length, M, `${c.pool}: every model has 0 < error rate < 1`);
      let maxDiff = 0;
      for (let a = 0; a < M; a++) for (let b = 0; b < M; b++) {
        if (a !== b) maxDiff = Math.max(maxDiff, Math.abs(fit.tetrachoric[a * M + b] - ind.R[pos[a]][pos[b]]));
      }
      assert.ok(maxDiff < 1e-6, `${c.pool}: tetrachoric max diff ${maxDiff}`);
      assert.ok(Math.abs(fit.beta1f / ind.beta1f - 1) < 1e-4, `${c.pool}: beta_1f stage ${fit.beta1f} vs independent ${ind.beta1f}`);
      assert.ok(Math.abs(fit.ratioSf / ind.ratio - 1) < 1e-4, `${c.pool}: ratio stage ${fit.ratioSf} vs independent ${ind.ratio}`);
      out.beta1f = ind.beta1f;
      out.ratio = ind.ratio;

      // Best k (the copula stage's k): the k most accurate models, ties at the cut by the pipeline's model name.
      const k = (pipeline.stages[`copula-${c.pool}`].params?.k as number | undefined) ?? 17;
      if (k < M) {
        const name = new Map(pos.map((p, a) => [p, matrix.models[a]]));
        const wrong = block.err.map((e) => e.reduce((s, x) => s + x, 0));
        const top = [...block.err.keys()].sort((a, b) => wrong[a] - wrong[b] || (name.get(a)! < name.get(b)! ? -1 : 1)).slice(0, k);
        const sub = independentCopula(top.map((m) => block.err[m]));
        const fitK = fitCopula(packErrors(matrix.correct.slice(0, k)), { full: null });
        assert.ok(Math.abs(fitK.beta1f / sub.beta1f - 1) < 1e-4, `${c.pool} best ${k}: beta_1f stage ${fitK.beta1f} vs independent ${sub.beta1f}`);
        assert.ok(Math.abs(fitK.ratioSf / sub.ratio - 1) < 1e-4, `${c.pool} best ${k}: ratio stage ${fitK.ratioSf} vs independent ${sub.ratio}`);
        out[`beta1f.k${k}`] = sub.beta1f;
        out[`ratio.k${k}`] = sub.ratio;
      }

      if (c.pool === "gpqa-mc") {
        // The full-copula beta is a randomised QMC estimate: checked against a crude Monte Carlo of the same orthant
        // (own Cholesky, 2e6 seeded draws) within 4 combined standard errors (the stage reports 3.5 SE as `error`).
        const opts = copulaStage.params.parse(pipeline.stages["copula-gpqa-mc"].params).orthant;
        const full = fitCopula(packErrors(matrix.correct), { full: { absEps: opts.abs_eps, maxPoints: opts.max_points, seed: seedFor(pipeline.seed, "copula-gpqa-mc") } }).betaFull!;
        const mc = orthantMonteCarlo(ind.tau, ind.Rr, 2_000_000, 20260625);
        const se = Math.sqrt(mc.se ** 2 + (full.error / 3.5) ** 2);
        assert.ok(Math.abs(full.value - mc.value) <= 4 * se, `${c.pool}: full-copula beta stage ${full.value} ± ${full.error} vs Monte Carlo ${mc.value} ± ${mc.se}`);
        out.betaFull = { stage: full.value, monteCarlo: mc.value, se };
      }
    }
    measured[c.pool] = out;
    process.stdout.write(`# ${c.pool}: ${JSON.stringify(out)}\n`);
  });
}
