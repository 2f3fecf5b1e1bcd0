// data/adjudications.yaml: a researcher's decision per (pool, item), read with positions so a bad entry is reported
// by file, line and column. A decision overrides the rule for that item (audit/RULE.md, check 0).
import { LineCounter, parseDocument, isMap, isSeq, type Node } from "yaml";
import { Adjudication } from "./types.js";

/** A decision and where it is written (file:line:col), for error messages downstream. */
export type PlacedAdjudication = Adjudication & { at: string };
export interface AdjudicationFile { version: 1; decisions: PlacedAdjudication[] }

function where(fileName: string, lc: LineCounter, node: Node | null | undefined): string {
  const offset = node?.range?.[0];
  if (offset === undefined) return fileName;
  const { line, col } = lc.linePos(offset);
  return `${fileName}:${line}:${col}`;
}

export function parseAdjudications(text: string, fileName: string): AdjudicationFile {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const { line, col } = lc.linePos(e.pos[0]);
    throw new Error(`${fileName}:${line}:${col}: ${e.message.split("\n")[0]}`);
  }
  const root = doc.contents;
  if (!isMap(root)) throw new Error(`${fileName}: expected a mapping with keys version and decisions`);
  if (doc.get("version") !== 1) throw new Error(`${where(fileName, lc, root)}: key "version": expected 1, got ${JSON.stringify(doc.get("version"))}`);
  for (const pair of root.items) {
    const key = String((pair.key as { value?: unknown })?.value ?? pair.key);
    if (key !== "version" && key !== "decisions") throw new Error(`${where(fileName, lc, pair.key as Node)}: unknown key "${key}" (expected version, decisions)`);
  }
  const list = root.get("decisions", true) as Node | undefined;
  if (list === undefined || list === null || (list as { value?: unknown }).value === null) return { version: 1, decisions: [] };
  if (!isSeq(list)) throw new Error(`${where(fileName, lc, list)}: key "decisions": expected a list of decisions`);
  const seen = new Map<string, string>();
  const decisions = list.items.map((node, i) => {
    const at = where(fileName, lc, node as Node);
    const parsed = Adjudication.safeParse((node as Node & { toJSON(): unknown }).toJSON());
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(`${at}: decisions[${i}]${issue.path.length ? `.${issue.path.join(".")}` : ""}: ${issue.message}`);
    }
    const key = `${parsed.data.pool}\u0000${parsed.data.item}`;
    if (seen.has(key)) throw new Error(`${at}: decisions[${i}]: a second decision for pool ${parsed.data.pool}, item ${parsed.data.item} (first at ${seen.get(key)})`);
    seen.set(key, at);
    return { ...parsed.data, at };
  });
  return { version: 1, decisions };
}
