/**
 * Module: the base of every layer and model. It holds named parameters (tensors that require
 * grad), buffers (state that is saved but not trained, such as BatchNorm's running statistics)
 * and child modules, and derives PyTorch-style dotted names from that tree: `0.weight`,
 * `features.0.bias`, `3.running_mean`.
 */
import { formatShape, Tensor, tensor } from "../core.js";
import type { FloatDType } from "../tensor/dtype.js";
import { assignValues, fromValues } from "../tensor/storage.js";
import { nameTensor } from "../tensor/version.js";
import type { LayerConfig } from "./config-types.js";

/** Options of module.loadStateDict. */
export interface LoadStateDictOptions {
  /** Require the state's names to match the model's exactly (default true). Shapes are always checked. */
  strict?: boolean;
}

/**
 * What module.loadStateDict found when names did not match (both empty when strict, since it throws
 * otherwise).
 */
export interface LoadStateDictResult {
  /** The model's parameter and buffer names that the state lacks (left unchanged). */
  missingKeys: string[];
  /** The state's names that the model has no parameter or buffer for (ignored). */
  unexpectedKeys: string[];
}

const NAME = /^[A-Za-z0-9_]+$/;

/**
 * The base of every layer and model: it holds named parameters (tensors that require grad), buffers
 * (saved but untrained state, such as BatchNorm's running statistics) and child modules, and names
 * them PyTorch's way (`0.weight`, `features.0.bias`). Subclass it and implement forward(); register
 * state with registerParameter, registerBuffer and registerModule.
 *
 * @example
 * class Affine extends nn.Module {
 *   w = this.registerParameter("w", ones([2]));
 *   forward(x: Tensor): Tensor {
 *     return x.mul(this.w);
 *   }
 * }
 * new Affine().numParameters(); // 2
 */
export abstract class Module {
  /** True in training mode (Dropout drops, BatchNorm uses batch statistics); set by train()/eval(). */
  training = true;
  readonly #parameters = new Map<string, Tensor>();
  readonly #buffers = new Map<string, Tensor>();
  readonly #children = new Map<string, Module>();

  /** Computes the module's output for input x. */
  abstract forward(x: Tensor): Tensor;

  /**
   * The layer's type name and constructor arguments, as plain JSON, from which nn.fromConfig
   * rebuilds it (weights aside). Built-in layers all have one; a custom Module must override this
   * to be saved as an architecture.
   */
  toConfig(): LayerConfig {
    throw new Error(
      `${this.constructor.name}.toConfig: this custom module has no config; override toConfig() to save its architecture`,
    );
  }

  /** A one-line description from the config, e.g. `Linear(in=784, out=128, bias=true)`. */
  describe(): string {
    const { type, ...fields } = this.toConfig() as unknown as Record<string, unknown>;
    const args = Object.entries(fields)
      .filter(([, value]) => typeof value !== "object" || Array.isArray(value))
      .map(([key, value]) => `${key}=${Array.isArray(value) ? `[${value.join(", ")}]` : String(value)}`);
    return `${String(type)}(${args.join(", ")})`;
  }

  /** A multi-line description of the module tree in PyTorch's style: each child as `(name): Layer(args)`. */
  toString(): string {
    const children = this.namedChildren();
    if (children.length === 0) return this.describe();
    const inner = children.map(([name, child]) => `  (${name}): ${child.toString().replace(/\n/g, "\n  ")}`);
    return `${this.constructor.name}(\n${inner.join("\n")}\n)`;
  }

  // ── registration ────────────────────────────────────────────────────────────────────

  #checkName(kind: string, name: string): void {
    if (!NAME.test(name)) {
      throw new Error(
        `${this.constructor.name}.register${kind}: "${name}" is not a valid name (letters, digits and _ only)`,
      );
    }
    if (this.#parameters.has(name) || this.#buffers.has(name) || this.#children.has(name)) {
      throw new Error(`${this.constructor.name}.register${kind}: the name "${name}" is already taken`);
    }
  }

  /** Adds a trainable tensor under `name` (it is set to require grad) and returns it. */
  registerParameter(name: string, value: Tensor): Tensor {
    this.#checkName("Parameter", name);
    if (value.dtype === "int32") {
      throw new Error(
        `${this.constructor.name}.registerParameter: "${name}" must be a float tensor, got int32`,
      );
    }
    value.requiresGrad = true;
    this.#parameters.set(name, value);
    return value;
  }

  /** Adds saved, untrained state under `name` (it appears in stateDict, not in parameters). */
  registerBuffer(name: string, value: Tensor): Tensor {
    this.#checkName("Buffer", name);
    this.#buffers.set(name, value);
    return value;
  }

  /** Adds a child module under `name`; its parameters are named `name.<its names>`. */
  registerModule<M extends Module>(name: string, module: M): M {
    this.#checkName("Module", name);
    this.#children.set(name, module);
    return module;
  }

  /** The parameter registered as `name`. */
  protected param(name: string): Tensor {
    const p = this.#parameters.get(name);
    if (!p) throw new Error(`${this.constructor.name}: no parameter "${name}"`);
    return p;
  }

  /** The parameter registered as `name`, or null (an optional bias). */
  protected optionalParam(name: string): Tensor | null {
    return this.#parameters.get(name) ?? null;
  }

  /** The buffer registered as `name`. */
  protected buffer(name: string): Tensor {
    const b = this.#buffers.get(name);
    if (!b) throw new Error(`${this.constructor.name}: no buffer "${name}"`);
    return b;
  }

  // ── traversal ───────────────────────────────────────────────────────────────────────

  /** Direct children with their names, in registration order. */
  namedChildren(): [string, Module][] {
    return [...this.#children];
  }

  /** The direct child modules, in registration order. */
  children(): Module[] {
    return [...this.#children.values()];
  }

  /** This module ("") and every descendant with its dotted name, parents before children. */
  namedModules(prefix = ""): [string, Module][] {
    const out: [string, Module][] = [[prefix, this]];
    for (const [name, child] of this.#children) out.push(...child.namedModules(join(prefix, name)));
    return out;
  }

  /**
   * Every parameter with its dotted name (`0.weight`, `features.0.bias`), own ones first. The
   * parameters also take these names for error messages (backward's check of in-place writes).
   */
  namedParameters(): [string, Tensor][] {
    return this.namedModules().flatMap(([prefix, m]) =>
      [...m.#parameters].map(([name, p]): [string, Tensor] => {
        const dotted = join(prefix, name);
        nameTensor(p, dotted);
        return [dotted, p];
      }),
    );
  }

  /** The trainable tensors, in namedParameters order: hand these to an optimizer. */
  parameters(): Tensor[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** Every buffer with its dotted name (`1.running_mean`). */
  namedBuffers(): [string, Tensor][] {
    return this.namedModules().flatMap(([prefix, m]) =>
      [...m.#buffers].map(([name, b]): [string, Tensor] => [join(prefix, name), b]),
    );
  }

  /** The number of trainable scalars. */
  numParameters(): number {
    return this.parameters().reduce((n, p) => n + p.size, 0);
  }

  // ── modes and gradients ─────────────────────────────────────────────────────────────

  /** Training mode (the default) for this module and all its descendants. */
  train(mode = true): this {
    for (const [, m] of this.namedModules()) m.training = mode;
    return this;
  }

  /** Evaluation mode: Dropout is the identity and BatchNorm uses its running statistics. */
  eval(): this {
    return this.train(false);
  }

  /** Clears the accumulated gradients of all parameters (sets them to null, as PyTorch does). */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /**
   * Converts every parameter and float buffer to `dtype`. Parameters become new tensors, so build
   * the optimizer afterwards (as with PyTorch's model.double()).
   */
  to(dtype: FloatDType): this {
    for (const [, m] of this.namedModules()) {
      for (const [name, p] of m.#parameters) {
        if (p.dtype === dtype) continue;
        const converted = tensor(p.data(), { shape: p.shape, dtype });
        converted.requiresGrad = true;
        m.#parameters.set(name, converted);
      }
      for (const [name, b] of m.#buffers) {
        if (b.dtype !== "int32" && b.dtype !== dtype)
          m.#buffers.set(name, tensor(b.data(), { shape: b.shape, dtype }));
      }
    }
    return this;
  }

  // ── state ───────────────────────────────────────────────────────────────────────────

  /**
   * A snapshot of all parameters and buffers by dotted name (for each module: its parameters, its
   * buffers, then its children), as copies detached from the graph: later training does not change it.
   */
  stateDict(): Record<string, Tensor> {
    const entries: [string, Tensor][] = [];
    for (const [prefix, m] of this.namedModules()) {
      for (const [name, t] of [...m.#parameters, ...m.#buffers]) {
        entries.push([join(prefix, name), fromValues(t.data(), t.shape)]);
      }
    }
    // fromEntries defines own properties: a parameter named "__proto__" cannot replace the prototype
    return Object.fromEntries(entries);
  }

  /**
   * Copies values from `state` into the parameters and buffers with the same names, in place (an
   * optimizer built on this model keeps working). Everything is checked before anything is
   * written: names (missing or unexpected ones, unless strict is false) and shapes.
   * Values are converted to each tensor's dtype.
   */
  loadStateDict(
    state: Readonly<Record<string, Tensor>>,
    opts: LoadStateDictOptions = {},
  ): LoadStateDictResult {
    const strict = opts.strict ?? true;
    const own = new Map([...this.namedParameters(), ...this.namedBuffers()]);
    // own properties only: a parameter named "constructor" must not find Object.prototype's
    const missingKeys = [...own.keys()].filter((name) => !Object.hasOwn(state, name));
    const unexpectedKeys = Object.keys(state).filter((name) => !own.has(name));
    if (strict && (missingKeys.length > 0 || unexpectedKeys.length > 0)) {
      const parts = [];
      if (missingKeys.length > 0) parts.push(`missing ${missingKeys.join(", ")}`);
      if (unexpectedKeys.length > 0) parts.push(`unexpected ${unexpectedKeys.join(", ")}`);
      throw new Error(`loadStateDict: the state's names do not match the model's: ${parts.join("; ")}`);
    }
    const pairs: [Tensor, Tensor][] = [];
    for (const [name, target] of own) {
      const source = Object.hasOwn(state, name) ? state[name] : undefined;
      if (source === undefined) continue;
      if (!(source instanceof Tensor)) throw new Error(`loadStateDict: "${name}" is not a tensor`);
      if (source.shape.length !== target.shape.length || source.shape.some((d, i) => d !== target.shape[i])) {
        throw new Error(
          `loadStateDict: "${name}" has shape ${formatShape(source.shape)} in the state but ${formatShape(target.shape)} in the model`,
        );
      }
      pairs.push([target, source]);
    }
    for (const [target, source] of pairs) {
      assignValues(target, source.data());
    }
    return { missingKeys, unexpectedKeys };
  }
}

function join(prefix: string, name: string): string {
  return prefix === "" ? name : `${prefix}.${name}`;
}
