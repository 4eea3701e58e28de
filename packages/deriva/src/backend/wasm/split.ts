/** How a kernel call is cut into per-thread parts. */

/**
 * Tunable limits of the dispatch (tests lower them to force the WebAssembly kernels and the
 * splits). The elementwise ones are where a one-thread call into WebAssembly (copies in and out
 * included) overtook the JavaScript loop in float32 on this project's machine, with Node in
 * either of its typed-array modes (before and after any ArrayBuffer was ever detached).
 */
export const tuning = {
  /** Smallest matmul (batch·m·n·k multiply-adds) sent to WebAssembly: below it the JavaScript kernel's lower fixed cost wins. */
  matmulMinWork: 4096,
  /** The same for a single matrix-vector product (the gemv kernel; the crossover: 130–250). */
  gemvMinWork: 256,
  /** Smallest convolution (multiply-adds of its GEMMs) sent to WebAssembly. */
  convMinWork: 4096,
  /** Smallest pooling input (elements) sent to WebAssembly. */
  poolMinSize: 4096,
  /** Smallest elementwise op (elements) sent to WebAssembly (the crossover: 130–190). */
  elementwiseMinSize: 192,
  /** Smallest reduction (input elements) sent to WebAssembly (the crossover: 250–500). */
  reduceMinSize: 512,
  /** The same for f32 exp and sigmoid, whose SIMD kernels beat JavaScript's Math.exp from 40–60 elements. */
  expMinSize: 64,
  /** Multiply-adds per thread below which one more thread costs more than it saves. */
  workPerThread: 1 << 18,
  /** The same for memory-bound kernels (pooling, elementwise, reductions), in elements. */
  elementsPerThread: 1 << 17,
  /** The same for the optimizers' updates, whose f64 arithmetic costs about 0.6 ns an element on one thread. */
  updateElementsPerThread: 1 << 15,
  /**
   * Parts a threaded call is cut into per thread: the threads take parts in turn, so a thread
   * that runs slower (its core shared with another process or with the engine's own helpers)
   * takes fewer of them instead of holding up the call.
   */
  partsPerThread: 4,
};

/** Whether a call of `work` units (elements, multiply-adds) is worth sending to WebAssembly: non-empty and at least `minimum`. */
export function worthIt(work: number, minimum: number): boolean {
  return work > 0 && work >= minimum;
}

/** Threads to use for `work` units (`perThread` worth one thread) with `maxParts` independent pieces. */
export function threadsFor(
  work: number,
  maxParts: number,
  available: number,
  perThread = tuning.workPerThread,
): number {
  return Math.max(1, Math.min(available, maxParts, Math.floor(work / perThread)));
}

/**
 * Cuts [0, total) into `parts` contiguous ranges whose inner boundaries are multiples of
 * `align` (so that each thread gets whole register tiles), as even as possible; empty ranges
 * are dropped.
 */
export function splitRange(total: number, parts: number, align = 1): [number, number][] {
  const units = Math.ceil(total / align);
  const ranges: [number, number][] = [];
  let start = 0;
  for (let part = 0; part < parts; part++) {
    const end = Math.min(total, Math.round((units * (part + 1)) / parts) * align);
    if (end > start) ranges.push([start, end]);
    start = Math.max(start, end);
  }
  return ranges;
}

/** Most parts one threaded call may have (the rows of the thread pool's job table). */
export const MAX_PARTS = 128;

/**
 * Cuts [0, total) for a call on `threads` threads: tuning.partsPerThread ranges per thread (as
 * splitRange, boundaries multiples of `align`), one range on one thread.
 */
export function splitForThreads(total: number, threads: number, align = 1): [number, number][] {
  const units = Math.ceil(total / align);
  const parts = threads <= 1 ? 1 : Math.min(units, threads * tuning.partsPerThread, MAX_PARTS);
  return splitRange(total, parts, align);
}
