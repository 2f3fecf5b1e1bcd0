// The WebAssembly orthant kernel (stats/wasm/orthant-kernel.as.ts) instantiated once per thread, with the normal
// tables copied into its memory, and a workspace for a d-dimensional problem (grown, never shrunk).
import { NORMAL_TABLES } from "../normal-table.js";
import { orthantKernelWasm } from "./orthant-kernel.wasm.js";

interface KernelExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  latticeSum(d: number, n: number, b: number, mu: number, L: number, q: number, x: number, zw: number, tables: number, out: number,
    cv: number, a: number, c: number, v: number): void;
}

/** Views of one problem's arrays in the kernel's memory, and their byte offsets. */
export interface OrthantWorkspace {
  d: number;
  b: Float64Array;
  mu: Float64Array;
  /** Strict lower triangle of the scaled Cholesky factor, packed by rows. */
  L: Float64Array;
  q: Float64Array;
  x: Float64Array;
  a: Float64Array;
  c: Float64Array;
  v: Float64Array;
  out: Float64Array;
  /** Sums n lattice points of the current shift x (advanced in place): out[0] = sum f pairs, out[1] = sum g pairs. */
  sum(n: number, controlVariate: boolean): void;
}

let kernel: KernelExports | null = null;
let workspace: OrthantWorkspace | null = null;

function instance(): KernelExports {
  if (kernel) return kernel;
  const k = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(orthantKernelWasm, "base64"))).exports as unknown as KernelExports;
  const need = k.heapBase() + NORMAL_TABLES.byteLength;
  if (need > k.memory.buffer.byteLength) k.memory.grow(Math.ceil((need - k.memory.buffer.byteLength) / 65536));
  new Float64Array(k.memory.buffer, k.heapBase(), NORMAL_TABLES.length).set(NORMAL_TABLES);
  kernel = k;
  return k;
}

/** The workspace for a d-dimensional problem (valid until the next call with another d). */
export function orthantWorkspace(d: number): OrthantWorkspace {
  const k = instance();
  if (workspace && workspace.d === d && workspace.b.buffer === k.memory.buffer) return workspace;
  const tables = k.heapBase();
  const tri = (d * (d - 1)) / 2;
  const align = (bytes: number) => Math.ceil(bytes / 16) * 16;
  let next = tables + align(NORMAL_TABLES.byteLength);
  const take = (doubles: number) => { const at = next; next += align(8 * Math.max(1, doubles)); return at; };
  const at = { b: take(d), mu: take(d), L: take(tri), q: take(d), x: take(d), a: take(d), c: take(d), v: take(d), out: take(2), zw: take(8 * d) };
  if (next > k.memory.buffer.byteLength) k.memory.grow(Math.ceil((next - k.memory.buffer.byteLength) / 65536));
  const buf = k.memory.buffer;
  const view = (offset: number, length: number) => new Float64Array(buf, offset, length);
  workspace = {
    d, b: view(at.b, d), mu: view(at.mu, d), L: view(at.L, tri), q: view(at.q, d), x: view(at.x, d),
    a: view(at.a, d), c: view(at.c, d), v: view(at.v, d), out: view(at.out, 2),
    sum: (n, controlVariate) => k.latticeSum(d, n, at.b, at.mu, at.L, at.q, at.x, at.zw, tables, at.out, controlVariate ? 1 : 0, at.a, at.c, at.v),
  };
  return workspace;
}
