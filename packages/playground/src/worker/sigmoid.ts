/**
 * The sigmoid and the chain rule: one neuron ŷ = σ(w₁x₁ + w₂x₂ + b) with the cost C = ½(ŷ − y)²,
 * its forward values and the backward gradient ∂C/∂node at every node, all from deriva's
 * autodiff (the leaves by backward(), the inner nodes by grad of the rest of the graph), and the
 * second derivative by differentiating a gradient again.
 */
import { grad, linspace, sigmoid, type Tensor, tensor } from "deriva";
import type { Methods } from "./protocol";

const f64 = (value: number, requiresGrad = false) => tensor(value, { dtype: "float64", requiresGrad });

/** The cost from ŷ onwards. */
const costOf = (yHat: Tensor, y: number) => yHat.sub(y).square().mul(0.5);

export async function sigmoidGraph({
  x,
  w,
  b,
  y,
}: Methods["sigmoid"]["args"]): Promise<Methods["sigmoid"]["result"]> {
  const [x1, x2, w1, w2, bias] = [
    f64(x[0], true),
    f64(x[1], true),
    f64(w[0], true),
    f64(w[1], true),
    f64(b, true),
  ];
  const z = w1.mul(x1).add(w2.mul(x2)).add(bias);
  const yHat = sigmoid(z);
  const c = costOf(yHat, y);
  c.backward();
  const zValue = await z.readItem();
  const yHatValue = await yHat.readItem();
  const dYHat = grad((p: Tensor) => costOf(p, y))(yHatValue);
  const dZ = grad((s: Tensor) => costOf(sigmoid(s), y))(zValue);
  const leaf = async (name: string, t: Tensor) => ({
    name,
    value: await t.readItem(),
    grad: await t.grad!.readItem(),
  });
  const nodes = [
    await leaf("x₁", x1),
    await leaf("x₂", x2),
    await leaf("w₁", w1),
    await leaf("w₂", w2),
    await leaf("b", bias),
    { name: "z", value: zValue, grad: await dZ.readItem() },
    { name: "ŷ", value: yHatValue, grad: await dYHat.readItem() },
    { name: "C", value: await c.readItem(), grad: 1 },
  ];
  // ∂²C/∂w₁²: the derivative of ∂C/∂w₁, itself a differentiable function of w₁
  const costOfW1 = (v: Tensor) => costOf(sigmoid(v.mul(x[0]).add(w[1] * x[1] + b)), y);
  const secondW1 = await grad(grad(costOfW1))(w[0]).readItem();

  const zs = linspace(-6, 6, 121, { dtype: "float64" });
  const sum = (s: Tensor) => sigmoid(s).sum();
  const d1 = grad(sum);
  const d2 = grad((s: Tensor) => d1(s).sum());
  return {
    nodes,
    secondW1,
    curves: {
      zs: Array.from(await zs.read()),
      sigma: Array.from(await sigmoid(zs).read()),
      d1: Array.from(await d1(zs).read()),
      d2: Array.from(await d2(zs).read()),
    },
  };
}
