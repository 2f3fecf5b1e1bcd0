// Problem text by item id, read from the raw source files, for in-memory text features (a router's TF-IDF).
// Never written to any output. GPQA is refused outright: its authors ask that its text never be posted, and a
// router on it is not needed to make the point.
import type { InputFile } from "../engine/types.js";
import { parseJsonFile } from "./adapters/zeroeval.js";

export const ITEM_TEXT_FORMATS = ["zeroeval", "livecodebench-submissions"] as const;
export type ItemTextFormat = (typeof ITEM_TEXT_FORMATS)[number];

/**
 * item id -> problem text. `zeroeval`: result files ({id, problem | question}) of one or more models, ids
 * `<task>-<id>` as the zeroeval adapter writes them; `livecodebench-submissions`: Scenario.codegeneration files
 * ({question_id, question_title, question_content}), ids `lcb-<question_id>`. The same id in two files must carry
 * the same text.
 */
export function readItemTexts(files: readonly InputFile[], format: ItemTextFormat, task: string): Map<string, string> {
  if (/gpqa/i.test(task)) throw new Error(`item-text: refusing to read GPQA text (task ${task})`);
  const out = new Map<string, string>();
  const put = (id: string, text: string, where: string) => {
    const seen = out.get(id);
    if (seen !== undefined && seen !== text) throw new Error(`${where}: item ${id} has a different text than in an earlier file`);
    out.set(id, text);
  };
  for (const f of files) {
    const doc = parseJsonFile(f);
    if (!Array.isArray(doc)) throw new Error(`${f.name}: expected a JSON array`);
    for (const [k, x] of doc.entries()) {
      const it = x as Record<string, unknown>;
      if (format === "zeroeval") {
        const text = typeof it.problem === "string" ? it.problem : typeof it.question === "string" ? it.question : undefined;
        if ((typeof it.id !== "string" && typeof it.id !== "number") || text === undefined) throw new Error(`${f.name}: item ${k}: needs "id" and "problem"`);
        put(`${task}-${it.id}`, text, f.name);
      } else {
        if (typeof it.question_id !== "string" || typeof it.question_content !== "string") throw new Error(`${f.name}: item ${k}: needs "question_id" and "question_content"`);
        put(`lcb-${it.question_id}`, `${typeof it.question_title === "string" ? it.question_title + "\n" : ""}${it.question_content}`, f.name);
      }
    }
  }
  return out;
}
