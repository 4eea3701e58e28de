/**
 * The optimizer building block, after optax: a gradient transform turns an update direction into
 * another, in place, with per-parameter state. Named optimizers are chains of them (Adam = L2 decay,
 * then scaling by the moment estimates; AdamW = the same scaling, then decoupled decay), and the
 * Optimizer class applies p ← p − lr·u at the end.
 *
 * Transforms work on flat typed arrays with one loop each: no tensors are allocated per step.
 * They read their hyperparameters from the optimizer's live options at every step, so schedules
 * (of lr or momentum) take effect immediately.
 */
export type FloatArray = Float32Array | Float64Array;

/** One parameter's view for the transforms: its values, its step count and its named state buffers. */
export interface ParamSlot {
  readonly values: FloatArray;
  /** Steps taken for this parameter, counting the current one (1 on the first step). */
  step: number;
  /** State buffers by PyTorch's names (exp_avg, momentum_buffer, …), allocated on first use. */
  readonly state: Map<string, FloatArray>;
}

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
