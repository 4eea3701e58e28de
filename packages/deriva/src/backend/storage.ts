/**
 * Storage: a tensor's memory, owned by the backend that computes on it. Only the backend and the
 * engine below the library's layers (tensor/, and ops/, which hands storage to kernels) hold it;
 * everything above reads values through the tensor's accessors and changes parameters through the
 * in-place update kernels here, so that a backend whose memory sits on a device (WebGPU buffers,
 * readable only asynchronously) can implement the same interface.
 *
 * The CPU backends (js, wasm) keep a tensor's elements in a flat row-major typed array, so today
 * `Storage` is that array and any CPU backend computes on any tensor. A device backend will widen
 * it with its buffer handle (which knows its device), download() will refuse on it, and read() will
 * map the buffer back.
 */
import type { DType, TypedArray } from "./arrays.js";

/** A tensor's elements as its backend holds them. Opaque above the engine: use the kernels below. */
export type Storage = TypedArray;

/**
 * One SGD step for one parameter (torch.optim.SGD): u = g + weightDecay·p; with momentum μ the buffer
 * b ← μ·b + (1 − dampening)·u (b = u on its first step) and u = b, or u + μ·b with Nesterov;
 * then p ← p − lr·u.
 */
export interface SgdHyper {
  readonly lr: number;
  readonly weightDecay: number;
  /** 0: plain gradient descent (no buffer is passed). */
  readonly momentum: number;
  readonly dampening: number;
  readonly nesterov: boolean;
  /** The momentum buffer's first step: it starts as u. */
  readonly first: boolean;
}

/**
 * One Adam step for one parameter (torch.optim.Adam, AdamW when `decoupled`): with u = g (+ wd·p
 * when not decoupled), m ← β₁m + (1 − β₁)u, v ← β₂v + (1 − β₂)u², a = (m / (1 − β₁ᵗ)) / (√v / √(1 − β₂ᵗ) + eps),
 * then p ← p − lr·a, or p ← p − lr·(a + wd·p) when decoupled.
 */
export interface AdamHyper {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly decoupled: boolean;
  /** The step count t, 1 on the first step. */
  readonly step: number;
}

/**
 * One RMSprop step (torch.optim.RMSprop): u = g + wd·p, s ← αs + (1 − α)u², when centered
 * a ← αa + (1 − α)u, r = u / (√(s − a²) + eps) (a = 0 otherwise); with momentum μ, b ← μb + r and
 * p ← p − lr·b, else p ← p − lr·r.
 */
export interface RmspropHyper {
  readonly lr: number;
  readonly alpha: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly momentum: number;
}

/**
 * One Adagrad step (torch.optim.Adagrad): u = g + wd·p, sum ← sum + u²,
 * p ← p − lr·u / ((1 + (t − 1)·lrDecay)·(√sum + eps)).
 */
export interface AdagradHyper {
  readonly lr: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly lrDecay: number;
  /** The step count t, 1 on the first step. */
  readonly step: number;
}

/**
 * What every backend does with storage: make it, fill it, give its values back, and update it in
 * place for the optimizers (one fused pass per parameter, state buffers included). Update kernels
 * write only their first storage and the state buffers they are given.
 */
export interface StorageKernels {
  /** New zero-filled storage of `size` elements of `dtype`. */
  allocate(dtype: DType, size: number): Storage;
  /** Storage holding `values`. CPU backends adopt the array: the caller must not write it afterwards. */
  upload(values: TypedArray): Storage;
  /** Overwrites `target` in place with `values` (same length; converted to target's dtype). */
  write(target: Storage, values: ArrayLike<number>): void;
  /**
   * The values, synchronously: CPU backends return the storage itself, which the caller must
   * only read. A device backend refuses (its memory is read with read()).
   */
  download(storage: Storage): TypedArray;
  /** A copy of the values once they can be read: every backend serves it. */
  read(storage: Storage): Promise<TypedArray>;

  /** param ← SGD step (see SgdHyper); `momentumBuffer` is null when momentum is 0. */
  sgdUpdate(param: Storage, grad: Storage, momentumBuffer: Storage | null, hyper: SgdHyper): void;
  /** param ← Adam/AdamW step (see AdamHyper), updating the moment estimates m and v. */
  adamUpdate(param: Storage, grad: Storage, m: Storage, v: Storage, hyper: AdamHyper): void;
  /** param ← RMSprop step (see RmspropHyper); gradAvg only when centered, momentumBuffer only with momentum. */
  rmspropUpdate(
    param: Storage,
    grad: Storage,
    squareAvg: Storage,
    gradAvg: Storage | null,
    momentumBuffer: Storage | null,
    hyper: RmspropHyper,
  ): void;
  /** param ← Adagrad step (see AdagradHyper), updating the running sum of squares. */
  adagradUpdate(param: Storage, grad: Storage, sum: Storage, hyper: AdagradHyper): void;
  /** y ← a·y + b·x in place (running statistics, such as batch norm's). */
  scaleAdd(y: Storage, a: number, x: Storage, b: number): void;
}
