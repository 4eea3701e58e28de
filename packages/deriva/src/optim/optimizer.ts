/**
 * The PyTorch-style optimizer: holds the parameters, their per-parameter state and the live
 * hyperparameters, and on step() updates each parameter that has a gradient in place, through one
 * fused update kernel of the backend per parameter (tensor/storage.ts): the kernel reads the
 * gradient and writes the parameter and its state buffers in one pass; nothing is recorded for
 * differentiation and no tensor is allocated.
 */
import { formatShape, full, Tensor, zerosLike } from "../core.js";
import { allocate } from "../tensor/dtype.js";
import { fromValues } from "../tensor/storage.js";

/** Hyperparameter values as they appear in a state dict (plain JSON). */
export type HyperValue = number | boolean | number[];

/** The option every optimizer has. */
export interface BaseOptions {
  /** The learning rate (schedules change it between steps). */
  lr: number;
}

/**
 * Everything needed to resume training exactly: the optimizer's type, hyperparameters, per-parameter
 * step counts and state buffers named `<parameter index>.<buffer>` (e.g. `0.exp_avg`, PyTorch's names).
 */
export interface OptimizerStateDict {
  /** The optimizer's class name ("SGD", "Adam", …); loadStateDict refuses another type's state. */
  type: string;
  /** The hyperparameters (lr, momentum, betas, …) as plain JSON. */
  options: Record<string, HyperValue>;
  /** How many steps each parameter has taken, in parameter order (Adam's bias correction uses it). */
  steps: number[];
  /**
   * Per-parameter buffers named `<parameter index>.<buffer>` (`0.exp_avg`, `1.momentum_buffer`), shaped like
   * their parameter.
   */
  state: Record<string, Tensor>;
}

/** One parameter as its optimizer holds it: the tensor, its step count and its state buffers. */
export interface ParamState {
  /** The parameter, updated in place by step(). */
  readonly param: Tensor;
  /** Steps taken for this parameter, counting the current one (1 on the first step). */
  step: number;
  /** State buffers by PyTorch's names (exp_avg, momentum_buffer, …), in the backend's memory. */
  readonly state: Map<string, Tensor>;
}

/**
 * The state buffer `name` of a parameter (of its shape and dtype), created filled with `init` the
 * first time it is asked for; `fresh` tells whether it was just created.
 */
export function stateBuffer(
  slot: ParamState,
  name: string,
  init = 0,
): {
  /** The buffer, shaped like the parameter, in its dtype. */
  buffer: Tensor;
  /** True when this call created it, filled with `init` (SGD then starts its momentum buffer as the update). */
  fresh: boolean;
} {
  const found = slot.state.get(name);
  if (found) return { buffer: found, fresh: false };
  const { param } = slot;
  const buffer = init === 0 ? zerosLike(param) : full(param.shape, init, { dtype: param.dtype });
  slot.state.set(name, buffer);
  return { buffer, fresh: true };
}

/**
 * The base of the optimizers (SGD, Adam, AdamW, RMSprop, Adagrad): it holds the parameters, their
 * per-parameter state and the live hyperparameters. Call zeroGrad(), compute a loss and backward(),
 * then step() to update every parameter in place. The constructor throws on an empty parameter list,
 * a repeated parameter, or one that is not a float tensor requiring grad.
 */
export abstract class Optimizer<O extends BaseOptions = BaseOptions> {
  /** The live hyperparameters: changes apply from the next step. */
  readonly options: O;
  readonly #slots: ParamState[];

  protected constructor(name: string, params: Iterable<Tensor>, options: O) {
    const list = [...params];
    if (list.length === 0) throw new Error(`${name}: got an empty list of parameters`);
    if (new Set(list).size !== list.length) throw new Error(`${name}: a parameter appears more than once`);
    list.forEach((p, i) => {
      if (p.dtype === "int32" || !p.requiresGrad) {
        throw new Error(`${name}: parameter ${i} must be a float tensor that requires grad`);
      }
    });
    checkLr(name, options.lr);
    this.options = options;
    this.#slots = list.map((param) => ({ param, step: 0, state: new Map() }));
  }

  /**
   * Updates one parameter in place from its gradient (of the parameter's size), with this.options
   * as they are now: one call of the backend's fused update kernel. slot.step already counts this step.
   */
  protected abstract update(slot: ParamState, grad: Tensor): void;

  /** The optimizer's name (its class), as recorded in the state dict. */
  abstract get type(): string;

  /** The current learning rate (options.lr). */
  get lr(): number {
    return this.options.lr;
  }

  /** Sets the learning rate for the following steps; throws unless it is a finite number ≥ 0. */
  set lr(value: number) {
    checkLr(this.type, value);
    this.options.lr = value;
  }

  /** The momentum that one-cycle schedules vary (momentum, or Adam's β₁); null where there is none. */
  get momentum(): number | null {
    return null;
  }

  /** Sets the momentum (Adam: β₁) for the following steps; throws for an optimizer without one (Adagrad). */
  set momentum(_value: number) {
    throw new Error(`${this.type}: has no momentum to set`);
  }

  /** The parameters, in the order given. */
  get params(): Tensor[] {
    return this.#slots.map((s) => s.param);
  }

  /** Updates every parameter that has a gradient (those without one are skipped, as in PyTorch). */
  step(): void {
    for (const [i, slot] of this.#slots.entries()) {
      const grad = slot.param.grad;
      if (!grad) continue;
      if (grad.size !== slot.param.size) {
        throw new Error(
          `${this.type}.step: parameter ${i} has shape ${formatShape(slot.param.shape)} but its gradient ${formatShape(grad.shape)}`,
        );
      }
      slot.step++;
      this.update(slot, grad);
    }
  }

  /** Clears the parameters' gradients (sets them to null). */
  zeroGrad(): void {
    for (const slot of this.#slots) slot.param.grad = null;
  }

  /** A copy of the optimizer's state, from which loadStateDict resumes exactly. */
  stateDict(): OptimizerStateDict {
    const state: Record<string, Tensor> = {};
    this.#slots.forEach((slot, i) => {
      for (const [name, buffer] of slot.state)
        state[`${i}.${name}`] = fromValues(buffer.data(), slot.param.shape);
    });
    return {
      type: this.type,
      options: structuredClone(this.options) as unknown as Record<string, HyperValue>,
      steps: this.#slots.map((s) => s.step),
      state,
    };
  }

  /**
   * Restores hyperparameters (the learning rate included), step counts and state buffers from a
   * state dict of the same optimizer type over parameters of the same shapes. Checked before anything changes.
   */
  loadStateDict(dict: OptimizerStateDict): void {
    const fail = (message: string): never => {
      throw new Error(`${this.type}.loadStateDict: ${message}`);
    };
    if (dict.type !== this.type) fail(`the state is for ${dict.type}, not ${this.type}`);
    if (!Array.isArray(dict.steps) || dict.steps.length !== this.#slots.length) {
      fail(`the state has ${dict.steps?.length} parameters, this optimizer ${this.#slots.length}`);
    }
    const current = this.options as unknown as Record<string, HyperValue>;
    for (const [key, value] of Object.entries(dict.options ?? {})) {
      // own properties only: "constructor" or "__proto__" from a file must not reach Object.prototype
      if (!Object.hasOwn(current, key)) fail(`unknown option "${key}"`);
      const mine = current[key]!;
      const sameKind = Array.isArray(mine)
        ? Array.isArray(value) && value.length === mine.length && value.every(Number.isFinite)
        : typeof value === typeof mine && (typeof value !== "number" || Number.isFinite(value));
      if (!sameKind)
        fail(`option "${key}" should be like ${JSON.stringify(mine)}, got ${JSON.stringify(value)}`);
    }
    if (!dict.steps.every((n) => Number.isInteger(n) && n >= 0)) {
      fail(`step counts must be non-negative integers, got ${JSON.stringify(dict.steps)}`);
    }
    const buffers: [ParamState, string, Tensor][] = [];
    for (const [key, t] of Object.entries(dict.state ?? {})) {
      const match = /^(\d+)\.(\w+)$/.exec(key);
      const slot = match ? this.#slots[Number(match[1])] : undefined;
      if (!match || !slot) throw new Error(`${this.type}.loadStateDict: unexpected state entry "${key}"`);
      if (!(t instanceof Tensor)) fail(`"${key}" is not a tensor`);
      if (t.size !== slot.param.size) {
        fail(
          `"${key}" has shape ${formatShape(t.shape)} but parameter ${match[1]} has ${formatShape(slot.param.shape)}`,
        );
      }
      buffers.push([slot, match[2]!, t]);
    }
    Object.assign(this.options, structuredClone(dict.options));
    this.#slots.forEach((slot, i) => {
      slot.step = dict.steps[i]!;
      slot.state.clear();
    });
    for (const [slot, name, t] of buffers) {
      const copy = allocate(slot.param.dtype, t.size);
      copy.set(t.data());
      slot.state.set(name, fromValues(copy, slot.param.shape));
    }
  }
}

function checkLr(name: string, lr: number): void {
  if (typeof lr !== "number" || !Number.isFinite(lr) || lr < 0) {
    throw new Error(`${name}: the learning rate must be a finite number ≥ 0, got ${JSON.stringify(lr)}`);
  }
}
