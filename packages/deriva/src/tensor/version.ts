/**
 * Versions of tensors written in place, as PyTorch's version counter: the reverse pass must not
 * compute at values that changed after the forward pass used them (an optimizer step between the
 * forward and backward() would otherwise give the gradient at the updated parameters).
 *
 * Every in-place write to a tensor's storage calls bumpVersion(t). Versions are stamps of one
 * global clock rather than per-tensor counts: a recorded op then saves a single number (the clock
 * when it ran) instead of one version per input, and an input or output is stale exactly when its
 * version is later than that. Tensors nobody writes in place stay at version 0.
 */
import { formatShape } from "./shape.js";
import type { Tensor } from "./tensor.js";

let clock = 0;

/** Records that t's storage was just written in place. Call it after (or before) every such write. */
export function bumpVersion(t: Tensor): void {
  t.version = ++clock;
}

/** The clock now: a tensor whose version is later was written in place after this moment. */
export function versionClock(): number {
  return clock;
}

/** Names that errors call tensors by (module parameters: their dotted names), without a field on every tensor. */
const names = new WeakMap<Tensor, string>();

/** Gives t a name for messages, such as a module parameter's `0.weight`. */
export function nameTensor(t: Tensor, name: string): void {
  names.set(t, name);
}

/** How a message refers to t: `'0.weight' (float32 [10, 784])`, or `a float32 tensor of shape [2]`. */
export function describeTensor(t: Tensor): string {
  const name = names.get(t);
  return name === undefined
    ? `a ${t.dtype} tensor of shape ${formatShape(t.shape)}`
    : `'${name}' (${t.dtype} ${formatShape(t.shape)})`;
}
