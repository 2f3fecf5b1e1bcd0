// `cofail certify --audit` on a user's own file with answer and gold columns: the all-wrong items with evidence and
// class, the certificate on the raw and on the audited verdicts, --json carrying all of it, and clear flag errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { certifyCommand } from "../../certify/command.js";
import type { AuditedCertificate } from "../../certify/audit.js";

const BASE = { level: "0.95", side: "two-sided", samplePolicy: "first" };

/** 6 models x 8 items: q1-q6 solved by someone; q7: 5 of 6 say 12 (gold 21); q8: one answer is 10,080 written differently. */
async function userFile(withAnswers = true): Promise<string> {
  const models = ["a", "b", "c", "d", "e", "f"];
  const lines = [withAnswers ? "item_id,model,sample,correct,answer,gold" : "item_id,model,sample,correct"];
  models.forEach((m, k) => {
    for (let i = 1; i <= 6; i++) lines.push(withAnswers ? `q${i},${m},0,${(i + k) % 3 === 0 ? 1 : 0},x,y` : `q${i},${m},0,${(i + k) % 3 === 0 ? 1 : 0}`);
    if (withAnswers) {
      lines.push(`q7,${m},0,0,${k < 5 ? "12" : "3"},21`);
      lines.push(`q8,${m},0,0,"${k === 0 ? "10080" : String(k)}","10,\\!080"`);
    } else {
      lines.push(`q7,${m},0,0`, `q8,${m},0,0`);
    }
  });
  const dir = await mkdtemp(join(tmpdir(), "cofail-certify-audit-"));
  const f = join(dir, "mine.csv");
  await writeFile(f, lines.join("\n") + "\n");
  return f;
}

test("--audit classes each all-wrong item and certifies the audited verdicts", async () => {
  const f = await userFile();
  const json = JSON.parse(await certifyCommand([f], { ...BASE, audit: true, auditParam: ["consensusMinModels=3"], overhead: "0.02", json: true })) as AuditedCertificate;
  const cls = Object.fromEntries(json.audit.items.map((i) => [i.evidence.item, i.verdict.class]));
  assert.equal(cls.q7, "reference error");
  assert.equal(cls.q8, "grader defect");
  assert.equal(json.raw.allWrong, json.audit.raw.allWrong);
  assert.equal(json.audited.allWrong, json.raw.allWrong - 2);
  assert.ok(json.audited.certificate.verdict !== undefined);
  const q7 = json.audit.items.find((i) => i.evidence.item === "q7")!;
  assert.deepEqual(q7.evidence.modal, { answer: "12", count: 5, share: 5 / 6 });
  const text = await certifyCommand([f], { ...BASE, audit: "math", auditParam: ["consensusMinModels=3"] });
  assert.match(text, /q7: gold 21; 5\/6 answer 12.*-> reference error/);
  assert.match(text, /certificate on the audited verdicts:/);
});

test("--audit errors name the flag or the missing columns", async () => {
  await assert.rejects(certifyCommand([await userFile(false)], { ...BASE, audit: true }), /mine\.csv: --audit needs the columns answer and gold/);
  const f = await userFile();
  await assert.rejects(certifyCommand([f], { ...BASE, audit: "code" }), /--audit takes math or choice/);
  await assert.rejects(certifyCommand([f], { ...BASE, audit: true, auditParam: ["share=0.5"] }), /--audit-param: unknown key "share"/);
  await assert.rejects(certifyCommand([f], { ...BASE, audit: true, auditParam: ["consensusShare=1.5"] }), /--audit-param consensusShare: /);
  await assert.rejects(certifyCommand([f], { ...BASE, audit: true, auditParam: ["consensusShare"] }), /--audit-param expects key=value/);
  await assert.rejects(certifyCommand([f], { ...BASE, auditParam: ["consensusShare=0.5"] }), /--audit-param needs --audit/);
});
