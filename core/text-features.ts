// TF-IDF features of item text for a router, fitted on training items only. The text itself is never stored in an
// output: only the fitted vocabulary size and the feature matrix live in memory during a stage run.
//
// Tokens: lower-cased runs of letters, LaTeX commands (\frac) and numbers; unigrams and adjacent bigrams.
// Vocabulary: terms in at least `minDf` training documents, the `maxFeatures` most frequent by document frequency
// (ties by term, so the choice is deterministic). Weights: raw term counts times the smoothed idf of
// scikit-learn's TfidfVectorizer, ln((1 + n) / (1 + df)) + 1, each row scaled to unit Euclidean length.
import type { SparseRows } from "../stats/logistic.js";

export function tokenize(text: string): string[] {
  const unigrams = text.toLowerCase().match(/\\[a-z]+|[a-z]+|\d+(?:\.\d+)?/g) ?? [];
  const out = [...unigrams];
  for (let i = 0; i + 1 < unigrams.length; i++) out.push(`${unigrams[i]} ${unigrams[i + 1]}`);
  return out;
}

export interface TfidfVocabulary {
  terms: string[];
  idf: Float64Array;
  index: Map<string, number>;
}

export function fitTfidf(docs: readonly string[][], options: { minDf: number; maxFeatures: number }): TfidfVocabulary {
  const df = new Map<string, number>();
  for (const d of docs) for (const t of new Set(d)) df.set(t, (df.get(t) ?? 0) + 1);
  const terms = [...df.entries()].filter(([, c]) => c >= options.minDf)
    .sort(([a, ca], [b, cb]) => cb - ca || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, options.maxFeatures).map(([t]) => t).sort();
  const n = docs.length;
  const idf = Float64Array.from(terms, (t) => Math.log((1 + n) / (1 + df.get(t)!)) + 1);
  return { terms, idf, index: new Map(terms.map((t, j) => [t, j])) };
}

export function tfidfRows(vocab: TfidfVocabulary, docs: readonly string[][]): SparseRows {
  const rowPtr = new Int32Array(docs.length + 1);
  const col: number[] = [], val: number[] = [];
  docs.forEach((d, i) => {
    const counts = new Map<number, number>();
    for (const t of d) { const j = vocab.index.get(t); if (j !== undefined) counts.set(j, (counts.get(j) ?? 0) + 1); }
    const entries = [...counts.entries()].sort(([a], [b]) => a - b).map(([j, c]) => [j, c * vocab.idf[j]!] as const);
    const norm = Math.sqrt(entries.reduce((s, [, v]) => s + v * v, 0)) || 1;
    for (const [j, v] of entries) { col.push(j); val.push(v / norm); }
    rowPtr[i + 1] = col.length;
  });
  return { rows: docs.length, cols: vocab.terms.length, rowPtr, col: Int32Array.from(col), val: Float64Array.from(val) };
}
