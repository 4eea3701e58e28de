/**
 * W1: C = A·B, float32, square n. A and B uniform in [−1, 1) from mulberry32 seeds 1 and 2. One
 * repeat = inner = max(1, round(1e8 / 2n³)) back-to-back products, each leaving C on the host
 * (tfjs: dataSync(), then the result is disposed; jax-js: a jitted matmul and dataSync(); PyTorch:
 * torch.mm in bench/pytorch/peer.py, on the same matrices for every n); untimed warm-up calls for a
 * quarter of a second (at least two: a fresh process's first tens of megabytes of results fault
 * their pages in, which on a virtual machine costs more than a small product),
 * then 10 repeats (3 when one repeat takes over 2 s). Check: 32 seeded entries of C against a
 * float64 dot product, relative error < 1e-3.
 */
import { data, matmul, tensor } from "deriva";
import { CheckFailed } from "./lib/check.js";
import { type JaxArray, loadJax } from "./lib/jax.js";
import { activate, loadTfjs, type Peer, peerLabel, type TorchPeer } from "./lib/peers.js";
import { type Row, rowOf, type Table } from "./lib/report.js";
import { rates, timed } from "./lib/stats.js";
import type { TorchOutput } from "./lib/torch.js";

const { mulberry32 } = data;

function uniformMatrix(n: number, seed: number): Float32Array {
  const rand = mulberry32(seed);
  const out = new Float32Array(n * n);
  for (let i = 0; i < out.length; i++) out[i] = 2 * rand() - 1;
  return out;
}

function check(n: number, a: Float32Array, b: Float32Array, c: ArrayLike<number>, who: string): void {
  const rand = mulberry32(3);
  for (let s = 0; s < 32; s++) {
    const i = Math.floor(rand() * n);
    const j = Math.floor(rand() * n);
    let ref = 0;
    for (let p = 0; p < n; p++) ref += a[i * n + p]! * b[p * n + j]!;
    const error = Math.abs(c[i * n + j]! - ref) / Math.abs(ref);
    if (!(error < 1e-3))
      throw new CheckFailed(`W1 ${who} n=${n}: C[${i},${j}] = ${c[i * n + j]}, float64 gives ${ref}`);
  }
}

/** The number of back-to-back products in one timed repeat. */
function innerCount(n: number): number {
  return Math.max(1, Math.round(1e8 / (2 * n ** 3)));
}

/** Seconds per product over the repeats (3 when one repeat takes over 2 s). */
function timeProducts(n: number, repeats: number, product: () => void): number[] {
  const inner = innerCount(n);
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t = timed(() => {
      for (let i = 0; i < inner; i++) product();
    });
    times.push(t / inner);
    if (t > 2 && times.length >= 3) break; // slow peers: 3 repeats
  }
  return times;
}

/**
 * A product that leaves C on the host (deriva's values are a host array already; tfjs's and
 * jax-js's products include the read-back), the last C, and what to release afterwards.
 */
interface Product {
  run(): void;
  last(): ArrayLike<number>;
  release(): void;
}

/** Untimed calls of a product for WARM_UP_SECONDS, and at least two. */
const WARM_UP_SECONDS = 0.25;

/** Times `product` after its warm-up calls; the seconds per product and the last C. */
function measure(n: number, repeats: number, product: Product) {
  const start = performance.now();
  for (let calls = 0; calls < 2 || performance.now() - start < WARM_UP_SECONDS * 1000; calls++) product.run();
  const times = timeProducts(n, repeats, () => product.run());
  return { times, c: product.last() };
}

async function product(
  peer: Exclude<Peer, { lib: "torch" }>,
  n: number,
  a: Float32Array,
  b: Float32Array,
): Promise<Product> {
  if (peer.lib === "deriva") {
    const A = tensor(a, { shape: [n, n] });
    const B = tensor(b, { shape: [n, n] });
    let c = matmul(A, B);
    return {
      run: () => {
        c = matmul(A, B);
      },
      last: () => c.data(),
      release: () => {},
    };
  }
  if (peer.lib === "jax") {
    const { jit, numpy: np } = await loadJax();
    const A = np.array(a).reshape([n, n]);
    const B = np.array(b).reshape([n, n]);
    const mm = jit((x: JaxArray, y: JaxArray) => np.matmul(x, y));
    let c: ArrayLike<number> = [];
    return {
      // the jitted product consumes its arguments (hence .ref), and dataSync() consumes C
      run: () => {
        c = mm(A.ref, B.ref).dataSync();
      },
      last: () => c,
      release: () => {
        A.dispose();
        B.dispose();
        mm.dispose();
      },
    };
  }
  const tf = await loadTfjs();
  const A = tf.tensor2d(a, [n, n]);
  const B = tf.tensor2d(b, [n, n]);
  let c: ArrayLike<number> = [];
  return {
    run: () => {
      const product = tf.matMul(A, B);
      c = product.dataSync();
      product.dispose();
    },
    last: () => c,
    release: () => tf.dispose([A, B]),
  };
}

/** PyTorch's W1 for every size in one child process: seconds per product and the last C, by n. */
async function torchProducts(peer: TorchPeer, sizes: readonly number[], repeats: number) {
  const arrays = Object.fromEntries(
    sizes.flatMap((n) => [
      [`a${n}`, { values: uniformMatrix(n, 1), shape: [n, n] }],
      [`b${n}`, { values: uniformMatrix(n, 2), shape: [n, n] }],
    ]),
  );
  const cases = sizes.map((n) => ({ n, inner: innerCount(n) }));
  const result = await peer.runner.run<{ sizes: { n: number; seconds: number[]; c: TorchOutput }[] }>(
    "w1",
    peer.threads,
    { repeats, sizes: cases },
    arrays,
  );
  return new Map(result.sizes.map((s) => [s.n, { times: s.seconds, c: peer.runner.read(s.c) }]));
}

export async function runW1(
  peers: readonly Peer[],
  sizes: readonly number[],
  repeats: number,
): Promise<Table[]> {
  const fromTorch = new Map<Peer, Awaited<ReturnType<typeof torchProducts>>>();
  for (const peer of peers)
    if (peer.lib === "torch") fromTorch.set(peer, await torchProducts(peer, sizes, repeats));
  const tables: Table[] = [];
  for (const n of sizes) {
    const a = uniformMatrix(n, 1);
    const b = uniformMatrix(n, 2);
    const rows: Row[] = [];
    for (const peer of peers) {
      await activate(peer);
      let result: { times: number[]; c: ArrayLike<number> };
      if (peer.lib === "torch") result = fromTorch.get(peer)!.get(n)!;
      else {
        const p = await product(peer, n, a, b);
        result = measure(n, repeats, p);
        p.release();
      }
      check(n, a, b, result.c, peerLabel(peer));
      rows.push({ ...rowOf(peer), value: rates((2 * n ** 3) / 1e9, result.times) });
    }
    tables.push({
      title: `W1 matmul n=${n}`,
      unit: "GFLOP/s",
      higherIsBetter: true,
      rows,
      method: `median of ≤ ${repeats} repeats`,
    });
  }
  return tables;
}
