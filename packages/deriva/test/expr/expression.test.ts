import { describe, expect, it } from "vitest";
import { grad, hessian, parseExpression, type Tensor, tensor } from "../../src/index.js";

describe("parseExpression", () => {
  it("is a differentiable function of its variables in alphabetical order", () => {
    const f = parseExpression("x^2 - 4x + 6");
    expect(f.variables).toEqual(["x"]);
    expect(f(8).item()).toBe(38);
    expect(f(8).dtype).toBe("float64");
    expect((grad(f)(8) as Tensor).item()).toBe(12);
    expect(hessian(f as (x: Tensor) => Tensor)(8).item()).toBe(2);
  });

  it("binds variables by position, by name, or from a vector", () => {
    const rosenbrock = parseExpression("(1-x)^2 + 100(y-x^2)^2");
    expect(rosenbrock.variables).toEqual(["x", "y"]);
    expect(rosenbrock(1, 1).item()).toBe(0);
    expect(rosenbrock.at({ y: 1, x: -1.2 }).item()).toBeCloseTo(24.2, 12);
    expect(rosenbrock.atVector(tensor([-1.2, 1], { dtype: "float64" })).item()).toBeCloseTo(24.2, 12);
    const g = grad((v: Tensor) => rosenbrock.atVector(v))(tensor([-1.2, 1], { dtype: "float64" })) as Tensor;
    const [gx, gy] = Array.from(g.data());
    expect(gx).toBeCloseTo(-215.6, 10);
    expect(gy).toBeCloseTo(-88, 10);
    expect(rosenbrock.atNumbers([-1.2, 1])).toBeCloseTo(24.2, 12);
  });

  it("broadcasts over tensors like any op", () => {
    const f = parseExpression("3x + 1");
    expect(f(tensor([0, 1, 2], { dtype: "float64" })).toArray()).toEqual([1, 4, 7]);
  });

  it("uses pi and e as numbers and folds constant expressions", () => {
    expect(parseExpression("cos(pi)").atNumbers([])).toBe(-1);
    expect(parseExpression("log(e)")().item()).toBe(1);
  });

  it("says what is missing when called with the wrong values", () => {
    const f = parseExpression("x + y");
    expect(() => f(1)).toThrow(/expected 2 value\(s\) for \(x, y\), got 1/);
    expect(() => f.at({ x: 1 })).toThrow(/no value for y/);
    expect(() => f.atVector(tensor([1, 2, 3], { dtype: "float64" }))).toThrow(/3 element\(s\).*2 variables/);
  });

  it("prints itself simplified", () => {
    expect(String(parseExpression("x*x - 4*x*1 + 6 + 0"))).toBe("x^2 - 4*x + 6");
  });
});
