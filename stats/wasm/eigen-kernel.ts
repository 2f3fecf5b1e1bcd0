// The WebAssembly eigen kernels (stats/wasm/eigen-kernel.as.ts) instantiated once per thread, and a workspace
// in their memory: f64 views for an n x n problem, grown (never shrunk) as larger n come along.
import { eigenKernelWasm } from "./eigen-kernel.wasm.js";

interface KernelExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  tridiagonalize(n: number, S: number, d: number, e: number, hk: number, p: number): void;
  qlEigenvalues(n: number, d: number, e: number): number;
  backTransform(n: number, count: number, S: number, hk: number, Z: number): void;
  addLowRank(n: number, count: number, X: number, Z: number, w: number): void;
  orthonormalize(n: number, Z: number, from: number, to: number, v: number): void;
  inverseIteration(n: number, p: number, diag: number, off: number, lambda: number, clusterGap: number, tiny: number, Z: number, lu: number, z: number): void;
}

/** Views of one problem's arrays in the kernel's memory, and their byte offsets for the kernel calls. */
export interface EigenWorkspace {
  n: number;
  /** n x n: the matrix in, the reflectors out. */
  S: Float64Array;
  /** Diagonal and off-diagonal of the tridiagonal (then QL's work arrays), reflector scalars, scratch. */
  d: Float64Array;
  e: Float64Array;
  hk: Float64Array;
  /** Up to n vectors of length n, as rows. */
  Z: Float64Array;
  /** n x n, and n weights: a low-rank update X + sum_k w_k z_k z_k'. */
  X: Float64Array;
  w: Float64Array;
  /** One vector of length n (scratch). */
  v: Float64Array;
  /** The tridiagonal kept for inverse iteration (QL consumes d and e). */
  td: Float64Array;
  te: Float64Array;
  at: { S: number; d: number; e: number; hk: number; p: number; Z: number; X: number; w: number; v: number; td: number; te: number; lu: number };
  kernel: KernelExports;
}

let kernel: KernelExports | null = null;
let workspace: EigenWorkspace | null = null;

function instance(): KernelExports {
  // Synchronous compile: the module is 9 KB, and each thread compiles it once.
  kernel ??= new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(eigenKernelWasm, "base64"))).exports as unknown as KernelExports;
  return kernel;
}

/** The workspace for an n x n problem (valid until the next call with another n). */
export function eigenWorkspace(n: number): EigenWorkspace {
  const k = instance();
  if (workspace && workspace.n === n && workspace.S.buffer === k.memory.buffer) return workspace;
  const base = k.heapBase();
  const nn = n * n;
  const at = {
    S: base, d: base + 8 * nn, e: base + 8 * (nn + n), hk: base + 8 * (nn + 2 * n), p: base + 8 * (nn + 3 * n),
    Z: base + 8 * (nn + 4 * n), X: base + 8 * (2 * nn + 4 * n), w: base + 8 * (3 * nn + 4 * n), v: base + 8 * (3 * nn + 5 * n),
    td: base + 8 * (3 * nn + 6 * n), te: base + 8 * (3 * nn + 7 * n), lu: base + 8 * (3 * nn + 8 * n),
  };
  const bytes = at.lu + 8 * 5 * n;
  const have = k.memory.buffer.byteLength;
  if (bytes > have) k.memory.grow(Math.ceil((bytes - have) / 65536));
  const buf = k.memory.buffer;
  workspace = {
    n, at, kernel: k,
    S: new Float64Array(buf, at.S, nn), d: new Float64Array(buf, at.d, n), e: new Float64Array(buf, at.e, n),
    hk: new Float64Array(buf, at.hk, n), Z: new Float64Array(buf, at.Z, nn),
    X: new Float64Array(buf, at.X, nn), w: new Float64Array(buf, at.w, n), v: new Float64Array(buf, at.v, n),
    td: new Float64Array(buf, at.td, n), te: new Float64Array(buf, at.te, n),
  };
  return workspace;
}
