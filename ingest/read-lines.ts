// Line-oriented readers for adapters: JSONL and whole-file JSON with errors that name the file and line.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { excerpt } from "../engine/types.js";
import type { InputFile } from "../engine/types.js";

export interface JsonLine {
  /** 1-based line number in the file. */
  line: number;
  value: unknown;
}

/** The file's text; a `.gz` file (by its name or path) is gunzipped, as `cofail certify` reads it. */
export function readText(file: InputFile): string {
  const gz = /\.gz$/i.test(file.name) || /\.gz$/i.test(file.path);
  let text: string;
  if (gz) {
    try {
      text = gunzipSync(readFileSync(file.path)).toString("utf8");
    } catch (e) {
      throw new Error(`${file.name}: not a readable gzip file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  } else text = readFileSync(file.path, "utf8");
  // A BOM would otherwise end up in the first CSV header or break JSON.parse.
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Parses every non-blank line as JSON; an empty file or a bad line throws with file and line number. */
export function readJsonl(file: InputFile): JsonLine[] {
  const lines = readText(file).split(/\r?\n/);
  const out: JsonLine[] = [];
  lines.forEach((text, i) => {
    if (text.trim() === "") return;
    try {
      out.push({ line: i + 1, value: JSON.parse(text) });
    } catch (e) {
      const truncated = i === lines.length - 1 || (i === lines.length - 2 && lines[lines.length - 1] === "");
      throw new Error(
        `${file.name}: line ${i + 1}: invalid JSON${truncated ? " (file looks truncated)" : ""}: ${excerpt((e as Error).message, 120)}`,
      );
    }
  });
  if (out.length === 0) throw new Error(`${file.name}: empty file (expected JSON lines)`);
  return out;
}

/** Parses a whole-file JSON document; errors carry the line of the parse failure when the engine reports a position. */
export function parseJsonDocument(text: string, fileName: string): unknown {
  if (text.trim() === "") throw new Error(`${fileName}: empty file (expected a JSON document)`);
  try {
    return JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const pos = /position (\d+)/.exec(message);
    const where = pos ? `line ${text.slice(0, Number(pos[1])).split("\n").length}: ` : "";
    throw new Error(`${fileName}: ${where}invalid JSON: ${excerpt(message, 120)}`);
  }
}

export function readJson(file: InputFile): unknown {
  return parseJsonDocument(readText(file), file.name);
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Last path segment of a logical file name, with a compression suffix removed. */
export function baseName(file: InputFile): string {
  return file.name.replace(/\.gz$/, "").split("/").pop() ?? file.name;
}
