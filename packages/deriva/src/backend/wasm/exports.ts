/**
 * The WebAssembly module's exports as TypeScript sees them (the AssemblyScript side is
 * assembly/index.ts). Pointers are byte offsets into the module's memory; every kernel but
 * Winograd's (float32 only) comes in an f32 and an f64 flavour with identical arguments. `bool`
 * arguments are passed as 0 / 1.
 */

/** A tuple of N numbers. */
type Numbers<N extends number, Acc extends number[] = []> = Acc["length"] extends N
  ? Acc
  : Numbers<N, [...Acc, number]>;
/** A kernel taking N numeric arguments (pointers, sizes, scalars). */
type Kernel<N extends number> = (...args: Numbers<N>) => void;

/** a, ars, acs, aOffsets, b, brs, bcs, bOffsets, c, m, n, k, batch0, batch1, i0, i1, j0, j1, scratch */
type Gemm = Kernel<19>;
/** m, mrs, mcs, x, y, rows, k: y = M·x (one thread: a matrix-vector product is memory-bound) */
type Gemv = Kernel<7>;
/** geometry, x, weight, bias, hasBias, out, b0, b1, scratch */
type Conv = Kernel<9>;
/** geometry, grad, weight, dx, b0, b1, scratch */
type ConvInputGrad = Kernel<7>;
/** geometry, x, grad, dw, i0, i1, j0, j1, scratch: the block [i0, i1) × [j0, j1) of the filter gradient */
type ConvFilterGrad = Kernel<9>;
/** geometry, weight, u, turned, o0, o1: rows [o0, o1) of Winograd's transformed filters (float32 only) */
type WinogradFilters = Kernel<6>;
/** geometry, x, v, b0, b1, plane: images [b0, b1) of x transformed for Winograd's filter gradient (float32 only) */
type WinogradInputs = Kernel<6>;
/** geometry, x, out, argmax, plane0, plane1 */
type MaxPool = Kernel<6>;
/** geometry, grad, argmax, dx, plane0, plane1 */
type MaxPoolBackward = Kernel<6>;
/** geometry, src, dst, plane0, plane1 */
type AvgPool = Kernel<5>;

/** op, x, out, n */
type Unary = Kernel<4>;
/** op, g, y, out, n */
type UnaryGrad = Kernel<5>;
/** op, a, b, out, plan, row0, row1 */
type Binary = Kernel<7>;
/** op, x, outer, r, inner, out, o0, o1, scratch */
type Reduce = Kernel<9>;

/** p, g, b, from, to, lr, wd, momentum, keep, take, hasBuffer, nesterov (elements [from, to)) */
type SgdUpdate = Kernel<12>;
/** p, g, m, v, from, to, lr, beta1, beta2, rest1, rest2, c1, c2, eps, wd, decoupled (elements [from, to)) */
type AdamUpdate = Kernel<16>;
/** x, w, b, out, mean, variance, n, c, spatial, eps, c0, c1 */
type BatchNorm = Kernel<12>;
/** g, x, w, mean, variance, dx, dw, db, n, c, spatial, eps, c0, c1 */
type BatchNormBackward = Kernel<14>;

/** Kernels that can run on worker threads, by name; the order fixes the ids workers call them by. */
export const THREADED_KERNELS = [
  "gemm_f32",
  "gemm_f64",
  "conv2d_f32",
  "conv2d_f64",
  "conv2d_input_grad_f32",
  "conv2d_input_grad_f64",
  "conv2d_filter_grad_f32",
  "conv2d_filter_grad_f64",
  "winograd_filters_f32",
  "winograd_inputs_f32",
  "max_pool_f32",
  "max_pool_f64",
  "max_pool_backward_f32",
  "max_pool_backward_f64",
  "avg_pool_f32",
  "avg_pool_f64",
  "avg_pool_backward_f32",
  "avg_pool_backward_f64",
  "unary_f32",
  "unary_f64",
  "unary_grad_f32",
  "unary_grad_f64",
  "binary_f32",
  "binary_f64",
  "reduce_f32_f32",
  "reduce_f32_f64",
  "reduce_f64_f32",
  "reduce_f64_f64",
  "batch_norm_f32",
  "batch_norm_f64",
  "batch_norm_backward_f32",
  "batch_norm_backward_f64",
  "sgd_update_f32",
  "sgd_update_f64",
  "adam_update_f32",
  "adam_update_f64",
] as const;

export type ThreadedKernel = (typeof THREADED_KERNELS)[number];

export interface KernelExports {
  readonly gemm_f32: Gemm;
  readonly gemm_f64: Gemm;
  readonly gemm_scratch_f32: () => number;
  readonly gemm_scratch_f64: () => number;
  readonly gemv_f32: Gemv;
  readonly gemv_f64: Gemv;
  readonly conv_scratch_f32: (geometry: number) => number;
  /** Whether the forward and input-gradient passes of this convolution take Winograd's path (1) or not (0). */
  readonly conv_by_winograd_f32: (geometry: number) => number;
  /** Scratch for Winograd's filter gradient of `filters` output channels; 0 where it does not apply. */
  readonly conv_filter_grad_winograd_scratch_f32: (geometry: number, filters: number) => number;
  readonly conv_scratch_f64: (geometry: number) => number;
  readonly conv2d_f32: Conv;
  readonly conv2d_f64: Conv;
  readonly conv2d_input_grad_f32: ConvInputGrad;
  readonly conv2d_input_grad_f64: ConvInputGrad;
  readonly conv2d_filter_grad_f32: ConvFilterGrad;
  readonly conv2d_filter_grad_f64: ConvFilterGrad;
  readonly winograd_filters_f32: WinogradFilters;
  readonly winograd_inputs_f32: WinogradInputs;
  /** Bytes of every image's inputs transformed for Winograd's filter gradient. */
  readonly winograd_inputs_bytes_f32: (geometry: number) => number;
  /** Scratch bytes a part of winograd_inputs_f32 needs. */
  readonly winograd_plane_bytes_f32: (geometry: number) => number;
  readonly max_pool_f32: MaxPool;
  readonly max_pool_f64: MaxPool;
  readonly max_pool_backward_f32: MaxPoolBackward;
  readonly max_pool_backward_f64: MaxPoolBackward;
  readonly avg_pool_f32: AvgPool;
  readonly avg_pool_f64: AvgPool;
  readonly avg_pool_backward_f32: AvgPool;
  readonly avg_pool_backward_f64: AvgPool;
  readonly unary_f32: Unary;
  readonly unary_f64: Unary;
  readonly unary_grad_f32: UnaryGrad;
  readonly unary_grad_f64: UnaryGrad;
  readonly binary_f32: Binary;
  readonly binary_f64: Binary;
  readonly reduce_f32_f32: Reduce;
  readonly reduce_f32_f64: Reduce;
  readonly reduce_f64_f32: Reduce;
  readonly reduce_f64_f64: Reduce;
  readonly sgd_update_f32: SgdUpdate;
  readonly sgd_update_f64: SgdUpdate;
  readonly adam_update_f32: AdamUpdate;
  readonly adam_update_f64: AdamUpdate;
  readonly batch_norm_f32: BatchNorm;
  readonly batch_norm_f64: BatchNorm;
  readonly batch_norm_backward_f32: BatchNormBackward;
  readonly batch_norm_backward_f64: BatchNormBackward;
}
