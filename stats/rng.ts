/**
 * Seeded, splittable pseudo-random numbers.
 *
 * Generator: xoroshiro128+ (Blackman & Vigna 2018, "Scrambled linear pseudorandom number generators",
 * reference C at https://prng.di.unimi.it/xoroshiro128plus.c, parameters a=24, b=16, c=37), run on
 * four 32-bit words so that it needs no BigInt in the hot path.
 * Stream seeding: SplitMix64 (Steele, Lea & Flood 2014; the seeding procedure Vigna recommends) applied
 * to (seed, streamIndex), so stream k of seed s is a pure function of (s, k): same numbers forever, on
 * any machine, and bootstrap replicate r can own stream r regardless of how replicates are scheduled.
 *
 * Why not pure-rand's jump(): jumping to stream k costs k jumps (O(k) per replicate when workers start
 * mid-range); hashing (seed, k) is O(1) and the 2^128 state space makes overlap negligible.
 */

const MASK64 = (1n << 64n) - 1n;
const GOLDEN_GAMMA = 0x9e3779b97f4a7c15n;

/** SplitMix64 output function (mix64 of Steele et al. 2014, variant 13 of Stafford's mixers). */
function mix64(z: bigint): bigint {
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return z ^ (z >> 31n);
}

/** A seed: a non-negative safe integer, or any bigint (taken mod 2^64). */
export type Seed = number | bigint;

function seedToBigInt(seed: Seed): bigint {
  if (typeof seed === "bigint") return seed & MASK64;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`seed must be a non-negative safe integer, got ${seed}`);
  return BigInt(seed);
}

/** A mutable random stream. */
export interface RngStream {
  /** Uniform double in [0, 1) with 53 random bits. */
  nextFloat(): number;
  /** Uniform integer in [0, n), n a positive safe integer up to 2^32 (rejection sampling: exactly uniform). */
  nextInt(n: number): number;
  /** Raw 32 high bits of the next 64-bit output (as an unsigned integer). */
  nextUint32(): number;
}

/**
 * Independent stream number `streamIndex` of `seed`: xoroshiro128+ state (s0, s1) = the first two
 * outputs of SplitMix64 started at mix64(seed) XOR mix64(streamIndex * golden gamma + 1).
 */
export function rngStream(seed: Seed, streamIndex = 0): RngStream {
  if (!Number.isSafeInteger(streamIndex) || streamIndex < 0) throw new RangeError(`streamIndex must be a non-negative integer, got ${streamIndex}`);
  let sm = mix64(seedToBigInt(seed)) ^ mix64((BigInt(streamIndex) * GOLDEN_GAMMA + 1n) & MASK64);
  const next = (): bigint => {
    sm = (sm + GOLDEN_GAMMA) & MASK64;
    return mix64(sm);
  };
  let a = next(), b = next();
  if (a === 0n && b === 0n) a = 1n; // the all-zero state is the one fixed point of xoroshiro
  // s0 = (s0h, s0l), s1 = (s1h, s1l) as unsigned 32-bit halves
  let s0h = Number(a >> 32n) >>> 0, s0l = Number(a & 0xffffffffn) >>> 0;
  let s1h = Number(b >> 32n) >>> 0, s1l = Number(b & 0xffffffffn) >>> 0;
  let outH = 0, outL = 0;

  // One xoroshiro128+ step: result = s0 + s1; s1 ^= s0; s0 = rotl(s0,24) ^ s1 ^ (s1 << 16); s1 = rotl(s1,37)
  const step = (): void => {
    const lo = s0l + s1l;
    outL = lo >>> 0;
    outH = (s0h + s1h + (lo > 0xffffffff ? 1 : 0)) >>> 0;
    const t1h = (s1h ^ s0h) >>> 0, t1l = (s1l ^ s0l) >>> 0;
    // rotl(s0, 24)
    const r0h = ((s0h << 24) | (s0l >>> 8)) >>> 0, r0l = ((s0l << 24) | (s0h >>> 8)) >>> 0;
    // t1 << 16
    const shH = ((t1h << 16) | (t1l >>> 16)) >>> 0, shL = (t1l << 16) >>> 0;
    s0h = (r0h ^ t1h ^ shH) >>> 0;
    s0l = (r0l ^ t1l ^ shL) >>> 0;
    // rotl(t1, 37) = rotl(swap halves, 5)
    s1h = ((t1l << 5) | (t1h >>> 27)) >>> 0;
    s1l = ((t1h << 5) | (t1l >>> 27)) >>> 0;
  };

  const nextUint32 = (): number => {
    step();
    return outH;
  };
  // Top 53 bits of the output (the low bits of xoroshiro128+ are weaker; Vigna recommends >> 11).
  const nextFloat = (): number => {
    step();
    return (outH * 2097152 + (outL >>> 11)) / 9007199254740992;
  };
  const nextInt = (n: number): number => {
    if (!Number.isInteger(n) || n <= 0 || n > 0x100000000) throw new RangeError(`nextInt: n must be an integer in [1, 2^32], got ${n}`);
    // Lemire-free simple rejection: accept x < floor(2^32 / n) * n, then x mod n (exactly uniform).
    const limit = Math.floor(0x100000000 / n) * n;
    for (;;) {
      const x = nextUint32();
      if (x < limit) return x % n;
    }
  };
  return { nextFloat, nextInt, nextUint32 };
}

/**
 * Stable 53-bit seed from a global seed and string/number parts (e.g. stage id, partition):
 * FNV-1a 64 over the UTF-8 bytes of each part, each part length-prefixed so ("ab","c") != ("a","bc"),
 * finished with mix64. Never process-salted (unlike e.g. Python's hash()); identical on every run.
 */
export function seedFromString(globalSeed: Seed, ...parts: (string | number)[]): number {
  const FNV_PRIME = 0x100000001b3n;
  let h = 0xcbf29ce484222325n ^ mix64(seedToBigInt(globalSeed));
  const eat = (byte: number): void => {
    h = ((h ^ BigInt(byte)) * FNV_PRIME) & MASK64;
  };
  const enc = new TextEncoder();
  for (const part of parts) {
    const bytes = enc.encode(typeof part === "number" ? `#${part}` : `$${part}`);
    for (let i = 0; i < 4; i++) eat((bytes.length >>> (8 * i)) & 0xff);
    for (const byte of bytes) eat(byte);
  }
  return Number(mix64(h) >> 11n); // 53 bits: a safe integer, usable as a Seed
}
