/**
 * nn.fromConfig: rebuilds a layer (or a whole Sequential) from the JSON that module.toConfig()
 * writes. Every field is checked, and an error names the layer's place, its type and the field.
 */
import { GELU, LeakyReLU, ReLU, Sigmoid, Softmax, Tanh } from "./activation.js";
import { BatchNorm1d, BatchNorm2d } from "./batchnorm.js";
import type { LayerType, Size2 } from "./config-types.js";
import { Conv2d } from "./conv.js";
import { Dropout } from "./dropout.js";
import { Flatten } from "./flatten.js";
import { Linear } from "./linear.js";
import type { Module } from "./module.js";
import { AvgPool2d, MaxPool2d } from "./pool.js";
import { Sequential } from "./sequential.js";

/** Reads the fields of one layer's config, remembering which were used so leftovers can be refused. */
class Fields {
  readonly #used = new Set<string>(["type"]);

  constructor(
    readonly raw: Record<string, unknown>,
    readonly path: string,
    readonly type: LayerType,
  ) {}

  fail(message: string): never {
    throw new Error(`nn.fromConfig: ${this.path} (${this.type}): ${message}`);
  }

  #take(name: string): unknown {
    this.#used.add(name);
    return this.raw[name];
  }

  required(name: string): unknown {
    const value = this.#take(name);
    if (value === undefined) this.fail(`the field "${name}" is missing`);
    return value;
  }

  optional(name: string): unknown {
    return this.#take(name);
  }

  int(name: string): number {
    const value = this.required(name);
    if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
      this.fail(`"${name}" must be a positive integer, got ${JSON.stringify(value)}`);
    }
    return value;
  }

  bool(name: string): boolean | undefined {
    const value = this.optional(name);
    if (value !== undefined && typeof value !== "boolean") {
      this.fail(`"${name}" must be true or false, got ${JSON.stringify(value)}`);
    }
    return value;
  }

  number(name: string): number | undefined {
    const value = this.optional(name);
    if (value !== undefined && (typeof value !== "number" || !Number.isFinite(value))) {
      this.fail(`"${name}" must be a finite number, got ${JSON.stringify(value)}`);
    }
    return value;
  }

  size(name: string, required: boolean): Size2 | undefined {
    const value = required ? this.required(name) : this.optional(name);
    const isInt = (v: unknown) => typeof v === "number" && Number.isInteger(v);
    const ok =
      value === undefined ||
      isInt(value) ||
      (Array.isArray(value) && value.length === 2 && value.every(isInt));
    if (!ok) this.fail(`"${name}" must be an integer or [height, width], got ${JSON.stringify(value)}`);
    return value as Size2 | undefined;
  }

  /** Builds the layer, turning a constructor's own complaint into one that names this place. */
  build(make: () => Module): Module {
    const unknown = Object.keys(this.raw).filter((key) => !this.#used.has(key));
    if (unknown.length > 0) this.fail(`unknown field${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}`);
    try {
      return make();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return this.fail(message.startsWith(`${this.type}: `) ? message.slice(this.type.length + 2) : message);
    }
  }
}

type Builder = (f: Fields) => Module;

const builders: Record<LayerType, Builder> = {
  Linear: (f) => {
    const [inF, outF, bias] = [f.int("in"), f.int("out"), f.bool("bias")];
    return f.build(() => new Linear(inF, outF, { bias }));
  },
  Conv2d: (f) => {
    const [inC, outC, kernel] = [f.int("in"), f.int("out"), f.size("kernel", true)!];
    const opts = { stride: f.size("stride", false), padding: f.size("padding", false), bias: f.bool("bias") };
    return f.build(() => new Conv2d(inC, outC, kernel, opts));
  },
  MaxPool2d: (f) => {
    const [kernel, stride] = [f.size("kernel", true)!, f.size("stride", false)];
    return f.build(() => new MaxPool2d(kernel, stride));
  },
  AvgPool2d: (f) => {
    const [kernel, stride] = [f.size("kernel", true)!, f.size("stride", false)];
    return f.build(() => new AvgPool2d(kernel, stride));
  },
  Flatten: (f) => {
    const startAxis = f.number("startAxis");
    return f.build(() => new Flatten(startAxis));
  },
  Dropout: (f) => {
    const p = f.number("p");
    return f.build(() => new Dropout(p));
  },
  BatchNorm1d: (f) => {
    const [features, opts] = [f.int("features"), batchNormOptions(f)];
    return f.build(() => new BatchNorm1d(features, opts));
  },
  BatchNorm2d: (f) => {
    const [features, opts] = [f.int("features"), batchNormOptions(f)];
    return f.build(() => new BatchNorm2d(features, opts));
  },
  Sigmoid: (f) => f.build(() => new Sigmoid()),
  Tanh: (f) => f.build(() => new Tanh()),
  ReLU: (f) => f.build(() => new ReLU()),
  GELU: (f) => f.build(() => new GELU()),
  LeakyReLU: (f) => {
    const slope = f.number("slope");
    return f.build(() => new LeakyReLU(slope));
  },
  Softmax: (f) => {
    const axis = f.number("axis");
    return f.build(() => new Softmax(axis));
  },
  Sequential: (f) => {
    const layers = f.required("layers");
    if (!Array.isArray(layers)) return f.fail(`"layers" must be an array, got ${JSON.stringify(layers)}`);
    const built = layers.map((layer, i) => build(layer, `${f.path}.layers[${i}]`));
    return f.build(() => new Sequential(...built));
  },
};

function batchNormOptions(f: Fields) {
  return { eps: f.number("eps"), momentum: f.number("momentum"), affine: f.bool("affine") };
}

function build(config: unknown, where: string): Module {
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new Error(
      `nn.fromConfig: ${where}: a layer config is an object with a "type", got ${JSON.stringify(config)}`,
    );
  }
  const raw = config as Record<string, unknown>;
  const type = raw.type;
  if (typeof type !== "string" || !Object.hasOwn(builders, type)) {
    throw new Error(
      `nn.fromConfig: ${where}: unknown layer type ${JSON.stringify(type)} (known: ${Object.keys(builders).join(", ")})`,
    );
  }
  return builders[type as LayerType](new Fields(raw, where, type as LayerType));
}

/**
 * Builds a fresh layer from its config (as written by module.toConfig()); weights are newly
 * initialized from the seeded generator: load a stateDict to restore trained ones. The config is
 * checked field by field, so parsed JSON can be passed as it is.
 *
 * @example
 * const model = nn.fromConfig({ type: "Sequential", layers: [{ type: "Linear", in: 4, out: 3 }, { type: "ReLU" }] });
 */
export function fromConfig(config: unknown): Module {
  return build(config, "model");
}
