// The symbolic-equivalence fallback of the audit grader (./math-audit.ts): two normalized LaTeX answers through a
// computer-algebra system, guarded so that it never throws, never hangs and gives the same verdict every run.
//
// Library: @cortex-js/compute-engine (pinned exactly in package.json). Chosen over the other npm CAS packages
// because it parses LaTeX itself (\frac, \sqrt[n]{}, \pi, \cdot, implicit products, intervals, tuples, matrices)
// and has three explicit equality tiers: `isSame` (structural, on canonical forms: \frac{\sqrt2}{2} and
// \frac{1}{\sqrt2} are the same canonical expression), `isEqual` (arithmetic, within the engine's tolerance) and
// `isIdenticallyEqual` (identity in the free variables: (x+1)^2 vs x^2+2x+1, \frac{a-1}{1-a} vs -1), and it is
// actively maintained. mathjs simplifies but has no LaTeX parser (a hand-written LaTeX -> text step would be the
// fragile part); nerdamer's LaTeX reader misreads \dfrac and does not prove \frac{\sqrt2}{2} = 1/\sqrt2; algebrite
// reads no LaTeX. Its package.json asks for Node >= 22.3 (npm warns EBADENGINE); the code uses no API Node 20 lacks
// and every test here runs on Node 20.
//
// Guards:
//  - Only "mathematical" strings are sent: at most MAX_CHARS characters and no run of two or more letters outside a
//    LaTeX command (a CAS reads "Devon" as the product D*e*v*o*n, so "Devon" would equal "Devno"); else "skipped".
//  - Each comparison runs in its own scope (symbols the parser auto-declares, and their inferred types, are
//    dropped afterwards, so a verdict does not depend on which comparisons ran before) under a time limit.
//  - isIdenticallyEqual samples random points: the engine's entropy is a fixed-seed mulberry32 per comparison,
//    so the sampled points, and the verdict, are the same every run.
//  - An exception, an invalid parse (an Error node) or the time limit -> "error" (the caller's rule "cas-error",
//    not equivalent). The time limit is the one machine-dependent input: TIME_LIMIT_MS is far above the
//    few-millisecond cost of the comparisons seen on the real data (test/ingest/math-audit-real.test.ts).
import { ComputeEngine } from "@cortex-js/compute-engine";
import { uniformStream } from "../../stats/mulberry32.js";

export type CasVerdict = "equal" | "different" | "error" | "skipped";

const MAX_CHARS = 300;
const TIME_LIMIT_MS = 2000;
const SEED = 20260625;

let engine: ComputeEngine | undefined;
const memo = new Map<string, CasVerdict>();

/** Would a CAS read this as mathematics (not prose, not a name)? */
export function casReadable(s: string): boolean {
  if (s === "" || s.length > MAX_CHARS) return false;
  return !/[a-zA-Z]{2,}/.test(s.replace(/\\[a-zA-Z]+/g, " "));
}

function compare(ce: ComputeEngine, a: string, b: string): CasVerdict {
  const random = uniformStream(SEED);
  ce.pushScope();
  try {
    return ce.withEffects({ entropy: { random } }, () => ce.withTimeLimit(TIME_LIMIT_MS, () => {
      const A = ce.parse(a);
      const B = ce.parse(b);
      if (!A.isValid || !B.isValid) return "error";
      if (A.isSame(B)) return "equal";
      if (A.freeVariables.length === 0 && B.freeVariables.length === 0) return A.isEqual(B) === true ? "equal" : "different";
      return A.isIdenticallyEqual(B) === true ? "equal" : "different";
    }));
  } catch {
    return "error";
  } finally {
    ce.popScope();
  }
}

/** Are the two (normalized) LaTeX answers the same value or identity, by the CAS? Never throws. */
export function casEquivalent(a: string, b: string): CasVerdict {
  if (!casReadable(a) || !casReadable(b)) return "skipped";
  const key = `${a}\u0000${b}`;
  const known = memo.get(key);
  if (known !== undefined) return known;
  let verdict: CasVerdict;
  try {
    engine ??= new ComputeEngine();
    verdict = compare(engine, a, b);
  } catch {
    verdict = "error";
  }
  memo.set(key, verdict);
  return verdict;
}
