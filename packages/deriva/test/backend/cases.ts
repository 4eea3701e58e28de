/**
 * A table of kernel calls on seeded random inputs, one list per kernel of the Backend interface
 * (typed over its keys, so a new kernel without cases does not compile). Each case runs the
 * kernel on a given backend and returns its outputs, so the same call can be compared across
 * backends, thread counts and SIMD builds.
 */
import type {
  ArgReduceOp,
  Backend,
  BatchNormParams,
  BinaryOp,
  Conv2dParams,
  MatmulParams,
  Pool2dParams,
  ReduceOp,
  UnaryGradOp,
  UnaryOp,
} from "../../src/backend/backend.js";
import { jsBackend } from "../../src/backend/js/index.js";
import { convParams } from "../../src/ops/conv.js";
import type { FloatArray, TypedArray } from "../../src/tensor/dtype.js";
import { Generator } from "../../src/tensor/random.js";
import { stridesOf } from "../../src/tensor/shape.js";

export type FloatDType = "float32" | "float64";
/** Every method of Backend but read (asynchronous: test/tensor/async-read.test.ts runs it on each backend). */
export type KernelName = Exclude<keyof Backend, "name" | "read">;

export interface KernelCase {
  readonly label: string;
  run(backend: Backend): TypedArray[];
}

const gen = new Generator(2024);

function floats(dtype: FloatDType, size: number, low = -1, high = 1): FloatArray {
  const out = dtype === "float32" ? new Float32Array(size) : new Float64Array(size);
  for (let i = 0; i < size; i++) out[i] = low + (high - low) * gen.uniform();
  return out;
}

function like(x: FloatArray, size: number): FloatArray {
  return x instanceof Float32Array ? new Float32Array(size) : new Float64Array(size);
}

function ints(size: number, below: number): Int32Array {
  const out = new Int32Array(size);
  for (let i = 0; i < size; i++) out[i] = Math.floor(gen.uniform() * below);
  return out;
}

const UNARY: UnaryOp[] = [
  "neg",
  "exp",
  "log",
  "sqrt",
  "abs",
  "sin",
  "cos",
  "tanh",
  "sigmoid",
  "relu",
  "erf",
  "softplus",
  "sign",
];
const BINARY: BinaryOp[] = [
  "add",
  "sub",
  "mul",
  "div",
  "pow",
  "maximum",
  "minimum",
  "eq",
  "ne",
  "gt",
  "lt",
  "ge",
  "le",
];
const POSITIVE_ONLY = new Set<UnaryOp>(["log", "sqrt"]);

/**
 * Operand shapes of the binary cases: broadcast both ways, same shape, a scalar, a row, and the
 * one flat run (1-D) the op layer makes of same-shape and scalar operands.
 */
const BINARY_SHAPES: [number[], number[]][] = [
  [[1001], [1001]],
  [[1001], []],
  [
    [3, 1, 5],
    [4, 5],
  ],
  [
    [37, 41],
    [37, 41],
  ],
  [[37, 41], []],
  [[], [37, 41]],
  [[41], [37, 41]],
  [
    [37, 1],
    [37, 41],
  ],
];

function size(shape: readonly number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}

function broadcast(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  return Array.from({ length: n }, (_, i) => {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    return Math.max(x, y);
  });
}

/** Element strides of `shape` read over `outShape` (0 on broadcast axes). */
function stridesFor(shape: readonly number[], outShape: readonly number[]): number[] {
  const own = stridesOf(shape);
  return outShape.map((_, i) => {
    const axis = i - (outShape.length - shape.length);
    return axis < 0 || shape[axis] === 1 ? 0 : own[axis]!;
  });
}

/** Matrix products: [batch, m, k, n, aBatch, bBatch] (a batch of 1 broadcasts). */
const MATMUL_SHAPES: [number, number, number, number, number, number][] = [
  [1, 1, 1, 1, 1, 1],
  [1, 5, 7, 9, 1, 1],
  [1, 13, 3, 67, 1, 1],
  [1, 64, 300, 33, 1, 1], // k crosses a packed block (256)
  [1, 130, 17, 21, 1, 1], // m crosses a block of packed rows (128)
  [1, 6, 5, 1030, 1, 1], // n crosses a block of packed columns (1024)
  [3, 9, 11, 10, 3, 3],
  [4, 7, 6, 5, 1, 4], // A broadcast over the batch
  [5, 8, 4, 9, 5, 1], // B broadcast over the batch
  // matrix-vector products (gemv): long and short rows, long and short columns, a dot product
  [1, 37, 21, 1, 1, 1],
  [1, 1, 21, 37, 1, 1],
  [1, 300, 2, 1, 1, 1],
  [1, 2, 300, 1, 1, 1],
  [1, 1, 300, 1, 1, 1],
  [3, 5, 6, 1, 3, 3], // a batch of them (gemm)
];

function matmulCase(
  dtype: FloatDType,
  shape: (typeof MATMUL_SHAPES)[number],
  transA: boolean,
  transB: boolean,
): KernelCase {
  const [batch, m, k, n, aBatch, bBatch] = shape;
  const a = floats(dtype, aBatch * m * k);
  const b = floats(dtype, bBatch * k * n);
  const offsets = (count: number, size: number) =>
    Int32Array.from({ length: batch }, (_, i) => (count === 1 ? 0 : i * size));
  const params: MatmulParams = {
    batch,
    m,
    k,
    n,
    transA,
    transB,
    aOffsets: offsets(aBatch, m * k),
    bOffsets: offsets(bBatch, k * n),
  };
  return {
    label: `matmul ${dtype} ${shape.join("×")} ${transA ? "Aᵀ" : "A"}${transB ? "Bᵀ" : "B"}`,
    run: (backend) => {
      const out = like(a, batch * m * n);
      backend.matmul(a, b, out, params);
      return [out];
    },
  };
}

function conv(
  n: number,
  cIn: number,
  h: number,
  w: number,
  cOut: number,
  kh: number,
  kw: number,
  stride: [number, number],
  pad: [number, number],
): Conv2dParams {
  return convParams({ stride, padding: pad, inputShape: [n, cIn, h, w], weightShape: [cOut, cIn, kh, kw] });
}

const CONVS: Conv2dParams[] = [
  conv(3, 3, 9, 11, 5, 3, 3, [1, 1], [1, 1]),
  conv(2, 2, 10, 7, 6, 3, 2, [2, 1], [0, 0]),
  conv(2, 4, 5, 6, 3, 1, 1, [1, 1], [0, 0]), // pointwise: the image is its own im2col matrix
  conv(5, 1, 8, 8, 9, 5, 5, [2, 3], [2, 2]),
  conv(1, 3, 4, 4, 2, 3, 3, [1, 1], [2, 1]), // padding wider than the kernel reach on one side
  conv(3, 2, 6, 7, 10, 2, 2, [1, 1], [1, 0]), // more filters than taps: the filter gradient splits by filter
  // more filters than taps, 25 deep: the input gradient's product (depth 32) needs more scratch than the forward's
  conv(2, 1, 12, 12, 32, 5, 5, [1, 1], [2, 2]),
  // "same" padding at stride 1 (each tap's row is one contiguous span): square, wide and uneven kernels
  conv(2, 3, 7, 9, 4, 5, 5, [1, 1], [2, 2]),
  conv(2, 2, 6, 5, 3, 3, 5, [1, 1], [1, 2]),
  conv(3, 2, 2, 3, 2, 5, 3, [1, 1], [2, 1]), // the kernel taller than the image
  // 3×3 at stride 1 with 8 or more channels each way: Winograd's path for float32 (odd sizes
  // leave partial tiles; padding 0 to 2 on either axis)
  conv(3, 8, 9, 11, 8, 3, 3, [1, 1], [1, 1]),
  conv(2, 9, 6, 5, 10, 3, 3, [1, 1], [0, 0]),
  conv(2, 12, 4, 7, 8, 3, 3, [1, 1], [2, 0]),
  conv(5, 16, 8, 8, 24, 3, 3, [1, 1], [1, 1]), // several images in one group of tiles
  // 1,024 channel pairs or more: the filter gradient by Winograd's path too
  conv(3, 32, 16, 16, 32, 3, 3, [1, 1], [1, 1]), // images in two groups (the filter gradient sums them)
  conv(2, 32, 7, 9, 33, 3, 3, [1, 1], [0, 2]),
];

function convLabel(kind: string, dtype: FloatDType, p: Conv2dParams): string {
  return `${kind} ${dtype} x[${p.n},${p.cIn},${p.h},${p.w}] w[${p.cOut},${p.cIn},${p.kh},${p.kw}] s${p.strideH},${p.strideW} p${p.padH},${p.padW}`;
}

function pool(
  n: number,
  c: number,
  h: number,
  w: number,
  k: [number, number],
  s: [number, number],
  pad: [number, number],
): Pool2dParams {
  return {
    n,
    c,
    h,
    w,
    kh: k[0],
    kw: k[1],
    strideH: s[0],
    strideW: s[1],
    padH: pad[0],
    padW: pad[1],
    outH: Math.floor((h + 2 * pad[0] - k[0]) / s[0]) + 1,
    outW: Math.floor((w + 2 * pad[1] - k[1]) / s[1]) + 1,
  };
}

/** Batch-norm layouts: images ([n, c, H·W]), a [N, C] batch (spatial 1), one sample per channel row. */
const NORMS: BatchNormParams[] = [
  { n: 4, c: 3, spatial: 25, eps: 1e-5 },
  { n: 6, c: 5, spatial: 1, eps: 1e-3 },
  { n: 2, c: 2, spatial: 64, eps: 0 },
];

function normLabel(kernel: string, dtype: FloatDType, p: BatchNormParams): string {
  return `${kernel} ${dtype} [${p.n}, ${p.c}, ${p.spatial}] eps ${p.eps}`;
}

const POOLS: Pool2dParams[] = [
  pool(2, 3, 8, 8, [2, 2], [2, 2], [0, 0]),
  pool(2, 3, 9, 11, [2, 2], [2, 2], [0, 0]), // odd sizes: a partial group of four windows, a dropped last row
  pool(2, 3, 6, 7, [2, 2], [2, 2], [0, 0]), // rows of three windows: narrower than the vector kernels take
  pool(3, 2, 9, 11, [3, 2], [2, 3], [0, 0]),
  pool(2, 5, 7, 7, [3, 3], [1, 1], [1, 1]), // overlapping windows, padded
];

function poolLabel(kind: string, dtype: FloatDType, p: Pool2dParams): string {
  return `${kind} ${dtype} [${p.n},${p.c},${p.h},${p.w}] k${p.kh},${p.kw} s${p.strideH},${p.strideW} p${p.padH},${p.padW}`;
}

function forDtypes(make: (dtype: FloatDType) => KernelCase[]): KernelCase[] {
  return [...make("float32"), ...make("float64")];
}

/**
 * The storage kernels: allocation, upload, write and download round trips, and the optimizers'
 * fused in-place updates (each run on fresh copies, since they write their inputs), returning the
 * parameter and every state buffer they change.
 */
const STORAGE_CASES: Pick<
  Record<KernelName, KernelCase[]>,
  | "allocate"
  | "upload"
  | "write"
  | "download"
  | "sgdUpdate"
  | "adamUpdate"
  | "rmspropUpdate"
  | "adagradUpdate"
  | "scaleAdd"
> = {
  allocate: (["float32", "float64", "int32"] as const).map((dtype) => ({
    label: `allocate ${dtype}`,
    run: (backend) => [backend.download(backend.allocate(dtype, 37)).slice()],
  })),
  upload: forDtypes((dtype) => {
    const x = floats(dtype, 41);
    return [
      { label: `upload ${dtype}`, run: (backend) => [backend.download(backend.upload(x.slice())).slice()] },
    ];
  }),
  write: forDtypes((dtype) => {
    const x = floats(dtype, 41);
    return [
      {
        label: `write ${dtype}`,
        run: (backend) => {
          const target = backend.allocate(dtype, 41);
          backend.write(target, Array.from(x));
          return [backend.download(target).slice()];
        },
      },
    ];
  }),
  download: forDtypes((dtype) => {
    const x = floats(dtype, 41);
    return [{ label: `download ${dtype}`, run: (backend) => [backend.download(x).slice()] }];
  }),
  sgdUpdate: forDtypes((dtype) => {
    const p = floats(dtype, 301);
    const g = floats(dtype, 301);
    const b = floats(dtype, 301);
    const hyper = { lr: 0.1, weightDecay: 0, momentum: 0, dampening: 0, nesterov: false, first: false };
    const variants = [
      { name: "plain", hyper, buffer: false },
      { name: "weight decay", hyper: { ...hyper, weightDecay: 0.01 }, buffer: false },
      { name: "momentum", hyper: { ...hyper, momentum: 0.9, dampening: 0.1 }, buffer: true },
      {
        name: "momentum first step",
        hyper: { ...hyper, momentum: 0.9, dampening: 0.1, first: true },
        buffer: true,
      },
      {
        name: "momentum and weight decay",
        hyper: { ...hyper, momentum: 0.9, weightDecay: 0.01 },
        buffer: true,
      },
      {
        name: "nesterov",
        hyper: { ...hyper, momentum: 0.9, nesterov: true, weightDecay: 0.01 },
        buffer: true,
      },
      {
        name: "nesterov without weight decay",
        hyper: { ...hyper, momentum: 0.9, nesterov: true },
        buffer: true,
      },
    ];
    return variants.map(({ name, hyper, buffer }) => ({
      label: `sgdUpdate ${name} ${dtype}`,
      run: (backend) => {
        const [param, momentum] = [p.slice(), b.slice()];
        backend.sgdUpdate(param, g, buffer ? momentum : null, hyper);
        return buffer ? [param, momentum] : [param];
      },
    }));
  }),
  adamUpdate: forDtypes((dtype) =>
    [
      { decoupled: false, weightDecay: 0.01 },
      { decoupled: true, weightDecay: 0.01 },
      { decoupled: false, weightDecay: 0 },
    ].map(({ decoupled, weightDecay }) => {
      const p = floats(dtype, 301);
      const g = floats(dtype, 301);
      const m = floats(dtype, 301);
      const v = floats(dtype, 301, 0, 1);
      const hyper = { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay, decoupled, step: 3 };
      return {
        label: `adamUpdate ${decoupled ? "AdamW" : "Adam"}${weightDecay === 0 ? " without weight decay" : ""} ${dtype}`,
        run: (backend) => {
          const [param, mean, square] = [p.slice(), m.slice(), v.slice()];
          backend.adamUpdate(param, g, mean, square, hyper);
          return [param, mean, square];
        },
      };
    }),
  ),
  rmspropUpdate: forDtypes((dtype) =>
    [false, true].map((centered) => {
      const p = floats(dtype, 301);
      const g = floats(dtype, 301);
      const s = floats(dtype, 301, 1, 2);
      const a = floats(dtype, 301, -0.1, 0.1);
      const b = floats(dtype, 301);
      const hyper = { lr: 0.01, alpha: 0.99, eps: 1e-8, weightDecay: 0.01, momentum: 0.9 };
      return {
        label: `rmspropUpdate ${centered ? "centered" : "plain"} ${dtype}`,
        run: (backend) => {
          const [param, square, average, buffer] = [p.slice(), s.slice(), a.slice(), b.slice()];
          backend.rmspropUpdate(param, g, square, centered ? average : null, buffer, hyper);
          return [param, square, average, buffer];
        },
      };
    }),
  ),
  adagradUpdate: forDtypes((dtype) => {
    const p = floats(dtype, 301);
    const g = floats(dtype, 301);
    const sum = floats(dtype, 301, 0, 1);
    const hyper = { lr: 0.01, eps: 1e-10, weightDecay: 0.01, lrDecay: 0.1, step: 4 };
    return [
      {
        label: `adagradUpdate ${dtype}`,
        run: (backend) => {
          const [param, squares] = [p.slice(), sum.slice()];
          backend.adagradUpdate(param, g, squares, hyper);
          return [param, squares];
        },
      },
    ];
  }),
  scaleAdd: forDtypes((dtype) => {
    const y = floats(dtype, 301);
    const x = floats(dtype, 301);
    return [
      {
        label: `scaleAdd ${dtype}`,
        run: (backend) => {
          const out = y.slice();
          backend.scaleAdd(out, 0.9, x, 0.1);
          return [out];
        },
      },
    ];
  }),
};

export const KERNEL_CASES: Record<KernelName, KernelCase[]> = {
  unary: forDtypes((dtype) =>
    UNARY.map((op) => {
      const x = POSITIVE_ONLY.has(op) ? floats(dtype, 1001, 0.01, 5) : floats(dtype, 1001, -4, 4);
      // the edges: overflow, underflow to subnormals, signed zero, NaN, infinities
      x.set(
        [-100, 100, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 88.7, -87.5, 1e-30],
        990,
      );
      return {
        label: `unary ${op} ${dtype}`,
        run: (backend) => {
          const out = like(x, x.length);
          backend.unary(op, x, out);
          return [out];
        },
      };
    }),
  ),
  unaryGrad: forDtypes((dtype) =>
    (["sigmoid", "tanh", "relu"] as UnaryGradOp[]).map((op) => {
      const g = floats(dtype, 1001, -3, 3);
      const y = floats(dtype, 1001, op === "sigmoid" ? 0 : -1, 1);
      return {
        label: `unaryGrad ${op} ${dtype}`,
        run: (backend) => {
          const out = like(y, y.length);
          backend.unaryGrad(op, g, y, out);
          return [out];
        },
      };
    }),
  ),
  binary: forDtypes((dtype) =>
    BINARY_SHAPES.flatMap(([aShape, bShape]) => {
      const outShape = broadcast(aShape, bShape);
      const a = floats(dtype, size(aShape), 0.1, 2);
      const b = floats(dtype, size(bShape), 0.1, 2);
      if (a.length > 3) a[3] = b[Math.min(3, b.length - 1)]!; // an equal pair for the comparisons
      if (a.length > 6) a[6] = Number.NaN;
      return BINARY.map((op) => ({
        label: `binary ${op} ${dtype} [${aShape}]·[${bShape}]`,
        run: (backend: Backend) => {
          const out = like(a, size(outShape));
          backend.binary(op, a, stridesFor(aShape, outShape), b, stridesFor(bShape, outShape), out, outShape);
          return [out];
        },
      }));
    }),
  ),
  where: forDtypes((dtype) => {
    const cond = floats(dtype, 6 * 7, -1, 1).map((v) => (v > 0 ? 1 : 0)) as FloatArray;
    const a = floats(dtype, 7);
    const b = floats(dtype, 6 * 7);
    return [
      {
        label: `where ${dtype}`,
        run: (backend) => {
          const out = like(a, 6 * 7);
          backend.where(cond, [7, 1], a, [0, 1], b, [7, 1], out, [6, 7]);
          return [out];
        },
      },
    ];
  }),
  reduce: forDtypes((dtype) => {
    const shape = [4, 5, 6, 7];
    const x = floats(dtype, 4 * 5 * 6 * 7);
    x[100] = Number.NaN; // max and min propagate it
    const axesList = [[0], [3], [1, 2], [0, 2], [0, 1, 2, 3]];
    return (["sum", "max", "min"] as ReduceOp[]).flatMap((op) =>
      axesList.map((axes) => ({
        label: `reduce ${op} ${dtype} axes ${axes.join(",")}`,
        run: (backend: Backend) => {
          const kept = shape.filter((_, i) => !axes.includes(i));
          const out = like(
            x,
            kept.reduce((p, d) => p * d, 1),
          );
          backend.reduce(op, x, shape, axes, out);
          return [out];
        },
      })),
    );
  }),
  argReduce: forDtypes((dtype) => {
    const x = floats(dtype, 5 * 6 * 7);
    return (["argmax", "argmin"] as ArgReduceOp[]).flatMap((op) =>
      [0, 1, 2].map((axis) => ({
        label: `argReduce ${op} ${dtype} axis ${axis}`,
        run: (backend: Backend) => {
          const out = new Int32Array((5 * 6 * 7) / [5, 6, 7][axis]!);
          backend.argReduce(op, x, [5, 6, 7], axis, out);
          return [out];
        },
      })),
    );
  }),
  cast: forDtypes((dtype) => {
    const x = floats(dtype, 100, -50, 50);
    return [
      {
        label: `cast ${dtype} → int32 and back`,
        run: (backend) => {
          const i = new Int32Array(x.length);
          backend.cast(x, i);
          const f = like(x, x.length);
          backend.cast(i, f);
          return [i, f];
        },
      },
    ];
  }),
  strided: forDtypes((dtype) => {
    const x = floats(dtype, 3 * 4 * 5);
    return [
      {
        label: `strided transpose + slice ${dtype}`,
        run: (backend) => {
          const out = like(x, 5 * 2 * 3);
          backend.strided(x, 5, [1, 5, 20], out, [5, 2, 3]); // x[:, 1:3, :] transposed
          return [out];
        },
      },
    ];
  }),
  stridedWrite: forDtypes((dtype) => {
    const x = floats(dtype, 2 * 3);
    return [
      {
        label: `stridedWrite into padding ${dtype}`,
        run: (backend) => {
          const out = like(x, 4 * 5);
          backend.stridedWrite(x, [2, 3], out, 6, stridesOf([4, 5]));
          return [out];
        },
      },
    ];
  }),
  take: forDtypes((dtype) => {
    const x = floats(dtype, 50);
    const indices = ints(77, 50);
    return [
      {
        label: `take ${dtype}`,
        run: (backend) => {
          const out = like(x, indices.length);
          backend.take(x, indices, out);
          return [out];
        },
      },
    ];
  }),
  takeRows: forDtypes((dtype) => {
    const x = floats(dtype, 30 * 20);
    return [1, 20].map((rowSize) => {
      const rows = ints(9, (30 * 20) / rowSize);
      return {
        label: `takeRows ${dtype} rows of ${rowSize}`,
        run: (backend) => {
          const out = like(x, rows.length * rowSize);
          backend.takeRows(x, rowSize, rows, out);
          return [out];
        },
      };
    });
  }),
  ...STORAGE_CASES,
  scatterAdd: forDtypes((dtype) => {
    const values = floats(dtype, 77);
    const indices = ints(77, 20);
    return [
      {
        label: `scatterAdd ${dtype}`,
        run: (backend) => {
          const out = like(values, 20);
          backend.scatterAdd(values, indices, out);
          return [out];
        },
      },
    ];
  }),
  matmul: forDtypes((dtype) =>
    MATMUL_SHAPES.flatMap((shape) =>
      [
        [false, false],
        [true, false],
        [false, true],
        [true, true],
      ].map(([ta, tb]) => matmulCase(dtype, shape, ta!, tb!)),
    ),
  ),
  conv2d: forDtypes((dtype) =>
    CONVS.flatMap((p) => {
      const x = floats(dtype, p.n * p.cIn * p.h * p.w);
      const w = floats(dtype, p.cOut * p.cIn * p.kh * p.kw);
      const bias = floats(dtype, p.cOut);
      return [bias, null].map((b) => ({
        label: `${convLabel("conv2d", dtype, p)}${b ? " +bias" : ""}`,
        run: (backend: Backend) => {
          const out = like(x, p.n * p.cOut * p.outH * p.outW);
          backend.conv2d(x, w, b, out, p);
          return [out];
        },
      }));
    }),
  ),
  conv2dBackwardInput: forDtypes((dtype) =>
    CONVS.map((p) => {
      const g = floats(dtype, p.n * p.cOut * p.outH * p.outW);
      const w = floats(dtype, p.cOut * p.cIn * p.kh * p.kw);
      return {
        label: convLabel("conv2dBackwardInput", dtype, p),
        run: (backend: Backend) => {
          const out = like(g, p.n * p.cIn * p.h * p.w);
          backend.conv2dBackwardInput(g, w, out, p);
          return [out];
        },
      };
    }),
  ),
  conv2dBackwardFilter: forDtypes((dtype) =>
    CONVS.map((p) => {
      const x = floats(dtype, p.n * p.cIn * p.h * p.w);
      const g = floats(dtype, p.n * p.cOut * p.outH * p.outW);
      return {
        label: convLabel("conv2dBackwardFilter", dtype, p),
        run: (backend: Backend) => {
          const out = like(x, p.cOut * p.cIn * p.kh * p.kw);
          backend.conv2dBackwardFilter(x, g, out, p);
          return [out];
        },
      };
    }),
  ),
  maxPool2d: forDtypes((dtype) =>
    POOLS.map((p, i) => {
      const x = floats(dtype, p.n * p.c * p.h * p.w);
      if (i === 0) x[9] = Number.NaN; // a NaN wins its window
      if (i === 1) for (let k = 0; k < x.length; k++) x[k] = Math.round(x[k]! * 2) / 2; // ties: the first maximum wins
      return {
        label: poolLabel("maxPool2d", dtype, p),
        run: (backend: Backend) => {
          const out = like(x, p.n * p.c * p.outH * p.outW);
          const argmax = new Int32Array(out.length);
          backend.maxPool2d(x, out, argmax, p);
          return [out, argmax];
        },
      };
    }),
  ),
  maxPool2dBackward: forDtypes((dtype) =>
    POOLS.map((p) => {
      // the argmax of a max pooling (overlapping windows share inputs, whose gradients add up)
      const x = floats(dtype, p.n * p.c * p.h * p.w);
      const g = floats(dtype, p.n * p.c * p.outH * p.outW);
      const argmax = new Int32Array(g.length);
      jsBackend.maxPool2d(x, like(x, g.length), argmax, p);
      return {
        label: poolLabel("maxPool2dBackward", dtype, p),
        run: (backend: Backend) => {
          const out = like(g, x.length);
          backend.maxPool2dBackward(g, argmax, out, p);
          return [out];
        },
      };
    }),
  ),
  avgPool2d: forDtypes((dtype) =>
    POOLS.map((p) => {
      const x = floats(dtype, p.n * p.c * p.h * p.w);
      return {
        label: poolLabel("avgPool2d", dtype, p),
        run: (backend: Backend) => {
          const out = like(x, p.n * p.c * p.outH * p.outW);
          backend.avgPool2d(x, out, p);
          return [out];
        },
      };
    }),
  ),
  avgPool2dBackward: forDtypes((dtype) =>
    POOLS.map((p) => {
      const g = floats(dtype, p.n * p.c * p.outH * p.outW);
      return {
        label: poolLabel("avgPool2dBackward", dtype, p),
        run: (backend: Backend) => {
          const out = like(g, p.n * p.c * p.h * p.w);
          backend.avgPool2dBackward(g, out, p);
          return [out];
        },
      };
    }),
  ),
  batchNorm: forDtypes((dtype) =>
    NORMS.map((p) => {
      const x = floats(dtype, p.n * p.c * p.spatial, -2, 3);
      const weight = floats(dtype, p.c);
      const bias = floats(dtype, p.c);
      return {
        label: normLabel("batchNorm", dtype, p),
        run: (backend: Backend) => {
          const [out, mean, variance] = [like(x, x.length), like(x, p.c), like(x, p.c)];
          backend.batchNorm(x, weight, bias, out, mean, variance, p);
          return [out, mean, variance];
        },
      };
    }),
  ),
  batchNormBackward: forDtypes((dtype) =>
    NORMS.map((p) => {
      const size = p.n * p.c * p.spatial;
      const [g, x] = [floats(dtype, size), floats(dtype, size, -2, 3)];
      const [weight, mean] = [floats(dtype, p.c), floats(dtype, p.c)];
      const variance = floats(dtype, p.c, 0.5, 2);
      return {
        label: normLabel("batchNormBackward", dtype, p),
        run: (backend: Backend) => {
          const [dx, dWeight, dBias] = [like(x, size), like(x, p.c), like(x, p.c)];
          backend.batchNormBackward(g, x, weight, mean, variance, dx, dWeight, dBias, p);
          return [dx, dWeight, dBias];
        },
      };
    }),
  ),
  conv2dMaxPool2d: forDtypes((dtype) =>
    CONVS.flatMap((p, i) => {
      const pooling = poolOfConv(p, i);
      const x = floats(dtype, p.n * p.cIn * p.h * p.w);
      const w = floats(dtype, p.cOut * p.cIn * p.kh * p.kw);
      const bias = floats(dtype, p.cOut);
      // with a bias and a relu after the pooling, and with neither
      return [bias, null].map((b) => ({
        label: `${convLabel("conv2dMaxPool2d", dtype, p)}${b ? " +bias" : ""} then ${poolLabel("", dtype, pooling)}${b ? " then relu" : ""}`,
        run: (backend: Backend) => {
          const out = like(x, pooling.n * pooling.c * pooling.outH * pooling.outW);
          const argmax = new Int32Array(out.length);
          backend.conv2dMaxPool2d(x, w, b, out, argmax, p, pooling, b !== null);
          return [out, argmax];
        },
      }));
    }),
  ),
  conv2dMaxPool2dBackward: forDtypes((dtype) =>
    CONVS.flatMap((p, i) => {
      const pooling = poolOfConv(p, i);
      const x = floats(dtype, p.n * p.cIn * p.h * p.w);
      const w = floats(dtype, p.cOut * p.cIn * p.kh * p.kw);
      const g = floats(dtype, pooling.n * pooling.c * pooling.outH * pooling.outW);
      // the argmax of the forward call (overlapping windows share inputs, whose gradients add up)
      const argmax = new Int32Array(g.length);
      const reluOutput = like(x, g.length);
      jsBackend.conv2dMaxPool2d(x, w, null, reluOutput, argmax, p, pooling, true);
      // every gradient through a relu, and only the filter's (an input that needs none, no bias) without one
      return [true, false].map((all) => ({
        label: `${convLabel("conv2dMaxPool2dBackward", dtype, p)}${all ? " through a relu" : " filter only"} then ${poolLabel("", dtype, pooling)}`,
        run: (backend: Backend) => {
          const dx = all ? like(x, x.length) : null;
          const [dWeight, dBias] = [like(x, w.length), all ? like(x, p.cOut) : null];
          backend.conv2dMaxPool2dBackward(
            g,
            argmax,
            x,
            w,
            dx,
            dWeight,
            dBias,
            p,
            pooling,
            all ? reluOutput : null,
          );
          return [dx, dWeight, dBias].filter((out) => out !== null);
        },
      }));
    }),
  ),
  batchNormMaxPool2d: forDtypes((dtype) =>
    POOLS.map((pool, i) => {
      const norm = normOfPool(pool);
      const x = floats(dtype, pool.n * pool.c * pool.h * pool.w, -2, 3);
      // weights of both signs (a negative one pools the smallest inputs), and a zero one: a
      // channel of ties, where the first window element wins; a relu after every other pooling
      const weight = floats(dtype, pool.c);
      weight[0] = 0;
      const bias = floats(dtype, pool.c);
      const relu = i % 2 === 1;
      return {
        label: `${poolLabel("batchNormMaxPool2d", dtype, pool)}${relu ? " then relu" : ""}`,
        run: (backend: Backend) => {
          const out = like(x, pool.n * pool.c * pool.outH * pool.outW);
          const argmax = new Int32Array(out.length);
          const [mean, variance] = [like(x, pool.c), like(x, pool.c)];
          backend.batchNormMaxPool2d(x, weight, bias, out, argmax, mean, variance, norm, pool, relu);
          return [out, argmax, mean, variance];
        },
      };
    }),
  ),
  batchNormMaxPool2dBackward: forDtypes((dtype) =>
    POOLS.map((pool, i) => {
      const norm = normOfPool(pool);
      const x = floats(dtype, pool.n * pool.c * pool.h * pool.w, -2, 3);
      const g = floats(dtype, pool.n * pool.c * pool.outH * pool.outW);
      const relu = i % 2 === 1;
      const [weight, bias, mean] = [floats(dtype, pool.c), floats(dtype, pool.c), floats(dtype, pool.c)];
      const variance = floats(dtype, pool.c, 0.5, 2);
      // the argmax of the forward call (overlapping windows share inputs, whose gradients add up)
      const argmax = new Int32Array(g.length);
      const reluOutput = like(x, g.length);
      jsBackend.batchNormMaxPool2d(
        x,
        weight,
        bias,
        reluOutput,
        argmax,
        like(x, pool.c),
        like(x, pool.c),
        norm,
        pool,
        true,
      );
      return {
        label: `${poolLabel("batchNormMaxPool2dBackward", dtype, pool)}${relu ? " through a relu" : ""}`,
        run: (backend: Backend) => {
          const [dx, dWeight, dBias] = [like(x, x.length), like(x, pool.c), like(x, pool.c)];
          backend.batchNormMaxPool2dBackward(
            g,
            argmax,
            x,
            weight,
            mean,
            variance,
            dx,
            dWeight,
            dBias,
            norm,
            pool,
            relu ? reluOutput : null,
          );
          return [dx, dWeight, dBias];
        },
      };
    }),
  ),
};

/** A max pooling of conv p's output: 2×2 windows, or 3×3 overlapping and padded ones for every other conv. */
function poolOfConv(p: Conv2dParams, i: number): Pool2dParams {
  const [k, s, pad]: [number, number, number] = i % 2 === 0 ? [2, 2, 0] : [3, 1, 1];
  const [kh, kw] = [Math.min(k, p.outH + 2 * pad), Math.min(k, p.outW + 2 * pad)];
  return pool(
    p.n,
    p.cOut,
    p.outH,
    p.outW,
    [kh, kw],
    [s, s],
    [Math.min(pad, kh >> 1), Math.min(pad, kw >> 1)],
  );
}

/** The batch-norm layout of a pooling's input. */
function normOfPool(p: Pool2dParams): BatchNormParams {
  return { n: p.n, c: p.c, spatial: p.h * p.w, eps: 1e-5 };
}

/**
 * Largest difference between two results relative to the largest magnitude in the reference
 * (a normwise relative error: entrywise relative errors mean nothing for sums that cancel).
 * NaN must meet NaN; int32 outputs must be equal.
 */
export function relativeError(actual: TypedArray, expected: TypedArray): number {
  if (actual.length !== expected.length) return Number.POSITIVE_INFINITY;
  let scale = 0;
  for (let i = 0; i < expected.length; i++)
    if (Number.isFinite(expected[i]!)) scale = Math.max(scale, Math.abs(expected[i]!));
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(e) || !Number.isFinite(e)) {
      if (!Object.is(a, e) && !(Number.isNaN(a) && Number.isNaN(e))) return Number.POSITIVE_INFINITY;
      continue;
    }
    if (expected instanceof Int32Array) {
      if (a !== e) return Number.POSITIVE_INFINITY;
      continue;
    }
    worst = Math.max(worst, Math.abs(a - e) / (scale || 1));
  }
  return worst;
}

/** The tolerance the backends must agree within, by dtype of the case. */
export function toleranceFor(label: string): number {
  return label.includes("float64") ? 1e-12 : 1e-5;
}
