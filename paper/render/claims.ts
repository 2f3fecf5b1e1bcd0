// Guarded claims: `{{claim: <expression over ids>}}` in the paper asserts something about registry values
// ("math-l5.ratio > 1.5"). This module is the hook where the expression language lives. Until it is
// implemented, every claim comes back "unchecked", which the renderer shows in the text and lists in the
// appendix: a claim that was not checked must never look as if it passed.
import type { ResultRecord } from "../../engine/types.js";

export type ClaimStatus = "true" | "false" | "unchecked";

export interface ClaimResult {
  status: ClaimStatus;
  /** Why: the values it compared, the failing part, or why it could not be evaluated. */
  message: string;
  /** Result ids the expression refers to (for provenance links and the paper diff). */
  ids: string[];
}

export interface ClaimContext {
  lookup(id: string): ResultRecord | undefined;
}

/** Evaluate one claim expression against the registry. Must not throw for a malformed claim: return "unchecked". */
export function evaluateClaim(expression: string, context: ClaimContext): ClaimResult {
  const ids = [...new Set(expression.match(/[a-z0-9][a-z0-9_-]*(?:\.[a-z0-9_-]+)+/g) ?? [])]
    .filter((id) => !/^\d+(\.\d+)*$/.test(id));
  const unknown = ids.filter((id) => !context.lookup(id));
  if (unknown.length) return { status: "unchecked", message: `unknown result id(s): ${unknown.join(", ")}`, ids };
  return { status: "unchecked", message: "claim evaluator not implemented yet (paper/render/claims.ts)", ids };
}
