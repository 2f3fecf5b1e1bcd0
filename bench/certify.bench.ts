/**
 * Benchmark: `cofail certify` on a 100-model x 100 000-item generic-format CSV (ten million rows,
 * item_id,model,sample,correct), generated in a temp dir from a seeded one-factor probit model, then certified
 * through the same function the CLI calls (streaming reader + stats core). Prints file size, generation
 * time and certify time (parse + certificate), and the certificate's beta as a sanity check.
 * Run: node --import tsx -e 'import("./bench/certify.bench.ts").then((m) => m.benchCertify())'
 */
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { once } from "node:events";
import { certifyFiles } from "../certify/certificate.js";
import { uniformStream } from "../stats/mulberry32.js";

export interface CertifyBench {
  models: number;
  items: number;
  rows: number;
  bytes: number;
  generateMs: number;
  certifyMs: number;
  /** CPU time of the certify call (user + system, all threads): wall time on a shared machine is noisy. */
  certifyCpuMs: number;
  beta: number;
  maxGain: number;
}

/** Writes item-major rows: every model's verdict on item 0, then item 1, … (how harness exports look). */
export async function writeSyntheticResults(path: string, options: { models: number; items: number; seed: number }): Promise<number> {
  const { models: M, items: N } = options;
  const u = uniformStream(options.seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  const loading = Array.from({ length: M }, () => 0.3 + 0.5 * u());
  const tau = Array.from({ length: M }, () => -1.2 + 1.6 * u());
  const names = Array.from({ length: M }, (_, m) => `model-${String(m).padStart(3, "0")}`);
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  out.write("item_id,model,sample,correct\n");
  let buf = "";
  for (let i = 0; i < N; i++) {
    const f = normal();
    const id = `item-${String(i).padStart(6, "0")}`;
    for (let m = 0; m < M; m++) {
      const z = loading[m]! * f + Math.sqrt(1 - loading[m]! ** 2) * normal();
      buf += `${id},${names[m]},0,${z < tau[m]! ? 0 : 1}\n`;
    }
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, "drain");
      buf = "";
    }
  }
  out.end(buf);
  await once(out, "finish");
  return M * N;
}

export async function benchCertify(options: { models?: number; items?: number } = {}): Promise<CertifyBench> {
  const models = options.models ?? 100;
  const items = options.items ?? 100_000;
  const dir = await mkdtemp(join(tmpdir(), "cofail-certify-bench-"));
  try {
    const file = join(dir, "results.csv");
    const t0 = performance.now();
    const rows = await writeSyntheticResults(file, { models, items, seed: 20260625 });
    const generateMs = performance.now() - t0;
    const bytes = (await stat(file)).size;
    const t1 = performance.now();
    const cpu0 = process.cpuUsage();
    const cert = await certifyFiles([file], { samplePolicy: "first", level: 0.95, side: "two-sided" });
    const certifyMs = performance.now() - t1;
    const cpu = process.cpuUsage(cpu0);
    const certifyCpuMs = (cpu.user + cpu.system) / 1000;
    const result = { models, items, rows, bytes, generateMs, certifyMs, certifyCpuMs, beta: cert.beta, maxGain: cert.maxGain };
    console.log(`certify ${models} models x ${items} items (${rows} rows, ${(bytes / 1e6).toFixed(0)} MB CSV): ` +
      `${(certifyMs / 1000).toFixed(2)} s wall, ${(certifyCpuMs / 1000).toFixed(2)} s CPU (generate ${(generateMs / 1000).toFixed(1)} s); beta ${cert.beta.toFixed(5)}, max gain ${cert.maxGain.toFixed(4)}`);
    return result;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
