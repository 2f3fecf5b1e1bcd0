// Bitset packing of an M-model x N-item verdict matrix, and weighted popcounts over it.
// Everything downstream of the verdicts (beta, pairwise both-wrong counts, tetrachorics) and every
// bootstrap resample reduces to counts of ANDs of per-model error bitsets, so the matrix is stored
// as one Uint32Array per model (bit i of model m set = model m is WRONG on item i).

export interface ErrorBits {
  /** Number of models M. */
  models: number;
  /** Number of items N. */
  items: number;
  /** Words per model, ceil(N / 32). */
  words: number;
  /** errors[m]: error bitset of model m (a view into `buffer`); bits past N are zero. */
  errors: Uint32Array[];
  /** All bitsets back to back, model-major (M * words). */
  buffer: Uint32Array;
}

/**
 * Item weights as binary bit planes: plane b holds the items whose integer weight has bit b set, so
 * a weighted count of a bitset S is sum_b 2^b popcount(S & plane_b). A bootstrap resample (weight =
 * times item i was drawn, rarely above 8) then costs 3-4 popcount passes instead of N multiplications.
 */
export interface ItemWeights {
  items: number;
  words: number;
  planes: Uint32Array[];
  /** sum of weights (the effective number of items). */
  total: number;
}

/** Number of set bits of a 32-bit word (SWAR popcount; Hacker's Delight 5-2). */
export function popcount32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/**
 * Pack a verdict matrix, one row per model with 1 = correct and 0 = wrong, into error bitsets.
 * Any other value (null, NaN, 2) is rejected: missing verdicts must be resolved before packing.
 */
export function packErrors(correct: ArrayLike<number>[]): ErrorBits {
  const models = correct.length;
  const items = models > 0 ? correct[0]!.length : 0;
  const words = (items + 31) >>> 5;
  const buffer = new Uint32Array(models * words);
  const errors: Uint32Array[] = [];
  for (let m = 0; m < models; m++) {
    const row = correct[m]!;
    if (row.length !== items) throw new RangeError(`model ${m} has ${row.length} verdicts, expected ${items}`);
    const bits = buffer.subarray(m * words, (m + 1) * words);
    for (let i = 0; i < items; i++) {
      const v = row[i];
      if (v === 0) bits[i >>> 5]! |= 1 << (i & 31);
      else if (v !== 1) throw new RangeError(`verdict [model ${m}, item ${i}] = ${v}: must be 0 or 1`);
    }
    errors.push(bits);
  }
  return { models, items, words, errors, buffer };
}

/** Unpack one model's error bitset into a 0/1 Uint8Array of error indicators. */
export function unpackErrors(bits: ErrorBits, model: number): Uint8Array {
  const out = new Uint8Array(bits.items);
  const b = bits.errors[model]!;
  for (let i = 0; i < bits.items; i++) out[i] = (b[i >>> 5]! >>> (i & 31)) & 1;
  return out;
}

/** Build bit planes from non-negative integer item weights (length N). */
export function packWeights(weights: ArrayLike<number>): ItemWeights {
  const items = weights.length;
  const words = (items + 31) >>> 5;
  let max = 0;
  let total = 0;
  for (let i = 0; i < items; i++) {
    const w = weights[i]!;
    if (!Number.isInteger(w) || w < 0 || w > 0x7fffffff) throw new RangeError(`weight ${i} = ${w}: must be a non-negative integer`);
    if (w > max) max = w;
    total += w;
  }
  const planes: Uint32Array[] = [];
  for (let b = 0; max >>> b > 0; b++) {
    const plane = new Uint32Array(words);
    for (let i = 0; i < items; i++) if ((weights[i]! >>> b) & 1) plane[i >>> 5]! |= 1 << (i & 31);
    planes.push(plane);
  }
  return { items, words, planes, total };
}

/** (Weighted) number of set bits of a bitset: popcount, or sum_b 2^b popcount(bits & plane_b). */
export function bitsetCount(bits: Uint32Array, weights?: ItemWeights): number {
  const W = bits.length;
  if (!weights) {
    let c = 0;
    for (let w = 0; w < W; w++) c += popcount32(bits[w]!);
    return c;
  }
  let total = 0;
  for (let b = 0; b < weights.planes.length; b++) {
    const plane = weights.planes[b]!;
    let c = 0;
    for (let w = 0; w < W; w++) c += popcount32(bits[w]! & plane[w]!);
    total += c * 2 ** b;
  }
  return total;
}

/** (Weighted) number of items set in both a and b. */
export function andCount(a: Uint32Array, b: Uint32Array, weights?: ItemWeights): number {
  const W = a.length;
  if (!weights) {
    let c = 0;
    for (let w = 0; w < W; w++) c += popcount32(a[w]! & b[w]!);
    return c;
  }
  let total = 0;
  for (let p = 0; p < weights.planes.length; p++) {
    const plane = weights.planes[p]!;
    let c = 0;
    for (let w = 0; w < W; w++) c += popcount32(a[w]! & b[w]! & plane[w]!);
    total += c * 2 ** p;
  }
  return total;
}

/** Effective number of items: N, or the sum of the weights. */
export function itemTotal(bits: ErrorBits, weights?: ItemWeights): number {
  if (weights && weights.items !== bits.items) throw new RangeError(`weights cover ${weights.items} items, matrix has ${bits.items}`);
  return weights ? weights.total : bits.items;
}
