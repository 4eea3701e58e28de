/**
 * The PyTorch-style optimizer: holds the parameters, their per-parameter state and the live
 * hyperparameters, and on step() runs its gradient transform over each parameter's gradient and
 * applies p ← p − lr·u in place (the update writes into the parameter's storage; nothing is
 * recorded for differentiation and no tensor is allocated).
 */
import { formatShape, Tensor, tensor } from "../core.js";
import type { FloatArray } from "../tensor/dtype.js";
import { bumpVersion } from "../tensor/version.js";
import type { ParamSlot, Transform } from "./gradient-transform.js";

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

interface Slot extends ParamSlot {
  readonly param: Tensor;
  /** The update direction, reused every step. */
  readonly scratch: FloatArray;
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
  readonly #slots: Slot[];
  readonly #transform: Transform<O>;

  protected constructor(name: string, params: Iterable<Tensor>, options: O, transform: Transform<O>) {
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
    this.#transform = transform;
    this.#slots = list.map((param) => {
      const values = param.values as FloatArray;
      const scratch =
        values instanceof Float64Array ? new Float64Array(values.length) : new Float32Array(values.length);
      return { param, values, scratch, step: 0, state: new Map() };
    });
  }

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
    const lr = this.options.lr;
    for (const [i, slot] of this.#slots.entries()) {
      const grad = slot.param.grad;
      if (!grad) continue;
      if (grad.size !== slot.values.length) {
        throw new Error(
          `${this.type}.step: parameter ${i} has shape ${formatShape(slot.param.shape)} but its gradient ${formatShape(grad.shape)}`,
        );
      }
      slot.step++;
      const u = slot.scratch;
      u.set(grad.values);
      this.#transform.update(u, slot, this.options);
      const p = slot.values;
      for (let i = 0; i < p.length; i++) p[i] = p[i]! - lr * u[i]!;
      bumpVersion(slot.param);
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
        state[`${i}.${name}`] = tensor(buffer, { shape: slot.param.shape });
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
    const buffers: [Slot, string, Tensor][] = [];
    for (const [key, t] of Object.entries(dict.state ?? {})) {
      const match = /^(\d+)\.(\w+)$/.exec(key);
      const slot = match ? this.#slots[Number(match[1])] : undefined;
      if (!match || !slot) throw new Error(`${this.type}.loadStateDict: unexpected state entry "${key}"`);
      if (!(t instanceof Tensor)) fail(`"${key}" is not a tensor`);
      if (t.size !== slot.values.length) {
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
      const copy = slot.values instanceof Float64Array ? new Float64Array(t.size) : new Float32Array(t.size);
      copy.set(t.values);
      slot.state.set(name, copy);
    }
  }
}

function checkLr(name: string, lr: number): void {
  if (typeof lr !== "number" || !Number.isFinite(lr) || lr < 0) {
    throw new Error(`${name}: the learning rate must be a finite number ≥ 0, got ${JSON.stringify(lr)}`);
  }
}
