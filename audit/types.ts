// The audit's shapes: params (thresholds), the evidence gathered for one all-wrong item, its class, and the report.
// The rule that turns evidence into a class is audit/RULE.md, applied by audit/classify.ts.
import { z } from "zod";

export const AUDIT_CLASSES = [
  "grader defect", "reference error", "ambiguous", "options-dependent", "truncation", "genuine", "unaudited",
] as const;
export const AuditClass = z.enum(AUDIT_CLASSES);
export type AuditClass = z.infer<typeof AuditClass>;

/** The checks of RULE.md, in order; an item is attributed to the first that fires. */
export const AUDIT_CHECKS = ["person", "truncation", "grader", "erratum", "consensus", "none"] as const;
export const AuditCheck = z.enum(AUDIT_CHECKS);
export type AuditCheck = z.infer<typeof AuditCheck>;

export const AuditParams = z.object({
  /** The pool's kind of answers: which stronger grader applies. */
  answers: z.enum(["math", "choice", "free-response", "none"]),
  /** Share of models with truncation signs that makes the item a truncation event. */
  truncationShare: z.number().min(0).max(1).default(0.5),
  /** Consensus: at least this many models answered ... */
  consensusMinModels: z.number().int().positive().default(5),
  /** ... and one wrong answer holds at least this share of all the pool's models. */
  consensusShare: z.number().min(0).max(1).default(0.6),
  /** Published errata to look the items up in (benchmark names; see audit/errata.ts). */
  errata: z.array(z.enum(["gsm8k-errata", "cfc-adjudication", "gpqa-open-v2"])).default([]),
  /** A free-response pool: GPQA v2 `option-dependent` labels remove items (in MC pools they are evidence only). */
  freeResponse: z.boolean().default(false),
  /** Write answers as short hashes instead of text (GPQA free response: answers would quote GPQA content). */
  redactAnswers: z.boolean().default(false),
}).strict();
export type AuditParams = z.infer<typeof AuditParams>;

export const ModelEvidence = z.object({
  model: z.string(),
  /** Extracted answer (or its hash when redacted); null = no final answer. */
  answer: z.string().nullable(),
  /** Characters of the stored response; null when the source has none. */
  responseChars: z.number().int().nullable(),
  truncated: z.boolean().nullable(),
  /** The stronger grader's verdict and the rule that decided; null when it could not run. */
  stronger: z.union([z.literal(0), z.literal(1), z.null()]),
  strongerRule: z.string().nullable(),
  passCount: z.number().int().nullable(),
  nSamples: z.number().int().nullable(),
});
export type ModelEvidence = z.infer<typeof ModelEvidence>;

export const ErratumMatch = z.object({
  source: z.string(),
  /** The source's own reference to the item (a qid, row, record id). */
  ref: z.string(),
  status: z.enum(["wrong", "removed", "ambiguous", "reference error", "ambiguous item", "genuine co-failure", "option-dependent", "doubtful gold", "keep"]),
  correctedAnswer: z.string().nullable(),
  matchedBy: z.enum(["item-id", "question-sha256", "stem-sha256", "published-join"]),
});
export type ErratumMatch = z.infer<typeof ErratumMatch>;

export const ItemEvidence = z.object({
  item: z.string(),
  gold: z.string().nullable(),
  nModels: z.number().int(),
  models: z.array(ModelEvidence),
  answered: z.number().int(),
  modal: z.object({ answer: z.string(), count: z.number().int(), share: z.number() }).nullable(),
  /** The stronger grader on the modal answer vs the gold: 1 = it says they are the same answer. */
  modalStronger: z.union([z.literal(0), z.literal(1), z.null()]),
  truncated: z.number().int(),
  strongerAccepts: z.array(z.string()),
  /** Models the source's own grader marked right (e.g. ZeroEval's first-number rule), where the source published verdicts. */
  sourceAccepts: z.number().int().nullable(),
  samplesPassed: z.number().int().nullable(),
  errata: z.array(ErratumMatch),
  /** GPQA free response: models accepted by both humans, by either human, by either LLM judge. */
  judges: z.object({ bothHumans: z.number().int(), anyHuman: z.number().int(), anyJudge: z.number().int() }).nullable(),
  /** What each check needs, and whether the data had it. */
  available: z.object({
    responses: z.boolean(), answers: z.boolean(), gold: z.boolean(), strongerGrader: z.boolean(),
    errataSource: z.boolean(), passCounts: z.boolean(),
  }),
});
export type ItemEvidence = z.infer<typeof ItemEvidence>;

export const Adjudication = z.object({
  pool: z.string().min(1),
  item: z.string().min(1),
  class: AuditClass,
  reason: z.string().min(1),
  who: z.string().min(1),
  /** For a reference error: the answer the researcher holds correct (models giving it become right). */
  corrected_answer: z.string().optional(),
  date: z.string().optional(),
}).strict();
export type Adjudication = z.infer<typeof Adjudication>;

export const ItemVerdict = z.object({
  item: z.string(),
  class: AuditClass,
  check: AuditCheck,
  by: z.enum(["rule", "person"]),
  reason: z.string(),
  /** Evidence a check needed and did not have (for "unaudited", and for checks that were skipped). */
  missing: z.array(z.string()),
  /** The answer held correct, for a reference error that has one. */
  correctedAnswer: z.string().nullable(),
  who: z.string().nullable(),
});
export type ItemVerdict = z.infer<typeof ItemVerdict>;

export const AuditReport = z.object({
  pool: z.string(),
  nItems: z.number().int(),
  nModels: z.number().int(),
  params: AuditParams,
  items: z.array(z.object({ evidence: ItemEvidence, verdict: ItemVerdict })),
  counts: z.record(z.string(), z.number().int()),
  raw: z.object({ allWrong: z.number().int(), n: z.number().int() }),
  audited: z.object({ allWrong: z.number().int(), n: z.number().int(), removed: z.array(z.string()), regraded: z.array(z.string()) }),
  notes: z.array(z.string()),
});
export type AuditReport = z.infer<typeof AuditReport>;
