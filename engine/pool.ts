// A pool of stage worker threads, reused across tasks (a fresh thread costs ~0.5 s of tsx startup).
// Workers load .ts through tsx's ESM API registered inside the thread, which works whether the parent
// was started with `--import tsx` or through bin/cofail.js.
import { Worker } from "node:worker_threads";
import type { WorkerMessage, WorkerTask } from "./workerProtocol.js";

export interface TaskHandlers {
  progress(done: number, total: number, label?: string): void;
  log(message: string): void;
  warn(message: string): void;
}

export interface WorkerPool {
  run(task: WorkerTask, handlers: TaskHandlers): Promise<Extract<WorkerMessage, { type: "done" }>>;
  close(): Promise<void>;
}

export function createWorkerPool(): WorkerPool {
  const idle: Worker[] = [];
  const all = new Set<Worker>();
  const tsxApi = import.meta.resolve("tsx/esm/api");
  const workerUrl = new URL("./worker.ts", import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(workerUrl)}); })` +
    `.catch((e) => { console.error(e); process.exit(70); });`;
  const spawn = () => {
    const w = new Worker(bootstrap, { eval: true, stdout: false, stderr: false });
    all.add(w);
    return w;
  };
  return {
    run(task, handlers) {
      const w = idle.pop() ?? spawn();
      return new Promise((resolve, reject) => {
        const cleanup = () => { w.off("message", onMessage); w.off("error", onError); w.off("exit", onExit); };
        const onMessage = (m: WorkerMessage) => {
          if (m.type === "progress") handlers.progress(m.done, m.total, m.label);
          else if (m.type === "log") handlers.log(m.message);
          else if (m.type === "warn") handlers.warn(m.message);
          else if (m.type === "done") { cleanup(); idle.push(w); resolve(m); }
          else { cleanup(); idle.push(w); reject(new Error(m.message)); }
        };
        const onError = (e: Error) => { cleanup(); all.delete(w); reject(e); };
        const onExit = (code: number) => { cleanup(); all.delete(w); reject(new Error(`stage worker exited with code ${code}`)); };
        w.on("message", onMessage);
        w.on("error", onError);
        w.on("exit", onExit);
        w.postMessage(task);
      });
    },
    async close() {
      await Promise.all([...all].map((w) => w.terminate()));
      all.clear();
      idle.length = 0;
    },
  };
}
