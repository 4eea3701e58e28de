/** The README's tour, runnable: `npx tsx examples/tour.ts`. */
import { grad, hessian, jacobian, loss, sigmoid, type Tensor, tensor } from "deriva";

// Tensors: float32 by default, NumPy broadcasting, PyTorch-style methods.
const a = tensor([
  [1, 2],
  [3, 4],
]);
console.log(
  a
    .matmul(a.T)
    .add(tensor([10, 20]))
    .toArray(),
); // [[15, 31], [21, 45]]

// The founding document's function y = x² − 4x + 6 and its derivatives, to any order.
const f = (x: Tensor) => x.pow(2).sub(x.mul(4)).add(6);
console.log(grad(f)(8).item()); // 12: dy/dx = 2x − 4
console.log(hessian(f)(8).item()); // 2

// Rosenbrock's Hessian at its minimum (1, 1).
const rosenbrock = (v: Tensor) => {
  const [x, y] = [v.slice([0], [1]), v.slice([1], [2])];
  return x
    .neg()
    .add(1)
    .pow(2)
    .add(y.sub(x.pow(2)).pow(2).mul(100))
    .sum();
};
console.log(hessian(rosenbrock)(tensor([1, 1], { dtype: "float64" })).toArray()); // [[802, -400], [-400, 200]]

// The sigmoid's derivative σ(z)(1 − σ(z)), by autodiff; the Jacobian of a vector function.
console.log(grad((z: Tensor) => sigmoid(z).sum())(tensor([0, 2], { dtype: "float64" })).toArray());
console.log(jacobian((v: Tensor) => v.mul(v))(tensor([1, 2, 3])).toArray()); // diag(2, 4, 6)

// Tape style, as in PyTorch: a sigmoid neuron's quadratic cost, backward, gradients on the leaves.
const w = tensor([0.5, -0.3], { requiresGrad: true });
const cost = loss.quadratic(sigmoid(a.matmul(w)), tensor([1, 0]));
cost.backward();
console.log(cost.item(), w.grad?.toArray());
