// Small HTML helpers shared by the renderer modules.

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** An id/anchor fragment from arbitrary text: keeps [A-Za-z0-9._-], so result ids stay readable. */
export function anchor(prefix: string, text: string): string {
  return `${prefix}-${text.replace(/[^A-Za-z0-9._-]/g, "_")}`;
}

export function shortHash(hash: string | undefined, length = 12): string {
  if (!hash) return "?";
  const bare = hash.replace(/^sha256:/, "");
  return bare.length > length ? bare.slice(0, length) : bare;
}

/** Stable JSON for display: keys sorted, so the same params print the same way every run. */
export function stableJson(value: unknown): string {
  if (value === undefined) return "";
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, (v as Record<string, unknown>)[k]]))
      : v);
}
