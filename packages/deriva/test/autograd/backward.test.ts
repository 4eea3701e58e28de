/** Tape-style reverse mode: t.backward(), .grad on leaves, fan-out, detach, noGrad. */
import { describe, expect, it } from "vitest";
import { add, exp, maximum, minimum, mul, noGrad, pow, type Tensor, tensor, zeros } from "../../src/index.js";
import { apply, type OpDef } from "../../src/ops/op.js";

const leaf = (data: number[], dtype: "float32" | "float64" = "float64") =>
  tensor(data, { dtype, requiresGrad: true });

describe("backward", () => {
  it("fills .grad of the leaves that require grad, and only theirs", () => {
    const x = leaf([1, 2]);
    const c = tensor([3, 4], { dtype: "float64" });
    const h = mul(x, c);
    h.sum().backward();
    expect(x.grad!.toArray()).toEqual([3, 4]);
    expect(c.grad).toBeNull();
    expect(h.grad).toBeNull(); // intermediate results keep no gradient
  });

  it("accumulates into .grad across calls", () => {
    const x = leaf([3]);
    x.mul(x).sum().backward();
    x.mul(x).sum().backward();
    expect(x.grad!.toArray()).toEqual([12]);
  });

  it("adds up the paths of a tensor used more than once (fan-out)", () => {
    const x = leaf([2]);
    const y = add(mul(x, x), x); // 2x + 1
    const z = mul(y, y); // d/dx = 2y(2x + 1) = 2·6·5
    z.sum().backward();
    expect(x.grad!.item()).toBe(60);
  });

  it("sums a broadcast operand's gradient back to its shape", () => {
    const bias = leaf([1, 2, 3]);
    const m = zeros([4, 3], { dtype: "float64" });
    add(m, bias).sum().backward();
    expect(bias.grad!.toArray()).toEqual([4, 4, 4]);
    expect(bias.grad!.shape).toEqual([3]);
  });

  it("takes a seed for non-scalar outputs", () => {
    const x = leaf([1, 2, 3]);
    x.mul(2).backward(tensor([1, 10, 100], { dtype: "float64" }));
    expect(x.grad!.toArray()).toEqual([2, 20, 200]);
  });

  it("detach cuts the graph: no gradient flows through the detached copy", () => {
    const x = leaf([3]);
    const y = mul(x.detach(), x); // d/dx = value of the detached factor only
    y.sum().backward();
    expect(x.grad!.item()).toBe(3);
    expect(x.detach().requiresGrad).toBe(false);
    expect(x.detach().toArray()).toEqual([3]);
  });

  it("noGrad records nothing and restores recording afterwards, even after a throw", () => {
    const x = leaf([1]);
    const y = noGrad(() => exp(x));
    expect(y.requiresGrad).toBe(false);
    expect(() => y.backward()).toThrow(/does not require grad/);
    expect(() =>
      noGrad(() => {
        throw new Error("inside");
      }),
    ).toThrow("inside");
    expect(exp(x).requiresGrad).toBe(true);
  });

  it("refuses requiresGrad on int32 tensors", () => {
    expect(() => tensor([1], { dtype: "int32", requiresGrad: true })).toThrow(/only float tensors.*int32/);
    const t = tensor([1], { dtype: "int32" });
    expect(() => {
      t.requiresGrad = true;
    }).toThrow(/requiresGrad/);
  });

  it("splits the gradient evenly on ties: maximum, minimum and max over an axis", () => {
    const a = leaf([1, 2, 3]);
    const b = leaf([1, 5, 0]);
    add(maximum(a, b), minimum(a, b).mul(10)).sum().backward();
    expect(a.grad!.toArray()).toEqual([5.5, 10, 1]);
    expect(b.grad!.toArray()).toEqual([5.5, 1, 10]);
    const x = leaf([4, 1, 4]);
    x.max().backward();
    expect(x.grad!.toArray()).toEqual([0.5, 0, 0.5]);
  });

  it("gives the exponent of a non-positive base a zero gradient, not NaN", () => {
    const base = tensor([-2, 0, 2], { dtype: "float64" });
    const exponent = leaf([2, 2, 2]);
    pow(base, exponent).sum().backward();
    expect(exponent.grad!.toArray()).toEqual([0, 0, 4 * Math.LN2]);
  });

  it("keeps the gradient in float32 for float32 leaves", () => {
    const x = leaf([0.5], "float32");
    x.mul(x).sum().backward();
    expect(x.grad!.dtype).toBe("float32");
    expect(x.grad!.item()).toBe(1);
  });

  it("walks a long chain (20,000 ops) without overflowing the stack", () => {
    const x = leaf([1]);
    let y: Tensor = x;
    for (let i = 0; i < 20_000; i++) y = y.add(1);
    y.sum().backward();
    expect(x.grad!.item()).toBe(1);
  });

  it("names the op whose rule gives a gradient of the wrong shape, and holds on to no gradient after", () => {
    const broken: OpDef<null> = {
      name: "broken",
      forward: ([t]) => t!.detach(),
      vjp: () => [tensor([1, 2, 3], { dtype: "float64" })],
    };
    const x = leaf([1, 2]);
    const y = x.mul(2);
    const z = y.mul(3);
    const w = z.mul(1);
    // the walk meets the broken rule after the add has handed a gradient to both of its inputs
    const out = add(apply(broken, [z], null), w).sum();
    expect(() => out.backward()).toThrow(
      "backward: the derivative rule of broken gave a gradient of shape [3] for an input of shape [2]",
    );
    for (const t of [x, y, z, w, out]) expect(t.walkGrad).toBeNull();
    expect(x.grad).toBeNull();
    z.sum().backward(); // the next walk starts clean
    expect(x.grad!.toArray()).toEqual([6, 6]);
  });
});
