/**
 * The reverse-mode engine: order the recorded graph topologically, walk it from the output back
 * to the inputs applying each node's vector-Jacobian product, and add up the contributions that
 * meet at a tensor used more than once. It knows no op: nodes carry their own derivative rules.
 */
import { add } from "../ops/elementwise.js";
import { onesLike } from "../tensor/creation.js";
import { formatShape, shapesEqual } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import { withGradMode } from "./mode.js";

/** Tensors reachable from root through recorded nodes, each after all of its inputs (post-order). */
function postOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<Tensor>([root]);
  // iterative depth-first search: long chains (10⁵ ops) must not overflow the call stack
  const stack: [Tensor, number][] = [[root, 0]];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const [t, next] = top;
    const inputs = t.node?.inputs ?? [];
    if (next < inputs.length) {
      top[1]++;
      const input = inputs[next]!;
      if (input.requiresGrad && !seen.has(input)) {
        seen.add(input);
        stack.push([input, 0]);
      }
    } else {
      stack.pop();
      order.push(t);
    }
  }
  return order;
}

/**
 * Backpropagates `seed` (the gradient of root) through the graph and returns the gradient of every
 * tensor accepted by `wanted` that root depends on. With createGraph the backward ops are recorded
 * too, so the returned gradients can be differentiated again.
 */
function propagate(
  root: Tensor,
  seed: Tensor,
  wanted: (t: Tensor) => boolean,
  createGraph: boolean,
): Map<Tensor, Tensor> {
  const order = postOrder(root);
  // only tensors on a path to a wanted tensor need gradients
  const relevant = new Set<Tensor>();
  for (const t of order) {
    if (wanted(t) || t.node?.inputs.some((input) => relevant.has(input))) relevant.add(t);
  }
  const grads = new Map<Tensor, Tensor>([[root, seed]]);
  withGradMode(createGraph, () => {
    for (let i = order.length - 1; i >= 0; i--) {
      const t = order[i]!;
      const g = grads.get(t);
      if (!g || !t.node || !relevant.has(t)) continue;
      const inputGrads = t.node.vjp(g);
      t.node.inputs.forEach((input, j) => {
        const gi = inputGrads[j];
        if (!gi || !relevant.has(input)) return;
        if (!shapesEqual(gi.shape, input.shape)) {
          throw new Error(
            `backward: the derivative rule of ${t.node!.name} gave a gradient of shape ${formatShape(gi.shape)} for an input of shape ${formatShape(input.shape)}`,
          );
        }
        const existing = grads.get(input);
        grads.set(input, existing ? add(existing, gi) : gi);
      });
      if (!wanted(t)) grads.delete(t); // intermediate gradients are not needed any more
    }
  });
  return grads;
}

/** The gradients of root with respect to each target (null where root does not depend on it). */
export function gradients(
  root: Tensor,
  seed: Tensor,
  targets: readonly Tensor[],
  createGraph: boolean,
): (Tensor | null)[] {
  const targetSet = new Set(targets);
  const grads = propagate(root, seed, (t) => targetSet.has(t), createGraph);
  return targets.map((t) => grads.get(t) ?? null);
}

/**
 * t.backward(seed): accumulates d(t)/d(leaf) into `.grad` of every leaf that requires grad
 * (a leaf is a tensor not produced by a recorded op). seed defaults to 1 for a one-element t.
 */
export function backward(root: Tensor, seed?: Tensor): void {
  if (!root.requiresGrad) {
    throw new Error(
      "backward: this tensor does not require grad (no input that requires grad was used to compute it)",
    );
  }
  let g = seed;
  if (!g) {
    if (root.size !== 1) {
      throw new Error(
        `backward: a seed gradient is needed for a tensor of shape ${formatShape(root.shape)} (only one-element tensors default to 1)`,
      );
    }
    g = onesLike(root);
  } else if (!shapesEqual(g.shape, root.shape)) {
    throw new Error(
      `backward: seed of shape ${formatShape(g.shape)} does not match the tensor's shape ${formatShape(root.shape)}`,
    );
  }
  const isLeaf = (t: Tensor): boolean => t.node === null && t.requiresGrad;
  const grads = propagate(root, g, isLeaf, false);
  for (const [t, grad] of grads) {
    if (isLeaf(t)) t.grad = t.grad ? withGradMode(false, () => add(t.grad!, grad)) : grad;
  }
}
