/**
 * Gradient check of a whole module: the autodiff gradients of Σ forward(x)·v with respect to the
 * input and every parameter, against central finite differences, in float64. (The public gradcheck
 * takes a function of its inputs; a module's parameters live inside it, so they are perturbed in place.)
 */
import { Generator, type nn, noGrad, type Tensor, tensor } from "../../src/index.js";

export interface ModuleCheck {
  ok: boolean;
  worst: string;
  checked: number;
}

export function gradcheckModule(
  module: nn.Module,
  input: Tensor,
  opts: { before?: () => void; eps?: number; atol?: number; rtol?: number } = {},
): ModuleCheck {
  const eps = opts.eps ?? 1e-6;
  const atol = opts.atol ?? 1e-6;
  const rtol = opts.rtol ?? 1e-4;
  module.to("float64");
  const x = tensor(input.storage, { shape: input.shape, dtype: "float64", requiresGrad: true });
  const run = (): Tensor => {
    opts.before?.();
    return module.forward(x);
  };
  const out = run();
  const generator = new Generator(99);
  const v = tensor(
    Float64Array.from({ length: out.size }, () => 0.5 + generator.uniform()),
    { shape: out.shape },
  );
  module.zeroGrad();
  out.mul(v).sum().backward();
  const targets: [string, Tensor][] = [["input", x], ...module.namedParameters()];
  let worst = "";
  let checked = 0;
  for (const [name, t] of targets) {
    const analytic = t.grad?.storage ?? new Float64Array(t.size);
    for (let j = 0; j < t.size; j++) {
      const original = t.storage[j]!;
      t.storage[j] = original + eps;
      const plus = noGrad(() => run().mul(v).sum().item());
      t.storage[j] = original - eps;
      const minus = noGrad(() => run().mul(v).sum().item());
      t.storage[j] = original;
      const numeric = (plus - minus) / (2 * eps);
      checked++;
      if (!(Math.abs(analytic[j]! - numeric) <= atol + rtol * Math.abs(numeric)) && !worst) {
        worst = `${name}[${j}]: autodiff ${analytic[j]} vs finite differences ${numeric}`;
      }
    }
  }
  return { ok: worst === "", worst, checked };
}
