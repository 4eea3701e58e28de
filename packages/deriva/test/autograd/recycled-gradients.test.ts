/**
 * A backward walk hands the memory of the gradients it is done with to the next large results
 * (autograd/walk-buffers.ts, tensor/result-pool.ts). Nothing a caller can still reach may be
 * handed out again: these tests keep every gradient a walk returns and the forward tensors they
 * hold, run more passes of the same sizes (which draw on the recycled memory), and check that
 * what they kept is unchanged.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { gradients } from "../../src/autograd/graph.js";
import {
  add,
  grad,
  linear,
  manualSeed,
  onesLike,
  randn,
  relu,
  type Tensor,
  valueAndGrad,
} from "../../src/index.js";
import { pooledResultBytes, releasePooledResults } from "../../src/tensor/result-pool.js";

/** Leaves of a small network with results well above the 4 KB the pool starts at. */
function leaves() {
  return {
    x: randn([64, 96], { requiresGrad: true }),
    w: randn([128, 96], { requiresGrad: true }),
    p: randn([64, 128], { requiresGrad: true }),
    q: randn([64, 128], { requiresGrad: true }),
  };
}

/**
 * A cost whose walk passes one gradient on to two inputs (p + q), meets a tensor used twice
 * (h·h), goes through views (reshape) and sums: the shapes recycling must get right. Returns the
 * forward tensors too, as a caller holding them would.
 */
function cost({ x, w, p, q }: ReturnType<typeof leaves>) {
  const h = relu(linear(x, w));
  const shared = p.add(q);
  const mixed = h.mul(h).add(shared.mul(h)).reshape([128, 64]);
  return { cost: mixed.mul(x.sum()).sum(), h, shared };
}

const snapshot = (ts: readonly (Tensor | null)[]) => ts.map((t) => Array.from(t!.data()));

/** Three more forward and backward passes of the same sizes on fresh leaves. */
function churn(): void {
  for (let round = 0; round < 3; round++) cost(leaves()).cost.backward();
}

describe("recycled gradient memory", () => {
  beforeEach(() => {
    manualSeed(7);
    releasePooledResults();
  });

  it("a backward pass recycles the gradients it is done with, and the next results take them", () => {
    cost(leaves()).cost.backward();
    const pooled = pooledResultBytes();
    expect(pooled).toBeGreaterThan(0);
    cost(leaves());
    expect(pooledResultBytes()).toBeLessThan(pooled);
  });

  it("leaves .grad, and the forward tensors the caller holds, untouched", () => {
    const first = leaves();
    const { cost: c, h, shared } = cost(first);
    c.backward();
    const grads = [first.x.grad, first.w.grad, first.p.grad, first.q.grad];
    const kept = snapshot([...grads, h, shared]);
    churn();
    expect(snapshot([...grads, h, shared])).toEqual(kept);
    // p and q got the same gradient through the sum: both still hold it
    expect(kept[2]).toEqual(kept[3]);
  });

  it("leaves the gradients grad and valueAndGrad return untouched", () => {
    const ps = leaves();
    const f = (x: Tensor, w: Tensor, p: Tensor, q: Tensor) => cost({ x, w, p, q }).cost;
    const [value, gs] = valueAndGrad(f, { argnums: [0, 1, 2, 3] })(ps.x, ps.w, ps.p, ps.q);
    const gx = grad(f)(ps.x, ps.w, ps.p, ps.q) as Tensor;
    const kept = snapshot([value, ...gs, gx]);
    churn();
    expect(snapshot([value, ...gs, gx])).toEqual(kept);
  });

  it("keeps a gradient that one input takes while another, not wanted, would drop it", () => {
    // x + w with w requiring grad but not asked for: the sum's rule gives both the same gradient
    const w = randn([64, 128], { requiresGrad: true });
    const f = (x: Tensor) => x.add(w).mul(2).sum();
    const [, gx] = valueAndGrad(f)(randn([64, 128]));
    const kept = snapshot([gx]);
    churn();
    expect(snapshot([gx])).toEqual(kept);
    expect(new Set(kept[0])).toEqual(new Set([2]));
  });

  it("keeps the gradient of a wanted tensor that the walk goes on through", () => {
    // the engine's gradients() with an intermediate target y = 3x: its gradient is handed out and
    // also passed on to x
    const x = randn([64, 128], { requiresGrad: true });
    const y = x.mul(3);
    const root = y.mul(y).sum();
    const [gy, gx] = gradients(root, onesLike(root), [y, x], false, { add });
    const kept = snapshot([gy!, gx!]);
    churn();
    expect(snapshot([gy!, gx!])).toEqual(kept);
    const ys = Array.from(y.data());
    for (let i = 0; i < ys.length; i++) expect(kept[0]![i]).toBeCloseTo(2 * ys[i]!, 4);
  });

  it("keeps the gradients a recorded walk needs for a second derivative", () => {
    const x = randn([64, 96]);
    const slope = grad((t: Tensor) => t.mul(t).mul(t).sum());
    const curvature = grad((t: Tensor) => (slope(t) as Tensor).sum());
    // the inner walk of curvature records a graph (its gradients live on in it); the outer one recycles
    const gx = slope(x) as Tensor;
    const ggx = curvature(x) as Tensor;
    const kept = snapshot([gx, ggx]);
    churn();
    expect(snapshot([gx, ggx])).toEqual(kept);
    // d/dx Σx³ = 3x², and d/dx Σ3x² = 6x
    const xs = Array.from(x.data());
    for (let i = 0; i < xs.length; i++) {
      expect(kept[0]![i]).toBeCloseTo(3 * xs[i]! ** 2, 4);
      expect(kept[1]![i]).toBeCloseTo(6 * xs[i]!, 4);
    }
  });

  it("empties the pool once nothing was recycled for a second", async () => {
    cost(leaves()).cost.backward();
    expect(pooledResultBytes()).toBeGreaterThan(0);
    await new Promise((done) => setTimeout(done, 1500));
    expect(pooledResultBytes()).toBe(0);
  });
});
