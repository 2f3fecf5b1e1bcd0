/**
 * The one worker-thread pool: long-lived threads that call an exported function of an ES module and post its
 * result back. The engine runs stage tasks on it (engine/threads/stage-task.ts) and gives stages the same
 * facility for their own parallel work (`ctx.parallel`), e.g. bootstrap replicate blocks.
 *
 * A call names `{ module, export }` by URL; a .ts module is first turned into a plain-JS bundle
 * (./runnable-module.ts), so threads need no TypeScript loader. The function receives the call's arguments and,
 * last, an `emit(event)` callback whose events reach the caller's `onEvent` while the call runs (progress, log
 * lines). Arguments and results are structured-cloned: plain objects, arrays and typed arrays only.
 */
import { Worker } from "node:worker_threads";
import { runnableModuleUrl } from "./runnable-module.js";

/** An exported function of an ES module, by module URL (.ts or .js) and export name. */
export interface ModuleFunction { module: string; export: string }

export interface ThreadCall extends ModuleFunction {
  args: unknown[];
  onEvent?: (event: unknown) => void;
}

export interface ThreadPool {
  readonly threads: number;
  /** Runs one call on an idle thread (queued while all are busy). */
  call<R>(call: ThreadCall): Promise<R>;
  /** `fn(arg)` for each argument, spread over the threads; results in argument order. */
  map<A, R>(fn: ModuleFunction, args: A[]): Promise<R[]>;
  /** Terminates the threads; pending calls are rejected. */
  close(): Promise<void>;
}

/** Messages between the pool and a thread (plain data). */
export type ToThread = { id: number; moduleUrl: string; sourceUrl: string; exportName: string; args: unknown[] };
export type FromThread =
  | { id: number; event: unknown }
  | { id: number; result: unknown }
  | { id: number; error: string };

const entryUrl = new URL("./worker-entry.ts", import.meta.url).href;

export function createThreadPool(options: { threads: number }): ThreadPool {
  const size = Math.max(1, Math.floor(options.threads));
  const idle: Worker[] = [];
  const all = new Set<Worker>();
  const queue: (() => void)[] = [];
  let nextId = 0;
  let closed = false;
  const entry = runnableModuleUrl(entryUrl);
  entry.catch(() => undefined); // surfaced by the first call

  // Threads being started: counted before the await on the entry bundle, so that calls arriving together (a map over
  // more blocks than threads) cannot each see a free slot and start more threads than `size`.
  let starting = 0;
  const acquire = async (): Promise<Worker> => {
    if (closed) throw new Error("thread pool is closed");
    const w = idle.pop();
    if (w) return w;
    if (all.size + starting < size) {
      starting++;
      try {
        const worker = new Worker(new URL(await entry), { stdout: false, stderr: false });
        worker.unref();
        all.add(worker);
        return worker;
      } finally {
        starting--;
      }
    }
    await new Promise<void>((resolve) => queue.push(resolve));
    return acquire();
  };
  const release = (w: Worker) => {
    if (closed || !all.has(w)) return;
    idle.push(w);
    queue.shift()?.();
  };

  const call = async <R>(c: ThreadCall): Promise<R> => {
    const moduleUrl = await runnableModuleUrl(c.module);
    const w = await acquire();
    const id = nextId++;
    return new Promise<R>((resolve, reject) => {
      const cleanup = () => { w.off("message", onMessage); w.off("error", onError); w.off("exit", onExit); };
      const onMessage = (m: FromThread) => {
        if (m.id !== id) return;
        if ("event" in m) { c.onEvent?.(m.event); return; }
        cleanup();
        release(w);
        if ("error" in m) reject(Object.assign(new Error(m.error), { fromThread: true }));
        else resolve(m.result as R);
      };
      const onError = (e: Error) => { cleanup(); all.delete(w); queue.shift()?.(); reject(e); };
      const onExit = (code: number) => { cleanup(); all.delete(w); queue.shift()?.(); reject(new Error(`worker thread exited with code ${code}`)); };
      w.on("message", onMessage);
      w.on("error", onError);
      w.on("exit", onExit);
      w.ref();
      const msg: ToThread = { id, moduleUrl, sourceUrl: c.module, exportName: c.export, args: c.args };
      w.postMessage(msg);
    }).finally(() => w.unref());
  };

  return {
    threads: size,
    call,
    map: <A, R>(fn: ModuleFunction, args: A[]) => Promise.all(args.map((a) => call<R>({ ...fn, args: [a] }))),
    async close() {
      if (closed) return;
      closed = true;
      const workers = [...all];
      all.clear();
      idle.length = 0;
      for (const w of workers) w.removeAllListeners("exit");
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
