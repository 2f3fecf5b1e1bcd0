// Final-answer extraction for the audit grader (./math-audit.ts): which marker the response used, and what it holds.
// Order: the JSON "answer" key the ZeroEval prompt asks for (its boxed content when it boxes), else the LAST
// balanced-brace \boxed{}/\fbox{} (nested braces kept: "\boxed{\frac{3\sqrt{3}}{4}}"), else the last
// "Answer: ..." / "The final answer is ..." line, else the line after the last "####" (GSM8K's own marker),
// else — only when asked (`lastNumber`) — the last number in the text; otherwise no answer (marker null).
import { jsonAnswer, lastBoxedMatch } from "./math-answer.js";

export type AnswerMarker = "json-answer" | "boxed" | "fbox" | "answer-line" | "####" | "last-number";

export interface ExtractedAnswer { answer: string | null; marker: AnswerMarker | null }

export interface ExtractOptions {
  /** Fall back to the last number of the response when it has no marker (off by default: a guess, not an answer). */
  lastNumber?: boolean;
}

const ANSWER_LINES = [
  /final answer is[:\s]*([^\n]+)/gi,
  /(?:^|\n)[ \t]*[*_#]*(?:final\s+)?answer[*_]*\s*[:=]\s*[*_]*([^\n]+)/gi,
];

/** A marker's text without the sentence punctuation and markdown emphasis around it. */
function tidy(s: string): string {
  return s.trim().replace(/^[*_]+|[*_]+$/g, "").replace(/\s*\.$/, "").trim();
}

export function extractFinalAnswer(response: string, options: ExtractOptions = {}): ExtractedAnswer {
  const fromJson = jsonAnswer(response);
  if (fromJson !== undefined && fromJson.trim() !== "") {
    return { answer: (lastBoxedMatch(fromJson)?.content ?? fromJson).trim(), marker: "json-answer" };
  }
  const boxed = lastBoxedMatch(response);
  if (boxed !== undefined) return { answer: boxed.content.trim(), marker: boxed.command };
  for (const re of ANSWER_LINES) {
    let line: string | undefined;
    for (const m of response.matchAll(re)) line = m[1];
    if (line !== undefined && tidy(line) !== "") return { answer: tidy(line), marker: "answer-line" };
  }
  const hashes = response.lastIndexOf("####");
  if (hashes >= 0) {
    const after = response.slice(hashes + 4).split("\n").map((l) => l.trim()).find((l) => l !== "");
    if (after !== undefined) return { answer: tidy(after), marker: "####" };
  }
  if (options.lastNumber) {
    const numbers = response.match(/-?\d[\d,]*(?:\.\d+)?/g);
    if (numbers) return { answer: numbers[numbers.length - 1]!.replace(/,$/, ""), marker: "last-number" };
  }
  return { answer: null, marker: null };
}
