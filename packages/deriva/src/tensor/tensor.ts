/**
 * The Tensor: a shape, a dtype and a flat row-major typed array, plus the autograd bookkeeping
 * (requiresGrad, grad, and the node that produced it). Math lives in ops/; the methods that call it
 * are attached in ops/methods.ts.
 */
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

export class Tensor {
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly size: number;
  /**
   * The elements, row-major. Internal: reading goes through data() (a copy); only the library
   * writes here (in-place parameter updates under noGrad). Small op results are views into a shared
   * block (tensor/slab.ts): pair `values.buffer` with `byteOffset` and `byteLength`.
   * @internal
   */
  values: TypedArray;
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
  walkRelevant = 0;
  /** @internal The gradient gathered for this tensor while a reverse walk is under way (null otherwise). */
  walkGrad: Tensor | null = null;
  /** @internal When its storage was last written in place (tensor/version.ts; 0: never). */
  version = 0;
  #requiresGrad = false;

  /** @internal Use tensor() and the other creation functions. The array is adopted, not copied. */
  constructor(values: TypedArray, shape: Shape) {
    const size = sizeOf(shape);
    if (size !== values.length) {
      throw new Error(
        `tensor: ${values.length} values do not fill shape ${formatShape(shape)} (size ${size})`,
      );
    }
    this.values = values;
    // each tensor owns a copy: the caller may reuse its array. Not frozen: V8 reads frozen arrays
    // off its fast paths (slice, for-of, map: 3–20× slower) and that cost every op ~20 ns
    this.shape = [...shape];
    this.dtype = dtypeOfArray(values);
    this.size = size;
  }

  get ndim(): number {
    return this.shape.length;
  }

  /** Whether gradients flow to this tensor. Set it on leaves (inputs, parameters); ops set it on results. */
  get requiresGrad(): boolean {
    return this.#requiresGrad;
  }

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
    const values = this.values;
    const shape = this.shape;
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

  /**
   * The single element of a size-1 tensor as a number. Synchronous: it serves the CPU backends;
   * `await t.readItem()` serves every backend.
   */
  item(): number {
    if (this.size !== 1) {
      throw new Error(
        `item: only a tensor with one element can be converted to a number, got shape ${formatShape(this.shape)}`,
      );
    }
    return this.values[0]!;
  }

  /**
   * A copy of the elements as a flat row-major typed array. Synchronous: it serves the CPU
   * backends; `await t.read()` serves every backend.
   */
  data(): TypedArray {
    return this.values.slice();
  }

  /**
   * The elements as a flat row-major typed array (a copy), once they can be read. Every backend
   * serves it: a device backend copies them back from its memory asynchronously, the CPU ones
   * resolve at once. Write code that may run on a GPU this way.
   *
   * @example const values = await loss.read(); // Float32Array [0.6931…]
   */
  read(): Promise<TypedArray> {
    return Promise.resolve(this.data());
  }

  /**
   * The elements as nested arrays (a number for a 0-d tensor), like toArray(), from every backend.
   *
   * @example await tensor([[1, 2], [3, 4]]).readArray(); // [[1, 2], [3, 4]]
   */
  readArray(): Promise<NestedArray> {
    return Promise.resolve(this.toArray());
  }

  /**
   * The single element of a size-1 tensor, like item(), from every backend.
   *
   * @example const cost = await loss.quadratic(prediction, target).readItem();
   */
  readItem(): Promise<number> {
    return new Promise((resolve) => resolve(this.item()));
  }

  /** The same values, cut from the graph: no gradient flows through the result. */
  detach(): Tensor {
    return new Tensor(this.values, this.shape);
  }

  /**
   * The values laid out like NumPy / PyTorch (one format for all elements, columns aligned, the
   * middle of long axes elided with `...` past 1000 elements), then shape and dtype.
   * Example: `tensor([[1., 2.], [3., 4.]])` prints as `tensor([[1., 2.],\n        [3., 4.]], shape=[2, 2], dtype=float32)`.
   */
  toString(): string {
    return formatTensor(this.values, this.shape, this.dtype, this.requiresGrad);
  }

  [inspectSymbol](): string {
    return this.toString();
  }
}
