// The human-readable form of a certificate (`cofail certify` without --json).
import type { Certificate, GainStatement } from "./certificate.js";

const pct = (x: number, d = 1) => `${(100 * x).toFixed(d)}%`;
const pts = (x: number) => `${(100 * x).toFixed(1)} points`;
const fix = (x: number, d = 4) => x.toFixed(d);

/** How a certificate was computed, in one parenthesis: its method and the two lower limits it subtracts. */
function gainMethod(g: GainStatement): string {
  const lvl = `${Number(((1 - g.delta) * 100).toPrecision(6))}%`;
  const accuracy = g.method === "bonferroni-in-sample"
    ? `in-sample best, Bonferroni over ${g.nModels} models: accuracy lower limit ${pct(g.bestLo, 2)} at ${fmtAlpha(g.accuracyAlpha)} each`
    : `pre-specified model: accuracy lower limit ${pct(g.bestLo, 2)} at ${fmtAlpha(g.accuracyAlpha)}`;
  return `${lvl} one-sided, method ${g.method}; beta lower limit ${fix(g.betaLo)} at ${fmtAlpha(g.delta / 2)}; ${accuracy}`;
}

const fmtAlpha = (a: number) => `alpha ${Number(a.toPrecision(3))}`;

function verdictRows(c: Certificate): [string, string][] {
  if (c.overhead === undefined) return [];
  const rows: [string, string][] = [];
  const say = (label: string, g: GainStatement | undefined) => {
    if (g?.verdict) rows.push([label, `${pts(g.maxGain)} ${g.verdict.kind === "cannot-pay" ? "<" : ">="} overhead ${pts(c.overhead!)}: ${g.verdict.text}`]);
  };
  say("verdict", c.certificate);
  say(`verdict, ${c.preSpecified?.model.name ?? ""} fixed`, c.preSpecified);
  return rows;
}

export function certificateText(c: Certificate, options: { maxModels?: number } = {}): string {
  const maxModels = options.maxModels ?? 25;
  const lvl = `${Number((c.level * 100).toPrecision(6))}%`;
  const lines: string[] = [];
  lines.push(`certify ${c.source}: ${c.nModels} models x ${c.nItems} items (items every model answered; sample policy ${c.samplePolicy})`);
  for (const n of c.notes) lines.push(`  note: ${n}`);
  for (const w of c.warnings) lines.push(`  warning: ${w}`);
  lines.push("");
  const w = Math.min(48, Math.max(5, ...c.models.slice(0, maxModels).map((m) => m.model.length)));
  lines.push(`  ${"#".padStart(3)}  ${"model".padEnd(w)}  accuracy`);
  c.models.slice(0, maxModels).forEach((m, k) => lines.push(`  ${String(k + 1).padStart(3)}  ${m.model.padEnd(w)}  ${pct(m.accuracy).padStart(8)}`));
  if (c.models.length > maxModels) lines.push(`  … ${c.models.length - maxModels} more models (--json lists all)`);
  lines.push("");
  const interval = c.side === "two-sided"
    ? `${lvl} two-sided Clopper–Pearson interval [${fix(c.betaInterval.lower)}, ${fix(c.betaInterval.upper)}]`
    : `${lvl} one-sided Clopper–Pearson upper bound ${fix(c.betaInterval.upper)}`;
  const rows: [string, string][] = [
    ["beta (all models wrong)", `${fix(c.beta)}  (${c.allWrong} of ${c.nItems} items)`],
    ["bound on beta", interval],
    ["ceiling 1 - beta", `${pct(c.ceiling)}  (the oracle router; no router, vote or cascade over these models can beat it)`],
    ["best single model", `${c.best.model}  ${pct(c.best.accuracy)}`],
    ["headroom", `${pts(c.headroom)}  (ceiling - best single)`],
    ["largest possible gain", `${pts(c.maxGain)}  (${gainMethod(c.certificate)})`],
    ...(c.preSpecified ? [[`largest gain, ${c.preSpecified.model.name} fixed`, `${pts(c.preSpecified.maxGain)}  (${gainMethod(c.preSpecified)})`] as [string, string]] : []),
    ...verdictRows(c),
  ];
  if (c.copula) {
    const cp = c.copula;
    rows.push(["copula beta, single factor", `${fix(cp.beta1f)}${cp.ratioSf !== null ? `  (observed / predicted = ${cp.ratioSf.toFixed(2)})` : ""}`]);
    if (cp.betaFull) rows.push(["copula beta, full", `${fix(cp.betaFull.value)} ± ${cp.betaFull.error.toExponential(1)}${cp.ratioFull !== null ? `  (observed / predicted = ${cp.ratioFull.toFixed(2)})` : ""}`]);
    rows.push(["", `Gaussian copula on ${cp.activeModels} models with 0 < error rate < 1; ratio > 1: the copula underprices the all-wrong tail`]);
  }
  const kw = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) lines.push(`  ${k.padEnd(kw)}  ${v}`);
  lines.push("");
  lines.push(`With ${lvl} confidence, no policy that outputs one of these models' answers (router, vote, cascade) is more accurate than ` +
    `${pct(c.ceilingUpper)} on this task, nor gains more than ${pts(Math.max(0, c.maxGain))} over the best single model — ` +
    `valid although ${c.best.model} was picked as the best on these same items.`);
  if (c.preSpecified) {
    lines.push(`If ${c.preSpecified.model.name} was chosen before seeing these results: at most ${pts(Math.max(0, c.preSpecified.maxGain))}.`);
  }
  return lines.join("\n");
}
