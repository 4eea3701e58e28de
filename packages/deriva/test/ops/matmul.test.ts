/** matmul kernels against a naive triple loop: every transposition, vector shapes, tile edges, batches. */
import { expect, it } from "vitest";
import { grad, manualSeed, matmul, randn, type Tensor } from "../../src/index.js";
import { matmulT } from "../../src/ops/linalg.js";
import { describeEachBackend } from "../helpers/backends.js";
import { expectClose } from "../helpers/check-op.js";

/** C[b] = op(A[b])·op(B[b]) computed directly from the stored layouts. */
function naive(a: Tensor, b: Tensor, transA: boolean, transB: boolean): number[] {
  const [batch, ar, ac] = a.shape as [number, number, number];
  const [, br, bc] = b.shape as [number, number, number];
  const [m, k] = transA ? [ac, ar] : [ar, ac];
  const n = transB ? br : bc;
  const av = a.data();
  const bv = b.data();
  const out: number[] = [];
  for (let t = 0; t < batch; t++)
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let kk = 0; kk < k; kk++) {
          const x = av[t * ar * ac + (transA ? kk * ac + i : i * ac + kk)]!;
          const y = bv[t * br * bc + (transB ? j * bc + kk : kk * bc + j)]!;
          s += x * y;
        }
        out.push(s);
      }
  return out;
}

describeEachBackend("matmul kernels", () => {
  it.each([
    [1, 1, 1],
    [5, 3, 1], // matrix · vector
    [1, 3, 6], // vector · matrix
    [4, 4, 4],
    [7, 5, 9], // tiles that stick out on both sides
    [3, 17, 2],
    [16, 1, 16], // k = 1: outer product
  ])("m=%i k=%i n=%i, batch 2, every transposition", (m, k, n) => {
    manualSeed(m * 100 + k * 10 + n);
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const a = randn(transA ? [2, k, m] : [2, m, k], { dtype: "float64" });
        const b = randn(transB ? [2, n, k] : [2, k, n], { dtype: "float64" });
        const c = matmulT(a, b, transA, transB);
        expect(c.shape).toEqual([2, m, n]);
        const want = naive(a, b, transA, transB);
        const got = c.data();
        for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThan(1e-12);
      }
    }
  });
});

describeEachBackend("matrix-vector products", () => {
  it("give a vector's gradient alone (one matrix-vector product) as they give it beside the matrix's, to second order", () => {
    manualSeed(21);
    const v = randn([4], { dtype: "float64" });
    const c = randn([3], { dtype: "float64" });
    const m = randn([3, 4], { dtype: "float64" });
    const mT = randn([4, 3], { dtype: "float64" });
    const products: [string, (x: Tensor, w: Tensor) => Tensor, Tensor][] = [
      ["[3, 4] @ [4]", (x, w) => matmul(x, w), m],
      ["[4, 3]ᵀ @ [4]", (x, w) => matmulT(x, w, true, false), mT],
      ["[4] @ [4, 3]", (x, w) => matmul(w, x), mT],
      ["[4] @ [3, 4]ᵀ", (x, w) => matmulT(w, x, false, true), m],
    ];
    for (const [label, product, x] of products) {
      // nonlinear in w, so that the second derivative runs through the first one's products
      const f = (xx: Tensor, w: Tensor) => product(xx, w).tanh().mul(c).sum();
      const alone = grad(f, { argnums: 1 }) as (x: Tensor, w: Tensor) => Tensor;
      const besideX = (xx: Tensor, w: Tensor) => (grad(f, { argnums: [0, 1] })(xx, w) as Tensor[])[1]!;
      expect(alone(x, v).shape, label).toEqual([4]);
      expectClose(alone(x, v), besideX(x, v).toArray());
      const sumOfSquares = (d: (x: Tensor, w: Tensor) => Tensor) => (xx: Tensor, w: Tensor) =>
        d(xx, w).pow(2).sum();
      const second = (d: (x: Tensor, w: Tensor) => Tensor) =>
        grad(sumOfSquares(d), { argnums: 1 }) as (x: Tensor, w: Tensor) => Tensor;
      expectClose(second(alone)(x, v), second(besideX)(x, v).toArray());
    }
  });
});
