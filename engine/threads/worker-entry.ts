/**
 * Body of every thread of the pool (./thread-pool.ts): for each message, imports the named module (already a
 * plain-JS bundle) and calls the export with the message's arguments and an `emit` callback; posts events while
 * it runs and then the result (or the error). Calls run one after another, in arrival order.
 */
import { parentPort } from "node:worker_threads";
import type { FromThread, ToThread } from "./thread-pool.js";

const port = parentPort!;
const post = (m: FromThread) => port.postMessage(m);

async function handle(m: ToThread): Promise<void> {
  try {
    const mod = (await import(m.moduleUrl)) as Record<string, unknown>;
    const fn = mod[m.exportName];
    if (typeof fn !== "function") throw Object.assign(new Error(`${m.sourceUrl} has no function export "${m.exportName}"`), { fromEngine: true });
    const result = await (fn as (...a: unknown[]) => unknown)(...m.args, (event: unknown) => post({ id: m.id, event }));
    post({ id: m.id, result });
  } catch (e) {
    // The message only; the stack too with --debug (COFAIL_DEBUG), for anything but an engine check.
    const err = e as { message?: string; stack?: string; fromEngine?: boolean };
    const debug = !!process.env.COFAIL_DEBUG && process.env.COFAIL_DEBUG !== "0";
    post({ id: m.id, error: e instanceof Error ? (err.fromEngine || !debug ? err.message! : (err.stack ?? err.message!)) : String(e) });
  }
}

let queue: Promise<void> = Promise.resolve();
port.on("message", (m: ToThread) => {
  queue = queue.then(() => handle(m));
});
