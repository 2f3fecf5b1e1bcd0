// The placeholder language of paper/paper.md (fixed in ARCHITECTURE.md, "Tables and figures"):
//   {{id}}  {{id|fmt}}  {{id|ci}}  {{id|fmt|ci}}  {{id|lower}}  {{id|upper}}
//   {{table:<stage>.<output>}}  {{figure:<stage>.<output>}}  {{figure:<stage>.<output>|caption}}
//   {{claim: <expression over ids>}}
import { assertFormat } from "../format.js";

export type Placeholder =
  | { kind: "number"; id: string; format?: string; show: "value" | "ci" | "lower" | "upper" }
  | { kind: "table"; stage: string; output: string }
  | { kind: "figure"; stage: string; output: string; caption?: string }
  | { kind: "claim"; expression: string };

const ID = /^[a-z0-9][a-z0-9_-]*(\.[a-z0-9_-]+)+$/;
const REF = /^([A-Za-z0-9][A-Za-z0-9_-]*)\.([A-Za-z0-9][A-Za-z0-9_.-]*)$/;

/** Parses the text between `{{` and `}}`. Throws with a message that says what a valid form looks like. */
export function parsePlaceholder(body: string): Placeholder {
  const text = body.trim();
  const claim = /^claim\s*:\s*([\s\S]*)$/.exec(text);
  if (claim) {
    if (!claim[1]!.trim()) throw new Error("empty claim; write {{claim: <expression over ids>}}");
    return { kind: "claim", expression: claim[1]!.trim() };
  }
  const block = /^(table|figure)\s*:\s*([^|]*)(?:\|([\s\S]*))?$/.exec(text);
  if (block) {
    const ref = REF.exec(block[2]!.trim());
    if (!ref) throw new Error(`"${block[2]!.trim()}" is not a <stage>.<output> reference`);
    if (block[1] === "table") {
      if (block[3] !== undefined) throw new Error("tables take no caption in the text; the table's title and caption come from its JSON");
      return { kind: "table", stage: ref[1]!, output: ref[2]! };
    }
    const caption = block[3]?.trim();
    return { kind: "figure", stage: ref[1]!, output: ref[2]!, ...(caption ? { caption } : {}) };
  }
  const [id, ...mods] = text.split("|").map((s) => s.trim());
  if (!ID.test(id!)) {
    throw new Error(`"${id}" is not a result id (lower-case, dot-separated, e.g. math-l5.beta) nor table:/figure:/claim:`);
  }
  let format: string | undefined;
  let show: "value" | "ci" | "lower" | "upper" = "value";
  for (const mod of mods) {
    if (mod === "ci" || mod === "lower" || mod === "upper") {
      if (show !== "value") throw new Error(`{{${text}}}: choose one of ci, lower, upper`);
      show = mod;
    } else {
      if (format !== undefined) throw new Error(`{{${text}}}: two formats`);
      assertFormat(mod);
      format = mod;
    }
  }
  return { kind: "number", id: id!, ...(format ? { format } : {}), show };
}
