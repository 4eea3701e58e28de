/** The op-checking helper must be able to fail: a wrong value, a wrong derivative, an underivable derivative. */
import { describe, expect, it } from "vitest";
import { mul, pow, type Tensor, tensor } from "../../src/index.js";
import { apply, type OpDef } from "../../src/ops/op.js";
import { checkOp } from "./check-op.js";

/** x³ with a derivative rule given by `rule`. */
function cube(rule: (g: Tensor, x: Tensor) => Tensor): (x: Tensor) => Tensor {
  const def: OpDef<null> = {
    name: "cube",
    forward: ([x]) =>
      tensor(
        Float64Array.from(x!.storage, (v) => v ** 3),
        { shape: [...x!.shape] },
      ),
    vjp: (g, [x]) => [rule(g, x!)],
  };
  return (x) => apply(def, [x], null);
}

const rightRule = (g: Tensor, x: Tensor) => mul(g, mul(pow(x, 2), 3));
const base = { label: "x³", inputs: [[1, -2, 0.5]], expected: [1, -8, 0.125] };

describe("checkOp", () => {
  it("passes a correct op", () => {
    checkOp({ ...base, f: cube(rightRule) });
  });

  it("fails on a wrong value", () => {
    expect(() => checkOp({ ...base, f: cube(rightRule), expected: [1, -8, 0.2] })).toThrow(/element 2/);
  });

  it("fails on a wrong first derivative", () => {
    expect(() => checkOp({ ...base, f: cube((g, x) => mul(g, mul(pow(x, 2), 2))) })).toThrow(/first order/);
  });

  it("fails on a derivative rule computed outside the graph (no second derivative)", () => {
    const detached = (g: Tensor, x: Tensor) => mul(g, tensor(Float64Array.from(x.storage, (v) => 3 * v * v)));
    expect(() => checkOp({ ...base, f: cube(detached) })).toThrow(/second order/);
  });
});
