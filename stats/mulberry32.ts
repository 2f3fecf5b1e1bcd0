// Mulberry32: a tiny seeded uniform generator on [0, 1) for simulating benchmark inputs quickly (ten million
// verdicts for certify). Not the pipeline's RNG (stats/rng.ts): benchmarks only need cheap, repeatable data.
export function uniformStream(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
