/**
 * The code a worker thread runs, as a string (a worker is started from source, the same way in
 * Node and in a browser, so no file has to be found at run time). `start(data)` instantiates the
 * kernels on the shared memory, then loops: wait until the job generation SEQ moves (polling for
 * a few milliseconds first: waking a sleeping thread can take a millisecond on a virtual machine,
 * longer than many kernel calls, and training calls kernels back to back), claim this worker's slot
 * if it holds a job of that generation nobody has claimed yet (the caller takes back parts no
 * worker started), run it, and mark the slot finished. It never returns.
 */
import type { WasmMemory, WasmModule } from "./wasm-api.js";

/** Word offsets (Int32) in the control block, and the slot geometry in bytes. */
export interface ControlLayout {
  readonly seq: number;
  readonly ready: number;
  readonly error: number;
  /** Byte offset of worker 0's slot and bytes per slot. */
  readonly slots: number;
  readonly slotBytes: number;
  /** Word offsets inside a slot: the posted generation, the claimed one, the finished one, kernel id, argument count. */
  readonly posted: number;
  readonly claimed: number;
  readonly finished: number;
  readonly fn: number;
  readonly argc: number;
  /** Byte offset of the arguments (f64) inside a slot. */
  readonly args: number;
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
  const { seq, ready, error, slots, slotBytes, posted, finished, fn, argc, args } = layout;
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
  const slotByte = ${slots} + data.index * ${slotBytes};
  const slot = slotByte >> 2;
  const argsAt = (slotByte + ${args}) >> 3;
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
      const count = i32[slot + ${argc}];
      const list = new Array(count);
      for (let i = 0; i < count; i++) list[i] = f64[argsAt + i];
      fns[i32[slot + ${fn}]](...list);
    } catch (e) {
      Atomics.store(i32, ${error}, 1);
    }
    Atomics.store(i32, slot + ${finished}, gen);
    Atomics.notify(i32, slot + ${finished});
  }
}
`;
}
