// A question's identity without its text: sha256 of the normalized text. Published errata and labels are matched to
// our items by it, so no benchmark text (GPQA above all) needs to be stored in any output.
import { createHash } from "node:crypto";

const QUOTES: [RegExp, string][] = [[/[\u2018\u2019\u201B\u2032]/g, "'"], [/[\u201C\u201D\u201F\u2033]/g, '"']];

/** NFKC, curly quotes to straight, whitespace runs to one space, trimmed, lower case. */
export function normalizeQuestionText(text: string): string {
  let s = text.normalize("NFKC");
  for (const [re, to] of QUOTES) s = s.replace(re, to);
  return s.replace(/\s+/g, " ").trim().toLowerCase();
}

export function questionSha256(text: string): string {
  return createHash("sha256").update(normalizeQuestionText(text), "utf8").digest("hex");
}

/**
 * A stand-in for a text that must not be published (a free-form answer to a GPQA question can be the reference
 * answer's text): equal texts (after normalization) get equal digests, so answers can still be compared and counted.
 */
export function textDigest(text: string): string {
  return `sha256:${questionSha256(text).slice(0, 16)}`;
}
