import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { gzipSync } from "node:zlib";
import { VERIFIED_FILE, materializeAll, materializeFile } from "../../engine/fetch.js";
import type { ManifestEntry } from "../../engine/manifest.js";

const tmp = mkdtempSync(join(tmpdir(), "cofail-fetch-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

const content = Buffer.from('[{"id": 0, "answer": "42"}]\n');
const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

function entry(over: Partial<ManifestEntry> = {}): ManifestEntry {
  return {
    path: "ds/raw/a.json", mirror: "ds/raw/a.json", gzip: false, url: "http://127.0.0.1:1/ds/a.json",
    sha256: sha(content), bytes: content.length, license: "MIT", dataset: "ds", source_repo: "https://github.com/o/r", commit: "c0",
    ...over,
  };
}

function setup(name: string) {
  const dir = join(tmp, name);
  const mirror = join(dir, "mirror");
  mkdirSync(join(mirror, "ds/raw"), { recursive: true });
  writeFileSync(join(mirror, "ds/raw/a.json"), content);
  writeFileSync(join(mirror, "ds/raw/a.json.gz"), gzipSync(content));
  return { dir, mirror, downloadsDir: "downloads", projectDir: dir };
}

test("mirror, plain file: copied, verified, recorded in the stat cache", async () => {
  const s = setup("plain");
  const f = await materializeFile(entry(), s);
  assert.equal(f.name, "ds/raw/a.json");
  assert.equal(f.path, join(s.dir, "downloads/ds/raw/a.json"));
  assert.equal(f.sha256, sha(content));
  assert.equal(f.meta?.license, "MIT");
  assert.deepEqual(readFileSync(f.path), content);
  const cache = JSON.parse(readFileSync(join(s.dir, "downloads", VERIFIED_FILE), "utf8"));
  assert.equal(cache["ds/raw/a.json"].sha256, sha(content));
  assert.deepEqual(readdirSync(join(s.dir, "downloads/ds/raw")), ["a.json"], "no temp file left behind");
});

test("mirror, gzipped file: decompressed, hash of the uncompressed bytes", async () => {
  const s = setup("gz");
  const f = await materializeFile(entry({ mirror: "ds/raw/a.json.gz", gzip: true }), s);
  assert.deepEqual(readFileSync(f.path), content);
});

test("a verified copy is reused via the stat cache (mirror no longer needed)", async () => {
  const s = setup("reuse");
  await materializeFile(entry(), s);
  rmSync(s.mirror, { recursive: true });
  const f = await materializeFile(entry(), s);
  assert.deepEqual(readFileSync(f.path), content);
});

test("sha256 mismatch: error names file, expected and actual; an earlier good copy survives", async () => {
  const s = setup("mismatch");
  const good = await materializeFile(entry(), s);
  const before = statSync(good.path);
  // The mirror now holds different bytes and the manifest expects yet another hash: the fetch must fail.
  writeFileSync(join(s.mirror, "ds/raw/a.json"), "tampered");
  const wrong = "0".repeat(64);
  await assert.rejects(materializeFile(entry({ sha256: wrong }), s), (e: Error) => {
    assert.match(e.message, /sha256 mismatch for ds\/raw\/a\.json/);
    assert.match(e.message, new RegExp(`expected ${wrong}`));
    assert.match(e.message, new RegExp(`got ${sha(Buffer.from("tampered"))}`));
    return true;
  });
  assert.deepEqual(readFileSync(good.path), content, "the good copy is untouched");
  assert.equal(statSync(good.path).ino, before.ino);
  assert.deepEqual(readdirSync(join(s.dir, "downloads/ds/raw")), ["a.json"], "no temp file left behind");
});

test("a corrupted local copy is detected (stat changed) and replaced from the mirror", async () => {
  const s = setup("corrupt");
  const f = await materializeFile(entry(), s);
  writeFileSync(f.path, "garbage that is longer than before...........");
  await materializeFile(entry(), s);
  assert.deepEqual(readFileSync(f.path), content);
});

test("file missing from the mirror: clear error", async () => {
  const s = setup("missing");
  await assert.rejects(materializeFile(entry({ path: "ds/raw/b.json", mirror: "ds/raw/b.json" }), s), /data file ds\/raw\/b\.json is not in the mirror/);
});

test("an empty file verifies like any other (hash of zero bytes)", async () => {
  const s = setup("empty");
  writeFileSync(join(s.mirror, "ds/raw/empty.json"), "");
  const f = await materializeFile(entry({ path: "ds/raw/empty.json", mirror: "ds/raw/empty.json", sha256: sha(Buffer.alloc(0)), bytes: 0 }), s);
  assert.equal(statSync(f.path).size, 0);
});

test("download path: served by a local HTTP server; 404 is a clear error; materializeAll keeps order", async () => {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url!);
    if (req.url === "/ds/a.json") { res.writeHead(200); res.end(content); return; }
    if (req.url === "/ds/c.json") { res.writeHead(200); res.end("c"); return; }
    res.writeHead(404, "Not Found"); res.end("nope");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  try {
    const port = (server.address() as AddressInfo).port;
    const s = setup("download");
    const opts = { downloadsDir: "downloads", projectDir: s.dir };
    const a = entry({ url: `http://127.0.0.1:${port}/ds/a.json` });
    const f = await materializeFile(a, opts);
    assert.deepEqual(readFileSync(f.path), content);
    await assert.rejects(materializeFile(entry({ path: "ds/raw/x.json", url: `http://127.0.0.1:${port}/ds/x.json` }), opts),
      /download of ds\/raw\/x\.json from http:\/\/127\.0\.0\.1:\d+\/ds\/x\.json failed: HTTP 404 Not Found/);
    const c = entry({ path: "ds/raw/c.json", url: `http://127.0.0.1:${port}/ds/c.json`, sha256: sha(Buffer.from("c")), bytes: 1 });
    const all = await materializeAll([c, a], { ...opts, concurrency: 2 });
    assert.deepEqual(all.map((x) => x.name), ["ds/raw/c.json", "ds/raw/a.json"]);
    assert.equal(hits.filter((h) => h === "/ds/a.json").length, 1, "the verified copy of a.json was reused, not downloaded again");
    const cache = JSON.parse(readFileSync(join(s.dir, "downloads", VERIFIED_FILE), "utf8"));
    assert.deepEqual(Object.keys(cache), ["ds/raw/a.json", "ds/raw/c.json"]);
  } finally {
    await new Promise((r) => server.close(r));
  }
});

test("a file compiled for the mirror (no source URL): read from the mirror; without one, the error says where to get it", async () => {
  const s = setup("compiled");
  const compiled = entry({ url: null, source_repo: null, commit: null, note: "compiled from three errata lists (see ds/README.md)" });
  const f = await materializeFile(compiled, s);
  assert.equal(readFileSync(f.path, "utf8"), content.toString());
  const noMirror = setup("compiled-no-mirror");
  await assert.rejects(materializeFile(compiled, { ...noMirror, mirror: "" }),
    /data file ds\/raw\/a\.json has no source URL \(compiled from three errata lists \(see ds\/README\.md\)\): set data\.mirror in pipeline\.yaml or COFAIL_DATA_MIRROR/);
});
