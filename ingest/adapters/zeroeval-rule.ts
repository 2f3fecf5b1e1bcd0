// ZeroEval's own correctness rule (WildEval/ZeroEval src/evaluation/math_eval.py + eval_utils.py),
// re-implemented exactly, lenient quirks included, so the source's published accuracies can be checked
// against the per-item verdicts we derive. Our own (stricter) grading lives in ingest/graders/math.ts.
//
// The rule, in order:
//   1. the first top-level balanced `{...}` of the output (braces counted without regard to strings),
//      newlines removed, parsed with json.loads; a parse failure gives up on JSON (no later object is tried);
//   2. if that gave no "answer": regexes `"answer": "..."`, then `"answer": token`, then `answer: token`;
//   3. if still none and the model (file) name contains "Llama-3.1" and "boxed" is in the last 30
//      characters: the first `\boxed{[\w\d]+}`;
//   4. otherwise no answer (wrong). The answer is str()-ed, then both answers are sanitised (drop `$`,
//      strip, drop `,`; if it contains `/`, replaced by str(float(eval(...))) when that works; the gold also
//      loses `#`), and the item is right iff the FIRST number `-?\d+(\.\d+)?` of each is equal as floats.
import { PY_DIGIT, PyJsonError, pyEvalArithmetic, pyFloatOfDigits, pyFloatRepr, pyJsonLoads, pyStr, pyStrip, type PyValue } from "../python.js";

export interface ZeroEvalVerdict {
  /** The answer ZeroEval extracted (after str()), or undefined when it found none. */
  answer?: string;
  correct: 0 | 1;
}

function firstCompleteJson(s: string): PyValue | undefined {
  let depth = 0;
  let start = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "{") {
      if (depth === 0 && start < 0) start = i;
      depth++;
    } else if (c === "}" && depth > 0) {
      depth--;
      if (depth === 0) {
        try {
          return pyJsonLoads(s.slice(start, i + 1).split("\n").join(""));
        } catch (e) {
          if (e instanceof PyJsonError) return undefined;
          throw e;
        }
      }
    }
  }
  return undefined;
}

// Python `re` semantics: `.` excludes only "\n"; `\s` is Unicode whitespace (close enough to JS `\s`
// with the u flag for JSON-ish text).
const ANSWER_QUOTED = /"answer"\s*:\s*"([^"]*?)"/u;
const ANSWER_QUOTED_DOTALL = /"answer"\s*:\s*"([\s\S]*?)"/u;
const ANSWER_BARE = /"answer"\s*:\s*([^,\s]*)/u;
const ANSWER_BARE_KEY = /answer\s*:\s*([^,\s]*)/u;
const BOXED = /\\boxed\{([\p{L}\p{N}_]+)\}/u;
const FIRST_NUMBER = new RegExp(`-?${PY_DIGIT}+(\\.${PY_DIGIT}+)?`, "u");

function regexAnswer(s: string): string | undefined {
  const m = ANSWER_QUOTED.exec(s) ?? ANSWER_QUOTED_DOTALL.exec(s) ?? ANSWER_BARE.exec(s) ?? ANSWER_BARE_KEY.exec(s);
  return m ? m[1] : undefined;
}

/** The answer string ZeroEval grades, or undefined ("No answer extracted"). */
export function zeroEvalExtract(output: string, modelFileName: string): string | undefined {
  const parsed = firstCompleteJson(output);
  if (parsed instanceof Map && parsed.has("answer")) return pyStr(parsed.get("answer")!);
  const viaRegex = regexAnswer(output);
  if (viaRegex !== undefined) return viaRegex;
  if (modelFileName.includes("Llama-3.1") && output.slice(-30).includes("boxed")) {
    const m = BOXED.exec(output);
    if (m) return m[1];
  }
  return undefined;
}

/** ZeroEval's sanitize_math_answers. */
export function zeroEvalSanitize(answer: string): string {
  let a = pyStrip(answer.split("$").join("")).split(",").join("");
  if (a.includes("/")) {
    const v = pyEvalArithmetic(a);
    if (v !== undefined) a = pyFloatRepr(v);
  }
  return a;
}

export function firstNumber(s: string): number | undefined {
  const m = FIRST_NUMBER.exec(s);
  return m ? pyFloatOfDigits(m[0]) : undefined;
}

export function zeroEvalVerdict(output: string, gold: string, modelFileName: string): ZeroEvalVerdict {
  const answer = zeroEvalExtract(output, modelFileName);
  if (answer === undefined) return { correct: 0 };
  const ours = firstNumber(zeroEvalSanitize(answer));
  const theirs = firstNumber(zeroEvalSanitize(pyStrip(gold.split("#").join(""))));
  return { answer, correct: ours !== undefined && theirs !== undefined && ours === theirs ? 1 : 0 };
}
