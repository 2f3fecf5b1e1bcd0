/**
 * Nonparametric bootstrap over items (Efron 1979; Efron & Tibshirani 1993, "An Introduction to the
 * Bootstrap", ch. 6 and 13–14), seeded and reproducible.
 *
 * Resampling. Replicate r draws N item indices uniformly with replacement from its own RNG stream
 * `rngStream(seed, r)` and hands the statistic the COUNTS vector (counts[i] = times item i was
 * drawn; sum = N). So replicate r is a pure function of (seed, r, N): raising B from 2000 to 10000
 * reproduces the first 2000 replicates exactly, and any split of replicates over threads gives
 * bit-identical results (each value is computed by the same code on the same counts; the driver
 * only reassembles them in replicate order).
 *
 * Statistic contract: `(counts: Uint32Array, data: D) => number | number[]` — one or several
 * values per replicate (e.g. [beta, copulaBeta, ratio]); it must be deterministic and must not
 * keep state between calls. Values are returned replicate-major: values[r] = statistic of replicate r.
 *
 * Parallel API (`bootstrapParallel`): worker_threads cannot receive functions, so the statistic is
 * named as { moduleUrl, exportName } (an ES module URL, e.g. `new URL("./myStat.ts", import.meta.url).href`,
 * whose export `exportName` has the contract above) and `data` is structured-cloned into every worker
 * (typed arrays are copied; keep it to plain objects / arrays / typed arrays).
 * `bootstrapWorkerPool` keeps the threads for several runs: callers that report progress between rounds of
 * replicates start the threads once.
 * Loading TypeScript in workers: Node 20 cannot import .ts. With `prepareModule` (e.g. engine/workerModule's
 * runnableModuleUrl, which bundles a .ts module to plain JS) the worker entry and each statistic module are
 * mapped to URLs a worker imports directly (a worker then starts in ~0.1 s). Without it, when this module
 * runs as .ts, each worker is started from a tiny eval script that calls the register() of `loaderUrl`
 * (default tsx/esm/api) and imports the .ts files as they are (~0.7 s CPU per worker); compiled .js runs
 * import the .js worker directly.
 *
 * Intervals: percentile (Efron & Tibshirani §13.3) and BCa (Efron 1987, "Better bootstrap confidence
 * intervals", JASA 82, 171–185; the formulas of R `boot::boot.ci(type = "bca")`, with type-7 quantiles
 * instead of boot's normal-scale interpolation).
 */
import { Worker } from "node:worker_threads";
import { rngStream, type Seed } from "./rng.js";
import { normalCdf, normalQuantile } from "./normal.js";
import { quantileSorted, sortedCopy } from "./quantile.js";

export type BootstrapStatistic<D> = (counts: Uint32Array, data: D) => number | readonly number[];

/** Counts of each of nItems items in bootstrap replicate `replicate` of `seed` (fills `out` if given). */
export function resampleCounts(seed: Seed, replicate: number, nItems: number, out?: Uint32Array): Uint32Array {
  const counts = out ?? new Uint32Array(nItems);
  counts.fill(0);
  const rng = rngStream(seed, replicate);
  for (let i = 0; i < nItems; i++) counts[rng.nextInt(nItems)]++;
  return counts;
}

export interface BootstrapOptions {
  seed: Seed;
  /** Number of replicates B. */
  replicates: number;
  /** Number of items N (resample size = N). */
  nItems: number;
  /** First replicate index (default 0): compute replicates [first, first + replicates). */
  firstReplicate?: number;
}

const asArray = (v: number | readonly number[]): number[] => (typeof v === "number" ? [v] : [...v]);

/** In-process bootstrap for small jobs: values[r] = statistic(counts of replicate first + r, data). */
export function bootstrapSequential<D>(statistic: BootstrapStatistic<D>, data: D, options: BootstrapOptions): number[][] {
  const first = options.firstReplicate ?? 0;
  const counts = new Uint32Array(options.nItems);
  const out: number[][] = [];
  for (let r = first; r < first + options.replicates; r++) {
    resampleCounts(options.seed, r, options.nItems, counts);
    out.push(asArray(statistic(counts, data)));
  }
  return out;
}

export interface ParallelBootstrapOptions<D> extends BootstrapOptions {
  statistic: { moduleUrl: string; exportName: string };
  data: D;
  /** Worker threads (>= 1). */
  threads: number;
  /** Maps a module URL to one a worker can import (e.g. a .ts module to its JS bundle); then no loader is used. */
  prepareModule?: (url: string) => Promise<string>;
  /** Without prepareModule: module whose register() installs a TS loader in each worker; default tsx/esm/api when running as .ts, none otherwise. */
  loaderUrl?: string | null;
}

/** Message a bootstrap worker receives: one contiguous block of replicates. */
export interface BootstrapWorkerTask {
  /** Matches the reply to its request. */
  id: number;
  /** What the worker imports: the statistic module itself or its plain-JS bundle. */
  moduleUrl: string;
  /** The statistic module as the caller named it (for messages). */
  sourceUrl: string;
  exportName: string;
  data: unknown;
  seed: Seed;
  nItems: number;
  first: number;
  count: number;
}

/** Reply of a bootstrap worker. */
export interface BootstrapWorkerReply {
  id: number;
  values?: number[][];
  error?: string;
}

/** One run of a pool: everything of ParallelBootstrapOptions but the threads. */
export type BootstrapRunOptions<D> = Omit<ParallelBootstrapOptions<D>, "threads" | "loaderUrl" | "prepareModule">;

export interface BootstrapWorkerPool {
  /**
   * Replicates [first, first + replicates) split over the pool's threads in contiguous blocks; bit-identical
   * to `bootstrapSequential` with the same statistic, for any number of threads.
   */
  run<D>(options: BootstrapRunOptions<D>): Promise<number[][]>;
  /** Terminates the threads; the pool cannot run afterwards. */
  close(): Promise<void>;
}

/** Worker threads that stay up across runs (see bootstrapParallel for how they load TypeScript). */
export function bootstrapWorkerPool(options: {
  threads: number; loaderUrl?: string | null; prepareModule?: (url: string) => Promise<string>;
}): BootstrapWorkerPool {
  const asTs = import.meta.url.endsWith(".ts");
  const workerUrl = new URL(asTs ? "./bootstrapWorker.ts" : "./bootstrapWorker.js", import.meta.url).href;
  const prepare = options.prepareModule;
  const loaderUrl = prepare ? null : options.loaderUrl === undefined ? (asTs ? import.meta.resolve("tsx/esm/api") : null) : options.loaderUrl;
  const moduleUrl = (url: string) => (prepare ? prepare(url) : Promise.resolve(url));
  const pending = new Map<number, { resolve: (v: number[][]) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  let broken: Error | null = null;
  const failAll = (e: Error) => {
    broken ??= e;
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  // The threads start as soon as the worker entry is runnable (bundled, when .ts), while the caller goes on.
  const started = moduleUrl(workerUrl).then((url) => Array.from({ length: Math.max(1, options.threads) }, () => {
    const bootScript = loaderUrl === null
      ? `import(${JSON.stringify(url)})`
      : `import(${JSON.stringify(loaderUrl)}).then((m) => { m.register(); return import(${JSON.stringify(url)}); })`;
    const w = new Worker(bootScript, { eval: true });
    w.on("message", (m: BootstrapWorkerReply) => {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (m.error !== undefined) p.reject(new Error(`bootstrap worker: ${m.error}`));
      else p.resolve(m.values!);
    });
    w.on("error", (e) => failAll(e instanceof Error ? e : new Error(String(e))));
    w.on("exit", (code) => failAll(new Error(`bootstrap worker exited with code ${code}`)));
    return w;
  }));
  started.catch(() => undefined); // surfaced by run(); an unused pool must not raise an unhandled rejection
  let closed = false;
  return {
    async run<D>(o: BootstrapRunOptions<D>): Promise<number[][]> {
      if (closed) throw new Error("bootstrap worker pool is closed");
      const [workers, statisticUrl] = await Promise.all([started, moduleUrl(o.statistic.moduleUrl)]);
      if (broken) throw broken;
      const first = o.firstReplicate ?? 0;
      const B = o.replicates;
      const threads = Math.max(1, Math.min(workers.length, B));
      const blocks: Promise<number[][]>[] = [];
      for (let t = 0; t < threads; t++) {
        const lo = first + Math.floor((B * t) / threads), hi = first + Math.floor((B * (t + 1)) / threads);
        const task: BootstrapWorkerTask = {
          id: nextId++, moduleUrl: statisticUrl, sourceUrl: o.statistic.moduleUrl, exportName: o.statistic.exportName, data: o.data,
          seed: o.seed, nItems: o.nItems, first: lo, count: hi - lo,
        };
        blocks.push(new Promise((resolve, reject) => {
          pending.set(task.id, { resolve, reject });
          workers[t]!.postMessage(task);
        }));
      }
      return (await Promise.all(blocks)).flat();
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      broken ??= new Error("bootstrap worker pool is closed");
      const workers = await started.catch(() => [] as Worker[]);
      for (const w of workers) w.removeAllListeners("exit");
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

/**
 * Bootstrap spread over worker threads in contiguous replicate blocks; the result is bit-identical to
 * `bootstrapSequential` with the same statistic, for any number of threads. Starts and ends its own threads.
 */
export async function bootstrapParallel<D>(options: ParallelBootstrapOptions<D>): Promise<number[][]> {
  const pool = bootstrapWorkerPool({
    threads: Math.max(1, Math.min(options.threads, options.replicates)), loaderUrl: options.loaderUrl, prepareModule: options.prepareModule,
  });
  try {
    return await pool.run(options);
  } finally {
    await pool.close();
  }
}

/** Percentile interval: type-7 quantiles at (1-level)/2 and (1+level)/2 of the replicate values. */
export function percentileInterval(values: ArrayLike<number>, level = 0.9): [number, number] {
  const s = sortedCopy(values);
  return [quantileSorted(s, (1 - level) / 2), quantileSorted(s, (1 + level) / 2)];
}

/**
 * BCa interval (Efron 1987). theta = statistic on the original sample, jackknifeValues[i] = statistic
 * with item i left out.
 *   z0 = Phi^-1( #{theta*_r < theta} / B )                           (bias correction)
 *   a  = sum (m - theta_(i))^3 / (6 [sum (m - theta_(i))^2]^(3/2)),  m = mean of theta_(i)  (acceleration)
 *   alpha_j = Phi( z0 + (z0 + z_j) / (1 - a (z0 + z_j)) ),  z_j = Phi^-1((1 -+ level)/2)
 * and the interval is the type-7 quantiles at alpha_1, alpha_2. Throws when all replicates fall on one
 * side of theta (z0 infinite: the interval is not defined).
 */
export function bcaInterval(values: ArrayLike<number>, theta: number, jackknifeValues: ArrayLike<number>, level = 0.9): [number, number] {
  const s = sortedCopy(values);
  let below = 0;
  for (const v of s) if (v < theta) below++;
  if (below === 0 || below === s.length) throw new RangeError("bcaInterval: all replicates on one side of theta; bias correction undefined");
  const z0 = normalQuantile(below / s.length);
  const n = jackknifeValues.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += jackknifeValues[i] / n;
  let num = 0, den = 0;
  for (let i = 0; i < n; i++) { const d = m - jackknifeValues[i]; num += d * d * d; den += d * d; }
  const a = den > 0 ? num / (6 * den ** 1.5) : 0;
  const adj = (p: number) => { const z = normalQuantile(p); return normalCdf(z0 + (z0 + z) / (1 - a * (z0 + z))); };
  return [quantileSorted(s, adj((1 - level) / 2)), quantileSorted(s, adj((1 + level) / 2))];
}
