// For test/engine/threads.test.ts: a bundled module still knows where its source file is.
export function whereAmI(): string {
  return import.meta.url;
}

/** The worker thread's id, after holding the thread `ms` milliseconds (so concurrent calls overlap). */
export async function threadIdentity(ms: number): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return (await import("node:worker_threads")).threadId;
}
