// Co-failure statistics of a pool of models from packed error bitsets (see verdictBits.ts):
// error counts, accuracies, the all-wrong rate beta, the ceiling 1 - beta, pairwise both-wrong counts
// and phi coefficients. Every function takes optional integer item weights, so a bootstrap resample
// is the same call with `weights` (weight = times the item was drawn).
import { andCount, bitsetCount, itemTotal, popcount32, type ErrorBits, type ItemWeights } from "./verdict-bits.js";

export interface WeightOptions {
  weights?: ItemWeights;
}

/** Number of items each model gets wrong (weighted): Float64Array of length M. */
export function modelErrorCounts(bits: ErrorBits, options: WeightOptions = {}): Float64Array {
  itemTotal(bits, options.weights);
  const out = new Float64Array(bits.models);
  for (let m = 0; m < bits.models; m++) out[m] = bitsetCount(bits.errors[m]!, options.weights);
  return out;
}

/** Accuracy of each model: 1 - errors_m / N (weighted). */
export function accuracy(bits: ErrorBits, options: WeightOptions = {}): Float64Array {
  const n = itemTotal(bits, options.weights);
  const e = modelErrorCounts(bits, options);
  for (let m = 0; m < e.length; m++) e[m] = 1 - e[m]! / n;
  return e;
}

/**
 * Pairwise both-wrong counts n11[m, n] = #{i : E[i,m] = E[i,n] = 1} (weighted), as a symmetric
 * M x M row-major Float64Array whose diagonal holds each model's error count.
 * The bootstrap's hot loop: M^2/2 pairs x N/32 words x (weight planes) popcounts, no per-item work.
 */
export function pairBothWrongCounts(bits: ErrorBits, options: WeightOptions = {}): Float64Array {
  const { models: M, words: W, errors } = bits;
  const weights = options.weights;
  itemTotal(bits, weights);
  const out = new Float64Array(M * M);
  if (!weights) {
    for (let m = 0; m < M; m++) {
      const a = errors[m]!;
      out[m * M + m] = bitsetCount(a);
      for (let n = m + 1; n < M; n++) {
        const b = errors[n]!;
        let c = 0;
        for (let w = 0; w < W; w++) c += popcount32(a[w]! & b[w]!);
        out[m * M + n] = c;
        out[n * M + m] = c;
      }
    }
    return out;
  }
  // Weighted: when the weights sum to about N (a bootstrap resample), repeat each item weight-many times
  // in an expanded bitset (M N bit writes once), so every pair is ONE popcount pass over total/32 words
  // instead of one per weight plane. The counts are the same integers either way.
  const P = weights.planes.length;
  const expandedWords = Math.ceil(weights.total / 32);
  if (expandedWords < P * W) return pairCountsExpanded(bits, weights, expandedWords, out);
  const masked = new Uint32Array(P * W);
  for (let m = 0; m < M; m++) {
    const a = errors[m]!;
    for (let p = 0; p < P; p++) {
      const plane = weights.planes[p]!;
      for (let w = 0; w < W; w++) masked[p * W + w] = a[w]! & plane[w]!;
    }
    out[m * M + m] = bitsetCount(a, weights);
    for (let n = m + 1; n < M; n++) {
      const b = errors[n]!;
      let total = 0;
      for (let p = 0; p < P; p++) {
        let c = 0;
        const off = p * W;
        for (let w = 0; w < W; w++) c += popcount32(masked[off + w]! & b[w]!);
        total += c * 2 ** p;
      }
      out[m * M + n] = total;
      out[n * M + m] = total;
    }
  }
  return out;
}

/** Weighted pair counts over item-repeated bitsets (see pairBothWrongCounts); fills and returns `out`. */
function pairCountsExpanded(bits: ErrorBits, weights: ItemWeights, E: number, out: Float64Array): Float64Array {
  const { models: M, items: N, words: W, errors } = bits;
  // Item weights from the bit planes, each item's first position in the expanded bitset, and the
  // drawn (weight > 0) items, so that building visits only the set bits of (errors & drawn).
  const P = weights.planes.length;
  const weight = new Uint32Array(N);
  const start = new Uint32Array(N);
  const drawn = new Uint32Array(W);
  for (let p = 0; p < P; p++) {
    const plane = weights.planes[p]!;
    for (let w = 0; w < W; w++) drawn[w]! |= plane[w]!;
    for (let i = 0; i < N; i++) weight[i]! += ((plane[i >>> 5]! >>> (i & 31)) & 1) << p;
  }
  for (let i = 0, pos = 0; i < N; i++) {
    start[i] = pos;
    pos += weight[i]!;
  }
  const expanded = new Uint32Array(M * E);
  for (let m = 0; m < M; m++) {
    const a = errors[m]!;
    const base = m * E;
    for (let w = 0; w < W; w++) {
      let x = a[w]! & drawn[w]!;
      while (x !== 0) {
        const i = (w << 5) + 31 - Math.clz32(x & -x);
        x &= x - 1;
        const from = start[i]!;
        const to = from + weight[i]!;
        for (let j = from; j < to; j++) expanded[base + (j >>> 5)]! |= 1 << (j & 31);
      }
    }
  }
  for (let m = 0; m < M; m++) {
    const offA = m * E;
    let own = 0;
    for (let w = 0; w < E; w++) own += popcount32(expanded[offA + w]!);
    out[m * M + m] = own;
    for (let n = m + 1; n < M; n++) {
      const offB = n * E;
      let c = 0;
      for (let w = 0; w < E; w++) c += popcount32(expanded[offA + w]! & expanded[offB + w]!);
      out[m * M + n] = c;
      out[n * M + m] = c;
    }
  }
  return out;
}

/** Bitset of the items on which every model in `models` (default: all) is wrong — an AND of bitsets. */
export function allWrongBits(bits: ErrorBits, models?: ArrayLike<number>): Uint32Array {
  const out = new Uint32Array(bits.words);
  const count = models ? models.length : bits.models;
  if (count === 0) {
    // The empty pool is wrong everywhere (empty product = 1).
    out.fill(0xffffffff);
    const tail = bits.items & 31;
    if (tail !== 0 && bits.words > 0) out[bits.words - 1] = (1 << tail) - 1;
    return out;
  }
  out.set(bits.errors[models ? models[0]! : 0]!);
  for (let j = 1; j < count; j++) {
    const b = bits.errors[models ? models[j]! : j]!;
    for (let w = 0; w < bits.words; w++) out[w]! &= b[w]!;
  }
  return out;
}

/** Number of items on which every model of the subset (default: all models) is wrong (weighted). */
export function allWrongCount(bits: ErrorBits, options: WeightOptions & { models?: ArrayLike<number> } = {}): number {
  itemTotal(bits, options.weights);
  return bitsetCount(allWrongBits(bits, options.models), options.weights);
}

/** beta = mean over items of prod_m E[i, m], over the subset `models` (default: all). */
export function allWrongRate(bits: ErrorBits, options: WeightOptions & { models?: ArrayLike<number> } = {}): number {
  return allWrongCount(bits, options) / itemTotal(bits, options.weights);
}

/**
 * beta(k) along an ordering: out[k-1] = beta of the first k models of `order` (k = 1..order.length),
 * by a running AND — the best-k curve when `order` sorts models by accuracy. Non-increasing in k.
 */
export function allWrongRatePrefixes(bits: ErrorBits, order: ArrayLike<number>, options: WeightOptions = {}): Float64Array {
  const n = itemTotal(bits, options.weights);
  const out = new Float64Array(order.length);
  if (order.length === 0) return out;
  const acc = new Uint32Array(bits.errors[order[0]!]!);
  out[0] = bitsetCount(acc, options.weights) / n;
  for (let k = 1; k < order.length; k++) {
    const b = bits.errors[order[k]!]!;
    for (let w = 0; w < bits.words; w++) acc[w]! &= b[w]!;
    out[k] = bitsetCount(acc, options.weights) / n;
  }
  return out;
}

/** Ceiling of any member-output policy (router, vote, cascade): 1 - beta. */
export function ceiling(bits: ErrorBits, options: WeightOptions & { models?: ArrayLike<number> } = {}): number {
  return 1 - allWrongRate(bits, options);
}

/** headroom = (1 - beta) - best single-model accuracy, over the subset (default: all models). */
export function headroom(bits: ErrorBits, options: WeightOptions & { models?: ArrayLike<number> } = {}): number {
  const acc = accuracy(bits, options);
  let best = -Infinity;
  const idx = options.models ?? Array.from({ length: bits.models }, (_, m) => m);
  for (let j = 0; j < idx.length; j++) best = Math.max(best, acc[idx[j]!]!);
  return ceiling(bits, options) - best;
}

/**
 * Phi coefficient (Pearson correlation of two 0/1 variables) from counts:
 * phi = (N n11 - n1 n2) / sqrt(n1 (N - n1) n2 (N - n2)), n1, n2 the margins (here: error counts).
 * NaN when a margin is 0 or N (no variance).
 */
export function phiCoefficient(n11: number, n1: number, n2: number, n: number): number {
  const den = n1 * (n - n1) * n2 * (n - n2);
  if (!(den > 0)) return NaN;
  return (n * n11 - n1 * n2) / Math.sqrt(den);
}

/** Symmetric M x M row-major matrix of phi coefficients of the error indicators (diagonal 1). */
export function phiMatrix(bits: ErrorBits, options: WeightOptions = {}): Float64Array {
  const M = bits.models;
  const n = itemTotal(bits, options.weights);
  const both = pairBothWrongCounts(bits, options);
  const out = new Float64Array(M * M);
  for (let m = 0; m < M; m++) {
    out[m * M + m] = 1;
    for (let k = m + 1; k < M; k++) {
      const v = phiCoefficient(both[m * M + k]!, both[m * M + m]!, both[k * M + k]!, n);
      out[m * M + k] = v;
      out[k * M + m] = v;
    }
  }
  return out;
}

/**
 * Mean of the off-diagonal upper triangle of an M x M correlation matrix (the usual "mean pairwise
 * error correlation" rho). NaN entries (models without error variance) are skipped; NaN if none left.
 */
export function meanPairwiseRho(matrix: ArrayLike<number>, models: number): number {
  let sum = 0;
  let count = 0;
  for (let m = 0; m < models; m++) {
    for (let k = m + 1; k < models; k++) {
      const v = matrix[m * models + k]!;
      if (!Number.isNaN(v)) {
        sum += v;
        count++;
      }
    }
  }
  return count > 0 ? sum / count : NaN;
}

/** Convenience: the unweighted/weighted both-wrong count of one pair. */
export function bothWrongCount(bits: ErrorBits, m: number, n: number, options: WeightOptions = {}): number {
  return andCount(bits.errors[m]!, bits.errors[n]!, options.weights);
}
