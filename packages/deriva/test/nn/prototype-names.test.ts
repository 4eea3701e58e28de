/**
 * Names that are members of Object.prototype, in state dicts built or read by the library: they are
 * looked up as own properties, never found on the prototype, and never replace it.
 */
import { describe, expect, it } from "vitest";
import { nn, optim, type Tensor, tensor, zeros } from "../../src/index.js";

/** The own property `key` (reading `state.__proto__` would give the prototype). */
function ownTensor(state: Record<string, Tensor>, key: string): Tensor {
  return Object.getOwnPropertyDescriptor(state, key)?.value as Tensor;
}

class Odd extends nn.Module {
  constructor() {
    super();
    this.registerParameter("constructor", zeros([2]));
    this.registerParameter("__proto__", zeros([3]));
  }

  forward(x: Tensor): Tensor {
    return x;
  }
}

describe("Object.prototype names in state dicts", () => {
  it("a module's stateDict keeps parameters named constructor and __proto__ as own entries", () => {
    const state = new Odd().stateDict();
    expect(Object.keys(state)).toEqual(["constructor", "__proto__"]);
    expect(Object.getPrototypeOf(state)).toBe(Object.prototype);
    expect(ownTensor(state, "__proto__").shape).toEqual([3]);
  });

  it("loadStateDict finds them only as own properties", () => {
    const model = new Odd();
    expect(() => model.loadStateDict({})).toThrow(/missing constructor, __proto__/);
    const state = Object.fromEntries([
      ["constructor", tensor([1, 2])],
      ["__proto__", tensor([3, 4, 5])],
    ]);
    model.loadStateDict(state);
    expect(ownTensor(model.stateDict(), "__proto__").toArray()).toEqual([3, 4, 5]);
  });

  it("an optimizer state with an option named constructor or __proto__ is refused, the options untouched", () => {
    const w = tensor([1], { requiresGrad: true });
    const sgd = new optim.SGD([w], { lr: 0.1 });
    const dict = sgd.stateDict();
    for (const key of ["constructor", "__proto__", "toString"]) {
      const options = JSON.parse(`{"lr": 0.5, "${key}": {"polluted": true}}`);
      expect(() => sgd.loadStateDict({ ...dict, options })).toThrow(`unknown option "${key}"`);
    }
    expect(sgd.lr).toBe(0.1);
    expect((sgd.options as unknown as Record<string, unknown>).polluted).toBeUndefined();
  });
});
