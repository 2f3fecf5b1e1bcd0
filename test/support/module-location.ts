// For test/engine/threads.test.ts: a bundled module still knows where its source file is.
export function whereAmI(): string {
  return import.meta.url;
}
