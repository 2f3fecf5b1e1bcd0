// Minimal glob -> RegExp: `**` crosses "/", `*` and `?` do not, `{a,b}` alternates. Enough for
// manifest paths and stage-id patterns without pulling in a glob library.
export function globToRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*") {
      if (glob[i + 1] === "*") {
        i++;
        if (glob[i + 1] === "/") { i++; re += "(?:.*/)?"; } else re += ".*";
      } else re += "[^/]*";
    } else if (c === "?") re += "[^/]";
    else if (c === "{") {
      const end = glob.indexOf("}", i);
      if (end < 0) { re += "\\{"; continue; }
      re += "(?:" + glob.slice(i + 1, end).split(",").map(escapeRegExp).join("|") + ")";
      i = end;
    } else re += escapeRegExp(c);
  }
  return new RegExp(`^${re}$`);
}

export function isGlob(s: string): boolean {
  return /[*?{]/.test(s);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.+^$()|[\]\\]/g, "\\$&");
}
