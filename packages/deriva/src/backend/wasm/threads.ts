/**
 * The thread pool: worker threads that share the kernels' memory and run slices of one kernel
 * call. The op API is synchronous, so the calling thread posts each worker's arguments in its
 * slot of the control block, bumps the job generation, runs its own slice, takes back any slice
 * no worker has claimed yet (so a descheduled or slow-to-wake worker never stalls the call),
 * then waits (spinning briefly, then Atomics.wait) for the slices workers did claim. Workers start on first use and live
 * as long as the process (they never keep it alive). In a browser a worker only starts once its
 * spawner returns to the event loop, so there the pool never blocks on a start: warmUp() starts
 * the workers ahead (ready() awaits it), and a call that finds them not yet running runs on the
 * calling thread alone.
 */
import type { KernelExports, ThreadedKernel } from "./exports.js";
import { THREADED_KERNELS } from "./exports.js";
import type { Platform, WorkerHandle } from "./platform.js";
import type { WasmMemory, WasmModule } from "./wasm-api.js";
import { type ControlLayout, claimSlot, type WorkerData, workerSource } from "./worker-source.js";

/** Most threads a pool runs (the control block has a slot for each helper). */
export const MAX_THREADS = 64;
const LAYOUT: ControlLayout = {
  seq: 0,
  ready: 1,
  error: 2,
  slots: 64,
  slotBytes: 256,
  posted: 0,
  claimed: 1,
  finished: 2,
  fn: 3,
  argc: 4,
  args: 32,
};
const CONTROL_USED = LAYOUT.slots + MAX_THREADS * LAYOUT.slotBytes;
const MAX_ARGS = (LAYOUT.slotBytes - LAYOUT.args) / 8;
/** How long the first parallel call waits for new workers to start before giving up on them. */
const START_TIMEOUT_MS = 10_000;
/**
 * How long the caller polls for workers to finish, and idle workers for the next job, before
 * sleeping (milliseconds). The caller has nothing else to do; an idle worker burns its core for
 * this long after each job, the price of starting the next one within microseconds.
 */
const CALLER_SPIN_MS = 0.25;
const WORKER_SPIN_MS = 0.5;

export class ThreadPool {
  private readonly i32: Int32Array;
  private readonly f64: Float64Array;
  private workers: WorkerHandle[] = [];
  private wanted: number;
  /** Set when workers failed to start: from then on everything runs on the calling thread. */
  private broken = false;
  private readonly source = workerSource(LAYOUT);

  constructor(
    private readonly kernels: KernelExports,
    private readonly module: WasmModule,
    private readonly memory: WasmMemory,
    private readonly platform: Platform,
  ) {
    this.i32 = new Int32Array(memory.buffer, 0, CONTROL_USED / 4);
    this.f64 = new Float64Array(memory.buffer, 0, CONTROL_USED / 8);
    this.wanted = this.supported ? Math.min(MAX_THREADS, Math.max(1, platform.cores)) : 1;
  }

  /** Whether more than one thread can ever run here. */
  get supported(): boolean {
    return (
      !this.broken &&
      this.platform.spawn !== null &&
      this.platform.canBlock &&
      this.memory.buffer instanceof SharedArrayBuffer
    );
  }

  /** Threads kernels are split across (the calling thread included). */
  get threads(): number {
    return this.wanted;
  }

  /** Lowering the count leaves the extra workers asleep (they cost no CPU), ready for a later raise. */
  set threads(n: number) {
    this.wanted = this.supported ? Math.min(MAX_THREADS, n) : 1;
  }

  /**
   * Runs `kernel` once per argument list, in parallel: parts[0] on this thread, the others on
   * workers 0, 1, …; returns when all are done. At most `threads` parts.
   */
  run(kernel: ThreadedKernel, parts: readonly (readonly number[])[]): void {
    const fn = this.kernels[kernel] as (...args: number[]) => void;
    if (parts.length === 1) {
      fn(...parts[0]!);
      return;
    }
    const helpers = parts.length - 1;
    if (!this.startWorkers(helpers)) {
      for (const args of parts) fn(...args);
      return;
    }
    const { i32, f64 } = this;
    const gen = (Atomics.load(i32, LAYOUT.seq) + 1) | 0;
    const id = THREADED_KERNELS.indexOf(kernel);
    for (let w = 0; w < helpers; w++) {
      const args = parts[w + 1]!;
      if (args.length > MAX_ARGS) throw new Error(`wasm: ${kernel} has more than ${MAX_ARGS} arguments`);
      const slot = this.slot(w);
      i32[slot + LAYOUT.fn] = id;
      i32[slot + LAYOUT.argc] = args.length;
      f64.set(args, (slot * 4 + LAYOUT.args) / 8);
      Atomics.store(i32, slot + LAYOUT.posted, gen);
    }
    Atomics.store(i32, LAYOUT.seq, gen);
    Atomics.notify(i32, LAYOUT.seq);
    let failure: unknown = null;
    try {
      fn(...parts[0]!);
      // parts no worker has started yet (a busy machine, a sleeping thread) are done here
      for (let w = helpers - 1; w >= 0; w--) {
        if (claimSlot(i32, this.slot(w), LAYOUT, gen)) {
          fn(...parts[w + 1]!);
          Atomics.store(i32, this.slot(w) + LAYOUT.finished, gen);
        }
      }
    } catch (error) {
      failure = error; // still wait: the workers are writing into memory the next call reuses
    }
    for (let w = 0; w < helpers; w++) this.waitFinished(this.slot(w) + LAYOUT.finished, gen);
    if (Atomics.exchange(i32, LAYOUT.error, 0) !== 0 && failure === null) {
      failure = new Error(`wasm: ${kernel} failed on a worker thread`);
    }
    if (failure !== null) throw failure;
  }

  /** Word offset of helper w's slot. */
  private slot(w: number): number {
    return (LAYOUT.slots + w * LAYOUT.slotBytes) / 4;
  }

  /**
   * Starts the workers the current thread count needs and resolves once they run (at once where
   * there is nothing to start; with one thread from then on if they do not start in time).
   */
  async warmUp(): Promise<void> {
    const count = this.wanted - 1;
    if (!this.supported || count < 1 || !this.spawnWorkers(count)) return;
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Atomics.load(this.i32, LAYOUT.ready) < count) {
      if (Date.now() > deadline) {
        this.fallBackToOneThread();
        return;
      }
      await new Promise((wake) => setTimeout(wake, 5));
    }
  }

  /** Spawns workers until `count` exist; false (and one thread from then on) if the host refuses. */
  private spawnWorkers(count: number): boolean {
    for (let index = this.workers.length; index < count; index++) {
      const data: WorkerData = {
        module: this.module,
        memory: this.memory,
        names: THREADED_KERNELS,
        index,
        spinMs: WORKER_SPIN_MS,
        controlBytes: CONTROL_USED,
      };
      try {
        this.workers.push(this.platform.spawn!(this.source, data));
      } catch {
        return this.fallBackToOneThread();
      }
    }
    return true;
  }

  /**
   * Starts workers until `count` run and blocks until they are ready; false (and one thread from
   * then on) when they do not start in time, e.g. a host that refuses worker threads. Where
   * workers start asynchronously, false without waiting while they are not all up yet.
   */
  private startWorkers(count: number): boolean {
    const { i32 } = this;
    if (!this.spawnWorkers(count)) return false;
    if (this.platform.startsAsync) return Atomics.load(i32, LAYOUT.ready) >= count;
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (
      let ready = Atomics.load(i32, LAYOUT.ready);
      ready < count;
      ready = Atomics.load(i32, LAYOUT.ready)
    ) {
      const left = deadline - Date.now();
      if (left <= 0) return this.fallBackToOneThread();
      Atomics.wait(i32, LAYOUT.ready, ready, left);
    }
    return true;
  }

  private fallBackToOneThread(): false {
    this.broken = true;
    this.wanted = 1;
    return false;
  }

  /** Waits until the word at `index` holds `gen`: polling for up to CALLER_SPIN_MS, then Atomics.wait. */
  private waitFinished(index: number, gen: number): void {
    const { i32 } = this;
    const start = performance.now();
    for (let polls = 1; Atomics.load(i32, index) !== gen; polls++) {
      if ((polls & 255) === 0 && performance.now() - start > CALLER_SPIN_MS) {
        for (let now = Atomics.load(i32, index); now !== gen; now = Atomics.load(i32, index)) {
          Atomics.wait(i32, index, now);
        }
        return;
      }
    }
  }
}
