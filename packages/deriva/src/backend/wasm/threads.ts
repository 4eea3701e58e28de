/**
 * The thread pool: worker threads that share the kernels' memory and run parts of one kernel
 * call. The op API is synchronous, so the calling thread writes every part's arguments to the job
 * table of the control block, posts the call to the workers' slots, bumps the job generation and
 * takes parts from the table itself, as each worker that wakes in time does (a shared counter
 * hands each part out once, so a slow or descheduled thread simply takes fewer parts and never
 * stalls the call). When no part is left it closes the slots of workers that never joined and
 * waits (spinning briefly, then Atomics.wait) for those that did. Workers start on first use and
 * live as long as the process (they never keep it alive). In a browser a worker only starts once
 * its spawner returns to the event loop, so there the pool never blocks on a start: warmUp()
 * starts the workers ahead (ready() awaits it), and a call that finds them not yet running runs
 * on the calling thread alone.
 */
import type { KernelExports, ThreadedKernel } from "./exports.js";
import { THREADED_KERNELS } from "./exports.js";
import type { Platform, WorkerHandle } from "./platform.js";
import { MAX_PARTS } from "./split.js";
import type { WasmMemory, WasmModule } from "./wasm-api.js";
import { type ControlLayout, claimSlot, type WorkerData, workerSource } from "./worker-source.js";

/** Most threads a pool runs (the control block has a slot for each helper). */
export const MAX_THREADS = 64;
const MAX_ARGS = 24;
const LAYOUT: ControlLayout = {
  seq: 0,
  ready: 1,
  error: 2,
  next: 3,
  total: 4,
  fn: 5,
  argc: 6,
  slots: 64,
  slotBytes: 64,
  posted: 0,
  claimed: 1,
  finished: 2,
  jobs: 64 + MAX_THREADS * 64,
  jobBytes: MAX_ARGS * 8,
};
const CONTROL_USED = LAYOUT.jobs + MAX_PARTS * LAYOUT.jobBytes;
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
   * Runs `kernel` once per argument list, in parallel: the calling thread and the workers take
   * the parts in turn until none is left; returns when all are done. More parts than threads
   * balance the load when one thread runs slower (another process, the engine's own helpers on
   * its core). At most MAX_PARTS parts, all with the same number of arguments.
   */
  run(kernel: ThreadedKernel, parts: readonly (readonly number[])[]): void {
    const fn = this.kernels[kernel] as (...args: number[]) => void;
    const helpers = Math.min(this.threads, parts.length) - 1;
    if (helpers < 1 || !this.startWorkers(helpers)) {
      for (const args of parts) fn(...args);
      return;
    }
    if (parts.length > MAX_PARTS) throw new Error(`wasm: ${kernel} split into more than ${MAX_PARTS} parts`);
    const { i32, f64 } = this;
    const argc = parts[0]!.length;
    for (const [part, args] of parts.entries()) {
      if (args.length !== argc || argc > MAX_ARGS)
        throw new Error(`wasm: ${kernel}'s parts need the same number of arguments, at most ${MAX_ARGS}`);
      f64.set(args, (LAYOUT.jobs + part * LAYOUT.jobBytes) / 8);
    }
    i32[LAYOUT.fn] = THREADED_KERNELS.indexOf(kernel);
    i32[LAYOUT.argc] = argc;
    Atomics.store(i32, LAYOUT.total, parts.length);
    Atomics.store(i32, LAYOUT.next, 0);
    const gen = (Atomics.load(i32, LAYOUT.seq) + 1) | 0;
    for (let w = 0; w < helpers; w++) Atomics.store(i32, this.slot(w) + LAYOUT.posted, gen);
    Atomics.store(i32, LAYOUT.seq, gen);
    Atomics.notify(i32, LAYOUT.seq);
    let failure: unknown = null;
    try {
      for (
        let part = Atomics.add(i32, LAYOUT.next, 1);
        part < parts.length;
        part = Atomics.add(i32, LAYOUT.next, 1)
      )
        fn(...parts[part]!);
    } catch (error) {
      failure = error; // still wait: the workers are writing into memory the next call reuses
      Atomics.store(i32, LAYOUT.next, parts.length); // and take no more parts
    }
    for (let w = 0; w < helpers; w++) {
      // a worker that has not joined by now never will (the call is done): close its slot
      if (!claimSlot(i32, this.slot(w), LAYOUT, gen)) this.waitFinished(this.slot(w) + LAYOUT.finished, gen);
    }
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
