// Registry ids are "<pool>.<quantity>[.<variant>]" with lower-case, dot-separated parts; names from the data
// (graders "judge:qwen2.5-7b", model names) must not inject dots, so each part is reduced to [a-z0-9_-].

/** One id part from a free-form name: lower-case, runs of other characters -> "-", trimmed of "-". */
export function idPart(name: string): string {
  const s = name.toLowerCase().replace(/[^a-z0-9_-]+/g, "-").replace(/^-+|-+$/g, "");
  if (s === "") throw new Error(`idPart: "${name}" has no letters or digits to build a result id from`);
  return s;
}
