// audit/RULE.md as code: the checks in order, the item attributed to the first that fires. Pure.
import type { Adjudication, AuditParams, ErratumMatch, ItemEvidence, ItemVerdict } from "./types.js";

const fmtShare = (x: number) => `${(100 * x).toFixed(0)}%`;

function erratumVerdict(errata: ErratumMatch[], params: AuditParams): Pick<ItemVerdict, "class" | "reason" | "correctedAnswer"> | null {
  const cite = (e: ErratumMatch) => `${e.source} ${e.ref} (${e.status}; matched by ${e.matchedBy})`;
  const optionDependent = errata.find((e) => e.status === "option-dependent");
  if (optionDependent && params.freeResponse) return { class: "options-dependent", reason: `labelled option-dependent: ${cite(optionDependent)}`, correctedAnswer: null };
  const wrong = errata.find((e) => e.status === "reference error" || e.status === "wrong");
  if (wrong) return { class: "reference error", reason: `published erratum: ${cite(wrong)}`, correctedAnswer: wrong.correctedAnswer };
  const ambiguous = errata.find((e) => e.status === "removed" || e.status === "ambiguous" || e.status === "ambiguous item" || e.status === "doubtful gold");
  if (ambiguous) return { class: "ambiguous", reason: `published as ${ambiguous.status}: ${cite(ambiguous)}`, correctedAnswer: null };
  return null;
}

export function classifyItem(ev: ItemEvidence, params: AuditParams, decision?: Adjudication): ItemVerdict {
  const base = { item: ev.item, who: null, correctedAnswer: null };
  if (decision) {
    return { ...base, class: decision.class, check: "person", by: "person", reason: decision.reason, missing: [], correctedAnswer: decision.corrected_answer ?? null, who: decision.who };
  }
  const missing: string[] = [];
  const rule = (v: Pick<ItemVerdict, "class" | "check" | "reason"> & { correctedAnswer?: string | null }): ItemVerdict =>
    ({ ...base, ...v, correctedAnswer: v.correctedAnswer ?? null, by: "rule", missing });

  // 1. truncation: models whose responses stop before a final answer.
  const unknown = ev.models.filter((m) => m.truncated === null).length;
  if (ev.truncated / ev.nModels >= params.truncationShare) {
    return rule({ class: "truncation", check: "truncation", reason: `${ev.truncated} of ${ev.nModels} responses end without a final answer in an unterminated output (threshold ${fmtShare(params.truncationShare)})` });
  }
  if ((ev.truncated + unknown) / ev.nModels >= params.truncationShare) missing.push("responses (truncation check)");

  // 2. the stronger grader accepts some model's answer.
  if (ev.available.strongerGrader) {
    if (ev.strongerAccepts.length > 0) {
      const how = params.answers === "free-response" ? "both human graders accept" : "the stronger grader accepts";
      return rule({ class: "grader defect", check: "grader", reason: `${how} ${ev.strongerAccepts.length} of ${ev.nModels} models' answers (${ev.strongerAccepts.slice(0, 3).join(", ")}${ev.strongerAccepts.length > 3 ? ", ..." : ""})` });
    }
  } else missing.push(ev.available.gold || params.answers === "free-response" ? "a stronger grader for this pool" : "gold answer (grader check)");

  // 3. published errata.
  const erratum = erratumVerdict(ev.errata, params);
  if (erratum) return rule({ ...erratum, check: "erratum" });

  // 4. consensus on one wrong answer that the stronger grader also holds different from the gold.
  if (!ev.available.answers || !ev.available.gold) missing.push("answers and gold (consensus check)");
  else if (ev.modal && ev.answered >= params.consensusMinModels && ev.modal.share >= params.consensusShare) {
    if (ev.modalStronger === 0) {
      return rule({
        class: "reference error", check: "consensus", correctedAnswer: params.redactAnswers ? null : ev.modal.answer,
        reason: `${ev.modal.count} of ${ev.nModels} models give the same answer${params.redactAnswers ? "" : ` ${ev.modal.answer}`} (gold ${ev.gold}); the stronger grader also holds it different from the gold (threshold ${fmtShare(params.consensusShare)}, at least ${params.consensusMinModels} models)`,
      });
    }
    if (ev.modalStronger === null) missing.push("a stronger grader to confirm the consensus answer");
  }

  // 5./6. nothing removed it: genuine when every check had its evidence, else unaudited.
  if (missing.length === 0) return rule({ class: "genuine", check: "none", reason: "every check ran with its evidence and none removed the item" });
  return rule({ class: "unaudited", check: "none", reason: `no check removed it, and some could not run: missing ${missing.join("; ")}` });
}
