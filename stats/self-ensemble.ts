// Ensembles built from per-query pass counts: a model that passed c of n samples on a query.
// "Self" ensembles draw k distinct samples of ONE model; "heterogeneous" ensembles draw one sample from each of
// k DIFFERENT models. Counts carry no run identity, so everything here is an expectation over which samples
// are drawn — exactly what counts allow.

/**
 * P(all k samples wrong) when k of the n samples are drawn without replacement and c of them pass:
 * C(n-c, k) / C(n, k) (hypergeometric, zero successes), as the product prod_{j<k} (n-c-j)/(n-j), which never
 * forms a large binomial coefficient.
 */
export function selfAllWrongProbability(options: { passCount: number; nSamples: number; k: number }): number {
  const { passCount: c, nSamples: n, k } = options;
  if (!(Number.isInteger(c) && Number.isInteger(n) && Number.isInteger(k)) || c < 0 || c > n || k < 0) {
    throw new RangeError(`selfAllWrongProbability: need integers 0 <= c <= n, k >= 0; got c=${c} n=${n} k=${k}`);
  }
  if (k > n) throw new RangeError(`selfAllWrongProbability: cannot draw k=${k} distinct samples of n=${n}`);
  let p = 1;
  for (let j = 0; j < k; j++) {
    p *= (n - c - j) / (n - j);
    if (p <= 0) return 0;
  }
  return p;
}

/** Mean over queries of the k-sample self-ensemble all-wrong probability (queries given as counts). */
export function selfAllWrongRate(options: { passCount: number[]; nSamples: number[]; k: number }): number {
  const { passCount, nSamples, k } = options;
  let s = 0;
  for (let i = 0; i < passCount.length; i++) s += selfAllWrongProbability({ passCount: passCount[i], nSamples: nSamples[i], k });
  return s / passCount.length;
}

/**
 * Error correlation (phi) between two distinct samples of the same model, over queries: the "rho" of a
 * self-ensemble. Both-wrong probability on a query is (n-c)(n-c-1)/(n(n-1)); each sample's marginal error is
 * the mean of (n-c)/n. Needs n >= 2 on every query. NaN when the model is always or never wrong.
 */
export function selfErrorCorrelation(options: { passCount: number[]; nSamples: number[] }): number {
  const { passCount, nSamples } = options;
  const N = passCount.length;
  let e = 0, both = 0;
  for (let i = 0; i < N; i++) {
    const n = nSamples[i], w = n - passCount[i];
    if (n < 2) throw new RangeError(`selfErrorCorrelation: query ${i} has n=${n} < 2 samples`);
    e += w / n;
    both += (w * (w - 1)) / (n * (n - 1));
  }
  e /= N;
  both /= N;
  return (both - e * e) / (e * (1 - e));
}

/**
 * Mean over queries of prod_m (1 - p_m): the all-wrong rate of one independent sample from each model,
 * p_m the model's pass rate on the query. For 0/1 pass rates this is the ordinary beta.
 */
export function independentAllWrongRate(passRates: number[][]): number {
  const N = passRates[0]?.length ?? 0;
  let s = 0;
  for (let i = 0; i < N; i++) {
    let p = 1;
    for (const row of passRates) p *= 1 - row[i];
    s += p;
  }
  return s / N;
}

/**
 * Error correlation (phi) between one sample of model a and one sample of model b, sampled independently given
 * the query: both-wrong rate mean_i (1-pa_i)(1-pb_i), marginals mean_i (1-p_i). For 0/1 pass rates this is the
 * ordinary phi coefficient of the two error indicators. NaN when either model is always or never wrong.
 */
export function sampledErrorPhi(pa: number[], pb: number[]): number {
  const N = pa.length;
  let ea = 0, eb = 0, both = 0;
  for (let i = 0; i < N; i++) {
    ea += 1 - pa[i];
    eb += 1 - pb[i];
    both += (1 - pa[i]) * (1 - pb[i]);
  }
  ea /= N;
  eb /= N;
  both /= N;
  return (both - ea * eb) / Math.sqrt(ea * (1 - ea) * eb * (1 - eb));
}
