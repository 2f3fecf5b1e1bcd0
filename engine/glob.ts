// The one glob dialect of cofail, for manifest paths, stage ids, model names and the paper's claim ids: picomatch's
// (`*` and `?` stay within a `/`-separated segment, `**` crosses segments, `{a,b}` alternates, `[ab]` classes),
// with `dot: true` so a leading dot is an ordinary character. A well-kept matcher, not a hand-written one.
import picomatch from "picomatch";

const OPTIONS = { dot: true } as const;

/** A predicate for one pattern. */
export function globMatcher(pattern: string): (s: string) => boolean {
  const isMatch = picomatch(pattern, OPTIONS);
  // One argument only: picomatch's matcher returns a details object when given a second (truthy) argument, which
  // a bare `array.filter(matcher)` would pass as the index.
  return (s) => isMatch(s);
}

/** A RegExp for one pattern whose groups capture what each wildcard matched, left to right. */
export function globCaptureRegExp(pattern: string): RegExp {
  return picomatch.makeRe(pattern, { ...OPTIONS, capture: true });
}

/** Whether a string is a pattern (has wildcards, classes or alternatives) rather than a literal name. */
export function isGlob(s: string): boolean {
  return picomatch.scan(s).isGlob;
}
