/** gradcheck itself: passes right derivatives, reports wrong ones and non-finite values. */
import { describe, expect, it } from "vitest";
import { gradcheck, type Tensor, tensor } from "../../src/index.js";
import { apply, type OpDef } from "../../src/ops/op.js";

describe("gradcheck", () => {
  it("passes a correct derivative, for scalar and vector outputs", () => {
    const scalar = gradcheck((x) => x.pow(3).sum(), [tensor([0.5, -1.5])]);
    expect(scalar.ok).toBe(true);
    expect(scalar.maxAbsError).toBeLessThan(1e-6);
    expect(gradcheck((x, y) => x.mul(y).exp(), [tensor([0.5, 1]), tensor([2, -1])]).ok).toBe(true);
  });

  it("reports a wrong derivative with the element that fails", () => {
    const wrong: OpDef<null> = {
      name: "wrongSquare",
      forward: ([x]) =>
        tensor(
          Float64Array.from(x!.storage, (v) => v * v),
          { shape: [...x!.shape] },
        ),
      vjp: (g, [x]) => [g.mul(x!)], // should be 2x
    };
    const result = gradcheck((x: Tensor) => apply(wrong, [x], null).sum(), [tensor([1, 2])]);
    expect(result.ok).toBe(false);
    expect(result.maxRelError).toBeCloseTo(0.5, 3);
    expect(result.message).toMatch(/input 0, flat index 0: autodiff 1 vs finite differences 2/);
  });

  it("allows NaN and Infinity in tensor() data, and reports them", () => {
    const withNaN = tensor([1, Number.NaN]);
    expect(Number.isNaN(withNaN.data()[1]!)).toBe(true);
    const nanInput = gradcheck((x) => x.sum(), [withNaN]);
    expect(nanInput.ok).toBe(false);
    expect(nanInput.message).toMatch(/input 0 holds NaN at flat index 1/);
    const infInput = gradcheck((x) => x.sum(), [tensor([Infinity])]);
    expect(infInput.ok).toBe(false);
    expect(infInput.message).toMatch(/Infinity/);
  });

  it("reports a derivative that is not finite", () => {
    const result = gradcheck((x) => x.sqrt().sum(), [tensor([0, 1])]);
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/Infinity|NaN/);
  });
});
