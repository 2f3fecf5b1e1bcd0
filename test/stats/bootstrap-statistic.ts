// Statistics used by test/stats/bootstrap.test.ts and test/engine/threads.test.ts (a separate module so worker
// threads can import it).
import { bootstrapBlock, type BootstrapBlock } from "../../stats/bootstrap.js";

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

type Data = { x: Float64Array; e1: Uint8Array; e2: Uint8Array };

/** A block of meanAndBeta replicates, the function a worker thread runs. */
export function meanAndBetaBlock(block: BootstrapBlock<Data>): number[][] {
  return bootstrapBlock(meanAndBeta, block);
}

/** Reports each step through the pool's event callback, then returns the sum. */
export async function countWithEvents(n: number, emit: (e: unknown) => void): Promise<number> {
  let s = 0;
  for (let i = 1; i <= n; i++) { s += i; emit({ step: i }); }
  return s;
}

export function fail(message: string): never {
  throw new Error(message);
}
