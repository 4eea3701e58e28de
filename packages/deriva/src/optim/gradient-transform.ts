/**
 * What a gradient transform is, after optax: it turns an update direction into another, in place,
 * with per-parameter state. Named optimizers are chains of them (Adam = L2 decay, then scaling by
 * the moment estimates; AdamW = the same scaling, then decoupled decay), and the Optimizer class
 * applies p ← p − lr·u at the end. minimize()'s momentum and adam methods run the same transforms
 * on their iterate (minimize/descent.ts), so there is one implementation of each update rule.
 *
 * Transforms work on flat typed arrays with one loop each: no tensors are allocated per step.
 * They read their hyperparameters from the optimizer's live options at every step, so schedules
 * (of lr or momentum) take effect immediately.
 */
import type { FloatArray } from "../tensor/dtype.js";

/** One parameter's view for the transforms: its values, its step count and its named state buffers. */
export interface ParamSlot {
  /** The parameter's values (weight decay reads them; for minimize(), the current iterate). */
  readonly values: FloatArray;
  /** Steps taken for this parameter, counting the current one (1 on the first step). */
  step: number;
  /** State buffers by PyTorch's names (exp_avg, momentum_buffer, …), allocated on first use. */
  readonly state: Map<string, FloatArray>;
}

/** A gradient transform, reading its hyperparameters from options of type O at every step. */
export interface Transform<O> {
  /** Turns u (on entry the gradient, or the previous transform's output) into the next direction. */
  update(u: FloatArray, slot: ParamSlot, options: O): void;
}

/** The state buffer `name` of a parameter, created filled with `init` the first time it is asked for. */
export function stateBuffer(slot: ParamSlot, name: string, init = 0): FloatArray {
  let buffer = slot.state.get(name);
  if (!buffer) {
    buffer =
      slot.values instanceof Float64Array
        ? new Float64Array(slot.values.length)
        : new Float32Array(slot.values.length);
    if (init !== 0) buffer.fill(init);
    slot.state.set(name, buffer);
  }
  return buffer;
}

/** Applies transforms in order (optax's chain). */
export function chain<O>(...transforms: Transform<O>[]): Transform<O> {
  return {
    update(u: FloatArray, slot: ParamSlot, options: O) {
      for (const t of transforms) t.update(u, slot, options);
    },
  };
}
