// Statistics used by test/stats/bootstrap.test.ts (a separate module so worker threads can import it).

/** [weighted mean of x, all-wrong rate of a 2-model error table] under bootstrap counts. */
export function meanAndBeta(counts: Uint32Array, data: { x: Float64Array; e1: Uint8Array; e2: Uint8Array }): number[] {
  let n = 0, s = 0, both = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i];
    n += c;
    s += c * data.x[i];
    both += c * data.e1[i] * data.e2[i];
  }
  return [s / n, both / n];
}
