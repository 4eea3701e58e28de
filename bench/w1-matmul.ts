/**
 * W1: C = A·B, float32, square n. A and B uniform in [−1, 1) from mulberry32 seeds 1 and 2. One
 * repeat = inner = max(1, round(1e8 / 2n³)) back-to-back products, each leaving C on the host
 * (tfjs: dataSync(), then the result is disposed); two untimed warm-up calls, then 10 repeats
 * (3 when one repeat takes over 2 s). Check: 32 seeded entries of C against a float64 dot
 * product, relative error < 1e-3.
 */
import { data, matmul, type Tensor, tensor } from "deriva";
import { CheckFailed } from "./lib/check.js";
import { activate, loadTfjs, type Peer, peerName } from "./lib/peers.js";
import type { Row, Table } from "./lib/report.js";
import { rates, timed } from "./lib/stats.js";

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

/**
 * Times `product` (which leaves C on the host) and checks its last result, read by `read`.
 * deriva's product is a host array already; tfjs's product includes dataSync().
 */
function measure<C>(
  n: number,
  repeats: number,
  product: () => C,
  read: (c: C) => ArrayLike<number>,
  a: Float32Array,
  b: Float32Array,
  who: string,
) {
  const inner = Math.max(1, Math.round(1e8 / (2 * n ** 3)));
  product();
  let c = product();
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t = timed(() => {
      for (let i = 0; i < inner; i++) c = product();
    });
    times.push(t / inner);
    if (t > 2 && times.length >= 3) break; // slow peers: 3 repeats
  }
  check(n, a, b, read(c), who);
  return rates((2 * n ** 3) / 1e9, times);
}

export async function runW1(
  peers: readonly Peer[],
  sizes: readonly number[],
  repeats: number,
): Promise<Table[]> {
  const tables: Table[] = [];
  for (const n of sizes) {
    const a = uniformMatrix(n, 1);
    const b = uniformMatrix(n, 2);
    const rows: Row[] = [];
    for (const peer of peers) {
      await activate(peer);
      const who = `${peerName(peer)} (${peer.threads} threads)`;
      if (peer.lib === "deriva") {
        const A = tensor(a, { shape: [n, n] });
        const B = tensor(b, { shape: [n, n] });
        // the product's values are a host array already: nothing to read back inside the loop
        const value = measure(
          n,
          repeats,
          () => matmul(A, B),
          (c: Tensor) => c.data(),
          a,
          b,
          who,
        );
        rows.push({ peer: peerName(peer), threads: peer.threads, value });
      } else {
        const tf = await loadTfjs();
        const A = tf.tensor2d(a, [n, n]);
        const B = tf.tensor2d(b, [n, n]);
        const value = measure(
          n,
          repeats,
          () => {
            const c = tf.matMul(A, B);
            const values = c.dataSync();
            c.dispose();
            return values;
          },
          (values) => values,
          a,
          b,
          who,
        );
        A.dispose();
        B.dispose();
        rows.push({ peer: peerName(peer), threads: peer.threads, value });
      }
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
