// The all-wrong rate when each model draws one fresh sample per item: with per-item pass rates p_im and
// independent draws, P(all wrong on i) = prod_m (1 - p_im); beta_expected is its mean over items.
// It is the sample-averaged counterpart of beta for multi-sample sources (sample_policy "expected").
export function expectedAllWrongRate(passRate: number[][]): number {
  const M = passRate.length;
  const N = M === 0 ? 0 : passRate[0].length;
  let sum = 0;
  for (let i = 0; i < N; i++) {
    let prod = 1;
    for (let m = 0; m < M; m++) prod *= 1 - passRate[m][i];
    sum += prod;
  }
  return N === 0 ? NaN : sum / N;
}
