/**
 * jax-js (npm @jax-js/jax) for the workloads: loading it on its wasm device, and the jitted SGD
 * step that W2, W3 and W4 train with (@jax-js/optax is not on npm, so the update is written out:
 * p ← p − lr·g for every leaf). jax-js functions consume their array arguments: a value used
 * again is passed as `.ref` (tree.ref for a tree of parameters).
 */
import type { Array as JaxArray, JsTree } from "@jax-js/jax";

export type Jax = typeof import("@jax-js/jax");
export type { JaxArray };

let jax: Jax | null = null;

/** jax-js with its wasm device started and made the default, or an Error when it is not installed. */
export async function loadJax(): Promise<Jax> {
  if (jax) return jax;
  const module = await import("@jax-js/jax");
  // init() with no argument probes WebGPU through navigator, which Node 20 does not have
  await module.init("wasm");
  module.defaultDevice("wasm");
  jax = module;
  return module;
}

/** Mean softmax cross-entropy of `logits` [N, C] against int32 class `labels` [N]. */
export function crossEntropy(jax: Jax, logits: JaxArray, labels: JaxArray, classes: number): JaxArray {
  return jax.nn.logSoftmax(logits).mul(jax.nn.oneHot(labels, classes)).sum(1).mean().mul(-1);
}

/**
 * One jitted training step: the cost of `params` on the inputs and its gradient (valueAndGrad),
 * then every parameter moved by −lr·gradient. Consumes its arguments; returns the cost and the
 * new parameters.
 */
export function jitSgdStep<P extends JsTree<JaxArray>, I extends JaxArray[]>(
  jax: Jax,
  cost: (params: P, ...inputs: I) => JaxArray,
  lr: number,
): (params: P, ...inputs: I) => [JaxArray, P] {
  // jax-js's types map every argument tree to its input form; these steps pass arrays only
  type Step = (params: P, ...inputs: I) => [JaxArray, P];
  const valueAndGrad = jax.valueAndGrad(cost) as unknown as (params: P, ...inputs: I) => [JaxArray, P];
  const step = (params: P, ...inputs: I): [JaxArray, P] => {
    const [value, grads] = valueAndGrad(jax.tree.ref(params), ...inputs);
    return [value, jax.tree.map((p: JaxArray, g: JaxArray) => p.sub(g.mul(lr)), params, grads) as P];
  };
  return jax.jit(step) as unknown as Step;
}
