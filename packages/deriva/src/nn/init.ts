/**
 * PyTorch's default initialization for Linear and Conv2d: weights by kaiming_uniform with
 * a = √5, whose bound gain·√(3 / fan_in) with gain = √(2 / (1 + a²)) simplifies to 1/√fan_in, and
 * biases uniform in the same ±1/√fan_in. Drawn from the global generator (manualSeed).
 */
import { rand, type Tensor } from "../core.js";
import { fromValues } from "../tensor/storage.js";

/** A float32 tensor of `shape` with elements uniform in [−bound, bound), as torch's uniform_(−b, b). */
export function uniform(shape: readonly number[], bound: number): Tensor {
  const u = rand(shape, { dtype: "float64" }).data();
  const values = new Float32Array(u.length);
  for (let i = 0; i < values.length; i++) values[i] = -bound + 2 * bound * u[i]!;
  return fromValues(values, shape);
}

/** The bound 1/√fan_in shared by the default weight and bias initializations. */
export function fanInBound(fanIn: number): number {
  return fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
}
