/**
 * What the op layer lends the backward walk (autograd/graph.ts's WalkRules): the differentiable
 * add that sums the gradients meeting at a tensor, and the chains of ops it differentiates in one
 * backend call when no graph is recorded.
 *
 * The chain: a convolution, max pooling and a relu before or after it, written with the
 * functional ops as maxPool2d(relu(conv2d(x, w, b))) or relu(maxPool2d(conv2d(x, w, b))). Its
 * derivative is conv2dMaxPool2dOp's (the op nn.Sequential runs for such layers), which is exactly
 * that of the ops in turn: gathering commutes with the relu, so the gradient masked where the
 * pooled output is 0 and scattered to the maxima is the gradient scattered and then masked where
 * the relu output is 0; and pooling a relu output picks the same maxima wherever they are
 * positive (elsewhere the gradient is 0 either way). The full-size gradients of the pooling and
 * the relu are never handed out. It applies only where the tensors inside the chain feed nothing
 * else and no gradient of theirs is wanted.
 */
import type { ChainVjp, WalkRules } from "../autograd/graph.js";
import type { Tensor } from "../tensor/tensor.js";
import { conv2dOp, maxPool2dOp } from "./conv.js";
import { conv2dMaxPool2dOp } from "./conv-pool.js";
import { add, reluOp } from "./elementwise.js";
import { recordedBy } from "./op.js";

/** The convolution-pooling chain ending at t (the pooling's output or the relu's after it), differentiated. */
function convPoolChain(t: Tensor, g: Tensor, alone: (u: Tensor) => boolean): ChainVjp | null {
  const reluAfter = recordedBy(t, reluOp);
  const pooled = reluAfter ? reluAfter.inputs[0]! : t;
  if (reluAfter && !alone(pooled)) return null;
  const pool = recordedBy(pooled, maxPool2dOp);
  if (!pool) return null;
  const poolInput = pool.inputs[0]!;
  if (!alone(poolInput)) return null;
  const reluBefore = reluAfter ? null : recordedBy(poolInput, reluOp);
  const convolved = reluBefore ? reluBefore.inputs[0]! : poolInput;
  if (reluBefore && !alone(convolved)) return null;
  const conv = recordedBy(convolved, conv2dOp);
  if (!conv) return null;
  const inner = reluAfter ? [pooled, convolved] : reluBefore ? [poolInput, convolved] : [convolved];
  const attrs = { ...pool.attrs, conv: conv.attrs, relu: reluAfter !== null || reluBefore !== null };
  // t is positive exactly where the relu let the gradient through, before or after the pooling
  return { inner, inputs: conv.inputs, grads: conv2dMaxPool2dOp.vjp(g, conv.inputs, t, attrs) };
}

/** The rules every backward walk of the library runs with. */
export const WALK_RULES: WalkRules = { add, chain: convPoolChain };
