/**
 * The Tensor: a shape, a dtype and the backend's storage of its elements (backend/storage.ts), plus
 * the autograd bookkeeping (requiresGrad, grad, and the node that produced it). Math lives in ops/; the methods that call it
 * are attached in ops/methods.ts.
 */
import { backend } from "../backend/registry.js";
import type { Storage } from "../backend/storage.js";
import { type DType, dtypeOfArray, isFloat, type TypedArray } from "./dtype.js";
import { formatTensor } from "./format.js";
import { formatShape, type Shape, sizeOf } from "./shape.js";

/** Nested arrays of numbers, as in NumPy's tolist(). */
export type NestedArray = number | NestedArray[];

/** Anything an op accepts where a tensor is expected: plain numbers are scalars. */
export type TensorLike = Tensor | number;

/**
 * How a non-leaf tensor was computed: the op's derivative rule, its inputs and attributes.
 * The autograd engine walks these without knowing any op.
 */
export interface GradNode {
  readonly name: string;
  readonly inputs: readonly Tensor[];
  /**
   * The version clock when the op ran (tensor/version.ts): an input or output whose version is
   * later was written in place since, and the reverse pass refuses to use it.
   */
  readonly recordedAt: number;
  /** Gradients of the inputs given the gradient of the output (null where an input gets none). */
  vjp(g: Tensor): readonly (Tensor | null)[];
}

const inspectSymbol = Symbol.for("nodejs.util.inspect.custom");

/**
 * An n-dimensional array of float32, float64 or int32 numbers, with the bookkeeping of automatic
 * differentiation. Create one with tensor(), zeros(), randn() and the like; every op is both a
 * function (`add(a, b)`) and a method (`a.add(b)`). Ops never change their inputs (each returns a
 * new tensor), and tensors need no manual disposal.
 *
 * @example
 * const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
 * const y = x.mul(x).sum();
 * y.backward();
 * x.grad?.toArray(); // [[2, 4], [6, 8]]
 */
export class Tensor {
  /** The size of each axis ([] for a scalar); row-major, the last axis varies fastest. */
  readonly shape: readonly number[];
  /** The element type: "float32" (the default), "float64" or "int32". */
  readonly dtype: DType;
  /** The number of elements: the product of the shape (1 for a 0-d tensor). */
  readonly size: number;
  /**
   * The elements, row-major, as the backend holds them (backend/storage.ts). Only the engine
   * (tensor/, ops/, backend/) touches it: everything above reads through data(), toArray(), item()
   * or their asynchronous forms, creates through upload (fromValues) and writes through the
   * backend's in-place kernels (tensor/storage.ts). On the CPU backends it is a typed array;
   * small op results are views into a shared block (tensor/slab.ts).
   * @internal
   */
  readonly storage: Storage;
  /** Accumulated gradient of a leaf after backward(). */
  grad: Tensor | null = null;
  /** @internal */
  node: GradNode | null = null;
  /**
   * @internal Marks of the reverse walk (autograd/graph.ts): the number of the last walk that
   * reached this tensor, and of the last one that found it on a path to a wanted tensor. Cheaper
   * than a Set (or a Map of gradients) per walk for the small graphs that dominate dispatch cost.
   */
  walkSeen = 0;
  /** @internal See walkSeen: the number of the last walk that found this tensor on a path to a wanted tensor. */
  walkRelevant = 0;
  /** @internal The gradient gathered for this tensor while a reverse walk is under way (null otherwise). */
  walkGrad: Tensor | null = null;
  /** @internal How many inputs of the ops of the walk numbered walkSeen are this tensor (autograd/graph.ts). */
  walkUses = 0;
  /** @internal When its storage was last written in place (tensor/version.ts; 0: never). */
  version = 0;
  #requiresGrad = false;

  /**
   * Wraps storage the backend holds (on the CPU backends, js and wasm, a flat row-major
   * Float32Array, Float64Array or Int32Array, which gives the dtype) as a tensor of `shape`,
   * adopting it, not copying: for data loaders that already hold their values in a typed array.
   * Most code should call tensor() and the other creation functions, which copy and check more.
   * Throws when the sizes differ.
   */
  constructor(values: Storage, shape: Shape) {
    const size = sizeOf(shape);
    if (size !== values.length) {
      throw new Error(
        `tensor: ${values.length} values do not fill shape ${formatShape(shape)} (size ${size})`,
      );
    }
    this.storage = values;
    // each tensor owns a copy: the caller may reuse its array. Not frozen: V8 reads frozen arrays
    // off its fast paths (slice, for-of, map: 3–20× slower) and that cost every op ~20 ns
    this.shape = [...shape];
    this.dtype = dtypeOfArray(values);
    this.size = size;
  }

  /** The number of axes (0 for a scalar). */
  get ndim(): number {
    return this.shape.length;
  }

  /** Whether gradients flow to this tensor. Set it on leaves (inputs, parameters); ops set it on results. */
  get requiresGrad(): boolean {
    return this.#requiresGrad;
  }

  /** Turns gradient tracking on or off; throws for an int32 tensor, which cannot require gradients. */
  set requiresGrad(on: boolean) {
    if (on && !isFloat(this.dtype)) {
      throw new Error(`requiresGrad: only float tensors can require gradients, this one is ${this.dtype}`);
    }
    this.#requiresGrad = on;
  }

  /**
   * A copy of the elements as nested arrays (a number for a 0-d tensor), like NumPy's tolist().
   * Synchronous: it serves the CPU backends (js, wasm); `await t.readArray()` serves every backend.
   */
  toArray(): NestedArray {
    return nest(backend().download(this.storage), this.shape);
  }

  /**
   * The single element of a size-1 tensor as a number. Synchronous: it serves the CPU backends;
   * `await t.readItem()` serves every backend.
   */
  item(): number {
    checkOne("item", this.shape);
    return backend().download(this.storage)[0]!;
  }

  /**
   * A copy of the elements as a flat row-major typed array. Synchronous: it serves the CPU
   * backends; `await t.read()` serves every backend.
   */
  data(): TypedArray {
    return backend().download(this.storage).slice();
  }

  /**
   * The elements as a flat row-major typed array (a copy), once they can be read. Every backend
   * serves it: a device backend copies them back from its memory asynchronously, the CPU ones
   * resolve at once. Write code that may run on a GPU this way.
   *
   * @example
   * const values = await tensor([1, 2]).read(); // [1, 2]
   * values instanceof Float32Array; // true
   */
  read(): Promise<TypedArray> {
    return backend().read(this.storage);
  }

  /**
   * The elements as nested arrays (a number for a 0-d tensor), like toArray(), from every backend.
   *
   * @example await tensor([[1, 2], [3, 4]]).readArray(); // [[1, 2], [3, 4]]
   */
  readArray(): Promise<NestedArray> {
    return this.read().then((values) => nest(values, this.shape));
  }

  /**
   * The single element of a size-1 tensor, like item(), from every backend.
   *
   * @example
   * await loss.mse(tensor([1, 2]), tensor([1, 4])).readItem(); // 2
   */
  readItem(): Promise<number> {
    return new Promise<void>((resolve) => resolve(checkOne("item", this.shape)))
      .then(() => this.read())
      .then((values) => values[0]!);
  }

  /** The same values, cut from the graph: no gradient flows through the result. */
  detach(): Tensor {
    return new Tensor(this.storage, this.shape);
  }

  /**
   * The values laid out like NumPy / PyTorch (one format for all elements, columns aligned, the
   * middle of long axes elided with `...` past 1000 elements), then shape and dtype.
   * Example: `tensor([[1., 2.], [3., 4.]])` prints as `tensor([[1., 2.],\n        [3., 4.]], shape=[2, 2], dtype=float32)`.
   */
  toString(): string {
    return formatTensor(backend().download(this.storage), this.shape, this.dtype, this.requiresGrad);
  }

  /** How Node's console.log and util.inspect show the tensor: the same text as toString(). */
  [inspectSymbol](): string {
    return this.toString();
  }
}

function checkOne(name: string, shape: readonly number[]): void {
  if (sizeOf(shape) !== 1) {
    throw new Error(
      `${name}: only a tensor with one element can be converted to a number, got shape ${formatShape(shape)}`,
    );
  }
}

/** Row-major values as nested arrays of `shape` (a number for a 0-d tensor). */
function nest(values: TypedArray, shape: readonly number[]): NestedArray {
  if (shape.length === 0) return values[0]!;
  let offset = 0;
  const build = (axis: number): NestedArray[] => {
    const out: NestedArray[] = new Array(shape[axis]!);
    if (axis === shape.length - 1) {
      for (let i = 0; i < shape[axis]!; i++) out[i] = values[offset++]!;
    } else {
      for (let i = 0; i < shape[axis]!; i++) out[i] = build(axis + 1);
    }
    return out;
  };
  return build(0);
}
