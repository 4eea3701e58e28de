/**
 * The reverse-mode engine: order the recorded graph topologically, walk it from the output back
 * to the inputs applying each node's vector-Jacobian product, and add up the contributions that
 * meet at a tensor used more than once. It knows no op: nodes carry their own derivative rules,
 * and the caller supplies how two gradients add up (the op layer's differentiable add), so the
 * engine sits below the ops it walks.
 */
import { onesLike } from "../tensor/creation.js";
import { swapGradMode } from "../tensor/grad-mode.js";
import { formatShape, shapesEqual } from "../tensor/shape.js";
import type { GradNode, Tensor } from "../tensor/tensor.js";
import { describeTensor, versionClock } from "../tensor/version.js";
import { WalkBuffers } from "./walk-buffers.js";

/** Numbers the graph walks, for the marks they leave on tensors (walkSeen, walkRelevant). */
let walks = 0;

/** The sum of two gradients of one tensor (a differentiable op, so that a recorded walk records it). */
export type AddGradients = (a: Tensor, b: Tensor) => Tensor;

/**
 * A chain of recorded ops differentiated in one step: the gradients of the inputs of its first op,
 * given the gradient of its last op's output. `inner` are the tensors between the ops, which feed
 * nothing else, so the walk never reaches them.
 */
export interface ChainVjp {
  readonly inner: readonly Tensor[];
  readonly inputs: readonly Tensor[];
  readonly grads: readonly (Tensor | null)[];
}

/**
 * The chain that ends at t, differentiated given t's gradient g, or null to apply t's own rule.
 * `alone(u)` says whether u is an input of exactly one op of the walk and no gradient of u is
 * wanted: only such tensors may be passed over.
 */
export type ChainRule = (t: Tensor, g: Tensor, alone: (u: Tensor) => boolean) => ChainVjp | null;

/**
 * What the op layer lends the walk, which knows no op: how two gradients add up, and the chains of
 * ops it differentiates in one step where no graph is recorded (a convolution, relu and pooling
 * in one backend call, say: the same derivative, without the gradients in between).
 */
export interface WalkRules {
  readonly add: AddGradients;
  readonly chain?: ChainRule;
}

/**
 * The tensors that lie on a path from root back to a wanted tensor, each after all of its inputs
 * (post-order), marked with walkRelevant = walk. Only these need a gradient: the rest is skipped.
 */
function relevantPostOrder(root: Tensor, wanted: (t: Tensor) => boolean, walk: number): Tensor[] {
  const order: Tensor[] = [];
  root.walkSeen = walk;
  root.walkUses = 0;
  // iterative depth-first search: long chains (10⁵ ops) must not overflow the call stack
  const stack: Tensor[] = [root];
  const nextInput: number[] = [0];
  while (stack.length > 0) {
    const top = stack.length - 1;
    const t = stack[top]!;
    const inputs = t.node?.inputs;
    const next = nextInput[top]!;
    if (inputs && next < inputs.length) {
      nextInput[top] = next + 1;
      const input = inputs[next]!;
      if (input.requiresGrad && input.walkSeen !== walk) {
        input.walkSeen = walk;
        input.walkUses = 0;
        stack.push(input);
        nextInput.push(0);
      }
      continue;
    }
    stack.pop();
    nextInput.pop();
    // every input was left before t is (the graph has no cycles), so their relevance is known
    let relevant = wanted(t);
    if (!relevant && inputs) for (const input of inputs) if (input.walkRelevant === walk) relevant = true;
    if (relevant) {
      t.walkRelevant = walk;
      order.push(t);
      if (inputs) for (const input of inputs) if (input.walkRelevant === walk) input.walkUses++;
    }
  }
  return order;
}

/**
 * Backpropagates `seed` (the gradient of root) through the graph and hands the gradient of every
 * tensor accepted by `wanted` that root depends on to `collect`, once it is complete. With
 * createGraph the backward ops are recorded too, so the gradients can be differentiated again.
 * Gradients gather in the tensors' walkGrad slots rather than in a Map (no hashing per edge of
 * the small graphs that dominate dispatch cost), and each slot is emptied once its tensor is passed.
 * (Derivative rules only run ops, never another walk, so the marks stay valid until it ends.) A
 * walk that records nothing hands the memory of the gradients it is done with to the next
 * results (walk-buffers.ts).
 */
function propagate(
  root: Tensor,
  seed: Tensor,
  wanted: (t: Tensor) => boolean,
  createGraph: boolean,
  rules: WalkRules,
  collect: (t: Tensor, g: Tensor) => void,
): void {
  const walk = ++walks;
  const order = relevantPostOrder(root, wanted, walk);
  if (root.walkRelevant !== walk) return;
  root.walkGrad = seed;
  const lastWrite = versionClock();
  const previousMode = swapGradMode(createGraph);
  const buffers = createGraph ? null : new WalkBuffers();
  const { add } = rules;
  // a recorded walk applies every op's own rule, so that each gradient differentiates again
  const chain = createGraph ? undefined : rules.chain;
  const alone = (u: Tensor) => u.walkUses === 1 && u.walkRelevant === walk && !wanted(u);
  try {
    // reverse post-order: every consumer of t has added its share before t is reached
    for (let i = order.length - 1; i >= 0; i--) {
      const t = order[i]!;
      const g = t.walkGrad;
      if (!g) continue;
      t.walkGrad = null;
      if (wanted(t)) {
        collect(t, g);
        buffers?.escape(g);
      }
      const node = t.node;
      if (!node) continue;
      checkUnmodified(t, node, lastWrite);
      const through = chain?.(t, g, alone);
      if (through) for (const u of through.inner) checkUnmodified(u, u.node!, lastWrite);
      const inputs = through ? through.inputs : node.inputs;
      const inputGrads = through ? through.grads : node.vjp(g);
      for (let j = 0; j < inputs.length; j++) {
        const input = inputs[j]!;
        const gi = inputGrads[j];
        if (!gi) continue;
        if (input.walkRelevant !== walk) {
          buffers?.unusedLater(gi);
          continue;
        }
        if (!shapesEqual(gi.shape, input.shape)) {
          throw new Error(
            `backward: the derivative rule of ${node.name} gave a gradient of shape ${formatShape(gi.shape)} for an input of shape ${formatShape(input.shape)}`,
          );
        }
        const existing = input.walkGrad;
        if (existing) {
          input.walkGrad = add(existing, gi);
          buffers?.releaseLater(existing);
          buffers?.unusedLater(gi);
        } else {
          input.walkGrad = gi;
        }
        buffers?.held(input.walkGrad);
      }
      buffers?.settle(g);
    }
  } finally {
    buffers?.end();
    swapGradMode(previousMode);
    // after a throw, slots further down the graph still hold gradients: let them go
    for (let i = 0; i < order.length; i++) order[i]!.walkGrad = null;
  }
}

/** Throws if t, the output of node, or an input of node was written in place after the op ran. */
function checkUnmodified(t: Tensor, node: GradNode, lastWrite: number): void {
  // a node recorded after the last in-place write anywhere (the usual case) needs no look at its tensors
  if (node.recordedAt < lastWrite && (t.version > node.recordedAt || anInputModified(node))) {
    throwModified(node, t);
  }
}

/**
 * Whether an input of node was written in place after the op ran (an optimizer step between the
 * forward pass and backward(), say): its derivative rule would use the new values. Kept apart from
 * the message (throwModified) so that the walk's loop stays small for the compiler.
 */
function anInputModified(node: GradNode): boolean {
  const inputs = node.inputs;
  for (let i = 0; i < inputs.length; i++) if (inputs[i]!.version > node.recordedAt) return true;
  return false;
}

/** The error for a node whose output or an input was written in place after it ran, naming that tensor. */
function throwModified(node: GradNode, output: Tensor): never {
  const stale =
    output.version > node.recordedAt ? output : node.inputs.find((t) => t.version > node.recordedAt)!;
  throw new Error(
    `backward: ${describeTensor(stale)}, ${stale === output ? "the output" : "an input"} of ${node.name}, was modified in place after ${node.name} used it (an optimizer step or loadStateDict between the forward pass and backward?); compute the forward pass again after modifying it`,
  );
}

/** The gradients of root with respect to each target (null where root does not depend on it). */
export function gradients(
  root: Tensor,
  seed: Tensor,
  targets: readonly Tensor[],
  createGraph: boolean,
  rules: WalkRules,
): (Tensor | null)[] {
  const result: (Tensor | null)[] = targets.map(() => null);
  if (targets.length <= 8) {
    // for the usual one or two targets a linear scan beats building a Map
    propagate(
      root,
      seed,
      (t) => targets.includes(t),
      createGraph,
      rules,
      (t, g) => {
        for (let i = 0; i < targets.length; i++) if (targets[i] === t) result[i] = g;
      },
    );
    return result;
  }
  const targetSet = new Set(targets);
  const reached = new Map<Tensor, Tensor>();
  propagate(
    root,
    seed,
    (t) => targetSet.has(t),
    createGraph,
    rules,
    (t, g) => reached.set(t, g),
  );
  return targets.map((t) => reached.get(t) ?? null);
}

/**
 * t.backward(seed): accumulates d(t)/d(leaf) into `.grad` of every leaf that requires grad
 * (a leaf is a tensor not produced by a recorded op). seed defaults to 1 for a one-element t.
 */
export function backward(root: Tensor, seed: Tensor | undefined, rules: WalkRules): void {
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
  // the walk records nothing (createGraph false), so accumulating into .grad records nothing either
  propagate(root, g, isLeaf, false, rules, (t, grad) => {
    t.grad = t.grad ? rules.add(t.grad, grad) : grad;
  });
}

function isLeaf(t: Tensor): boolean {
  return t.node === null && t.requiresGrad;
}
