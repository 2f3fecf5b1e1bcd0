// "Did you mean": the known names closest to a mistyped one, for targets, result ids, stage types, datasets.
import { distance } from "fastest-levenshtein";

/**
 * Up to `max` candidates close to `word`, closest first: within an edit distance of about a third of the word's
 * length (at least 2), or containing it / contained in it (a shortened id). Case is ignored.
 */
export function closest(word: string, candidates: Iterable<string>, max = 3): string[] {
  const w = word.toLowerCase();
  const limit = Math.max(2, Math.floor(w.length / 3));
  const scored: { c: string; d: number }[] = [];
  for (const c of new Set(candidates)) {
    const l = c.toLowerCase();
    if (l === w) continue;
    const d = distance(w, l);
    if (d <= limit) scored.push({ c, d });
    else if (w.length >= 3 && (l.includes(w) || w.includes(l))) scored.push({ c, d: limit + 1 + Math.abs(l.length - w.length) / 100 });
  }
  scored.sort((a, b) => a.d - b.d || (a.c < b.c ? -1 : a.c > b.c ? 1 : 0));
  return scored.slice(0, max).map((s) => s.c);
}

/** " (did you mean "a" or "b"?)", or "" when nothing is close. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const near = closest(word, candidates);
  if (!near.length) return "";
  const quoted = near.map((n) => `"${n}"`);
  return ` (did you mean ${quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(", ")} or ${quoted[quoted.length - 1]}`}?)`;
}
