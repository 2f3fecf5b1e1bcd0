import { test } from "node:test";
import assert from "node:assert/strict";
import { ROLE_COLOURS } from "../../figures/theme.js";

test("theme: one colour per role, no two roles share one", () => {
  const colours = Object.values(ROLE_COLOURS).map((c) => c.toLowerCase());
  assert.equal(new Set(colours).size, colours.length, JSON.stringify(ROLE_COLOURS));
});

test("theme: figure code takes its colours from the theme (no colour literal outside figures/theme.ts)", async () => {
  const { readdirSync, readFileSync } = await import("node:fs");
  const root = new URL("../../", import.meta.url);
  const files = [
    ...readdirSync(new URL("stages/", root)).filter((f) => f.endsWith(".ts")).map((f) => `stages/${f}`),
    ...readdirSync(new URL("figures/", root)).filter((f) => f.endsWith(".ts") && f !== "theme.ts").map((f) => `figures/${f}`),
  ];
  const offenders = files.flatMap((f) => {
    const text = readFileSync(new URL(f, root), "utf8");
    return [...text.matchAll(/["'`]#[0-9a-fA-F]{3,8}["'`]/g)].map((m) => `${f}: ${m[0]}`);
  });
  assert.deepEqual(offenders, []);
});

test("theme: the roles the paper's figures share are all there", async () => {
  const { ROLE_COLOURS: R } = await import("../../figures/theme.js");
  for (const role of ["bestSingle", "vote", "oracle", "router", "observed", "fullCopula", "singleFactor"]) assert.ok(role in R, role);
});
