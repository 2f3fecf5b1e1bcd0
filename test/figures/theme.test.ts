import { test } from "node:test";
import assert from "node:assert/strict";
import { ROLE_COLOURS } from "../../figures/theme.js";

test("theme: one colour per role, no two roles share one", () => {
  const colours = Object.values(ROLE_COLOURS).map((c) => c.toLowerCase());
  assert.equal(new Set(colours).size, colours.length, JSON.stringify(ROLE_COLOURS));
});
