/**
 * worker_threads entry of `bootstrapParallel` (stats/bootstrap.ts): computes replicates
 * [first, first + count) of the task in workerData with the named statistic and posts them back.
 */
import { parentPort, workerData } from "node:worker_threads";
import { bootstrapSequential, type BootstrapStatistic, type BootstrapWorkerTask } from "./bootstrap.js";

const task = workerData as BootstrapWorkerTask;
try {
  const mod = (await import(task.moduleUrl)) as Record<string, unknown>;
  const statistic = mod[task.exportName];
  if (typeof statistic !== "function") throw new Error(`${task.moduleUrl} has no function export "${task.exportName}"`);
  const values = bootstrapSequential(statistic as BootstrapStatistic<unknown>, task.data, {
    seed: task.seed, nItems: task.nItems, firstReplicate: task.first, replicates: task.count,
  });
  parentPort!.postMessage({ values });
} catch (e) {
  parentPort!.postMessage({ error: e instanceof Error ? `${e.message}\n${e.stack}` : String(e) });
}
