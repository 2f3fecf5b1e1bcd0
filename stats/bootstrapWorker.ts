/**
 * worker_threads entry of `bootstrapWorkerPool` (stats/bootstrap.ts): for each task message, computes
 * replicates [first, first + count) with the named statistic and posts them back under the task's id.
 * The thread stays up for further tasks until the pool terminates it; statistic modules load once.
 */
import { parentPort } from "node:worker_threads";
import { bootstrapSequential, type BootstrapStatistic, type BootstrapWorkerReply, type BootstrapWorkerTask } from "./bootstrap.js";

async function runTask(task: BootstrapWorkerTask): Promise<BootstrapWorkerReply> {
  try {
    const mod = (await import(task.moduleUrl)) as Record<string, unknown>;
    const statistic = mod[task.exportName];
    if (typeof statistic !== "function") throw new Error(`${task.sourceUrl} has no function export "${task.exportName}"`);
    const values = bootstrapSequential(statistic as BootstrapStatistic<unknown>, task.data, {
      seed: task.seed, nItems: task.nItems, firstReplicate: task.first, replicates: task.count,
    });
    return { id: task.id, values };
  } catch (e) {
    return { id: task.id, error: e instanceof Error ? `${e.message}\n${e.stack}` : String(e) };
  }
}

// Tasks run one after another, in arrival order.
let queue: Promise<void> = Promise.resolve();
parentPort!.on("message", (task: BootstrapWorkerTask) => {
  queue = queue.then(async () => parentPort!.postMessage(await runTask(task)));
});
