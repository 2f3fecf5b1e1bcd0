// Per-(model, item) pass rates and counts from a pool matrix, whatever the source recorded: counts of several
// samples (LiveCodeBench, MathArena, rotations), the pool's expected pass rate, or a single 0/1 verdict.
import type { PoolMatrix } from "./pool-matrix.js";

export interface CellCounts {
  passCount: number[][];
  nSamples: number[][];
}

/** Counts per cell; a single-verdict matrix becomes 1 draw per cell. */
export function cellCounts(matrix: PoolMatrix): CellCounts {
  if (matrix.passCount && matrix.nSamples) return { passCount: matrix.passCount, nSamples: matrix.nSamples };
  return { passCount: matrix.correct.map((row) => row.slice()), nSamples: matrix.correct.map((row) => row.map(() => 1)) };
}

/** Fraction of passing samples per cell (the chance that one sample drawn at random is right). */
export function cellPassRates(matrix: PoolMatrix): number[][] {
  const { passCount, nSamples } = cellCounts(matrix);
  return passCount.map((row, m) => row.map((c, i) => c / nSamples[m][i]));
}
