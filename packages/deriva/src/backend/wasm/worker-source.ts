/**
 * The code a worker thread runs, as a string (a worker is started from source, the same way in
 * Node and in a browser, so no file has to be found at run time). `start(data)` instantiates the
 * kernels on the shared memory, then loops: wait until the job generation SEQ moves (polling for
 * a few milliseconds first: waking a sleeping thread can take a millisecond on a virtual machine,
 * longer than many kernel calls, and training calls kernels back to back), join the call by
 * claiming this worker's slot if it was posted for that generation and the caller has not closed
 * it (the caller closes the slots of workers that did not join in time), then take parts from
 * the call's job table by bumping its shared counter until none is left, and mark the slot
 * finished. It never returns.
 */
import type { WasmMemory, WasmModule } from "./wasm-api.js";

/** Word offsets (Int32) in the control block, and the slot geometry in bytes. */
export interface ControlLayout {
  readonly seq: number;
  readonly ready: number;
  readonly error: number;
  /** The call's next unclaimed part, its number of parts, kernel id and argument count. */
  readonly next: number;
  readonly total: number;
  readonly fn: number;
  readonly argc: number;
  /** Byte offset of the job table: each part's arguments (f64), `jobBytes` apart. */
  readonly jobs: number;
  readonly jobBytes: number;
  /** Byte offset of worker 0's slot and bytes per slot. */
  readonly slots: number;
  readonly slotBytes: number;
  /** Word offsets inside a slot: the posted generation, the claimed one (joined or closed), the finished one. */
  readonly posted: number;
  readonly claimed: number;
  readonly finished: number;
}

/** What start(data) receives. */
export interface WorkerData {
  readonly module: WasmModule;
  readonly memory: WasmMemory;
  readonly names: readonly string[];
  readonly index: number;
  /** Milliseconds an idle worker keeps polling for the next job before it sleeps. */
  readonly spinMs: number;
  readonly controlBytes: number;
}

/**
 * `claim(i32, slotWord, gen)`: takes the slot for generation gen unless it is taken or no longer
 * posted; shared by the worker source and the caller (threads.ts), so both sides agree.
 */
export function claimSlot(i32: Int32Array, slot: number, layout: ControlLayout, gen: number): boolean {
  for (;;) {
    const last = Atomics.load(i32, slot + layout.claimed);
    if (last === gen || Atomics.load(i32, slot + layout.posted) !== gen) return false;
    if (Atomics.compareExchange(i32, slot + layout.claimed, last, gen) === last) return true;
  }
}

export function workerSource(layout: ControlLayout): string {
  const { seq, ready, error, slots, slotBytes, posted, finished, next, total, fn, argc, jobs, jobBytes } =
    layout;
  return `"use strict";
const layout = ${JSON.stringify(layout)};
const claimSlot = ${claimSlot.toString()};
function start(data) {
  const instance = new WebAssembly.Instance(data.module, {
    env: { memory: data.memory, abort() { throw new Error("wasm kernel aborted"); } },
  });
  const fns = data.names.map((name) => instance.exports[name]);
  const i32 = new Int32Array(data.memory.buffer, 0, data.controlBytes >> 2);
  const f64 = new Float64Array(data.memory.buffer, 0, data.controlBytes >> 3);
  const slot = (${slots} + data.index * ${slotBytes}) >> 2;
  let seen = Atomics.load(i32, ${seq});
  Atomics.add(i32, ${ready}, 1);
  Atomics.notify(i32, ${ready});
  for (;;) {
    const idleSince = performance.now();
    for (let polls = 1; Atomics.load(i32, ${seq}) === seen; polls++) {
      if ((polls & 255) === 0 && performance.now() - idleSince > data.spinMs) {
        Atomics.wait(i32, ${seq}, seen);
        break;
      }
    }
    seen = Atomics.load(i32, ${seq});
    const gen = Atomics.load(i32, slot + ${posted});
    if (!claimSlot(i32, slot, layout, gen)) continue;
    try {
      const kernel = fns[i32[${fn}]];
      const count = i32[${argc}];
      const list = new Array(count);
      for (let part = Atomics.add(i32, ${next}, 1); part < i32[${total}]; part = Atomics.add(i32, ${next}, 1)) {
        const at = (${jobs} + part * ${jobBytes}) >> 3;
        for (let i = 0; i < count; i++) list[i] = f64[at + i];
        kernel(...list);
      }
    } catch (e) {
      Atomics.store(i32, ${error}, 1);
    }
    Atomics.store(i32, slot + ${finished}, gen);
    Atomics.notify(i32, slot + ${finished});
  }
}
`;
}
