#!/usr/bin/env node
// Entry point for `npx cofail`: registers tsx so the TypeScript CLI runs without a build step.
import { register } from "tsx/esm/api";
import { pathToFileURL } from "node:url";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

register();
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
await import(pathToFileURL(join(root, "cli/index.ts")).href);
