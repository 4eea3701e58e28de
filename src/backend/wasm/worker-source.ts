/**
 * The code a worker thread runs, as a string (a worker is started from source, the same way in
 * Node and in a browser, so no file has to be found at run time). `start(data)` instantiates the
 * kernels on the shared memory and then loops: wait for a new job generation, run this worker's
 * slot if it holds a job of that generation, count down PENDING. It never returns. The layout constants come from
 * threads.ts, so the two sides cannot disagree.
 */

import type { WasmMemory, WasmModule } from "./wasm-api.js";

export interface ControlLayout {
  readonly seq: number;
  readonly pending: number;
  readonly ready: number;
  readonly error: number;
  /** Byte offset of worker 0's slot inside the control block, and bytes per slot. */
  readonly slots: number;
  readonly slotBytes: number;
  /** Byte offset of the arguments (f64) inside a slot. */
  readonly args: number;
}

/** What start(data) receives. */
export interface WorkerData {
  readonly module: WasmModule;
  readonly memory: WasmMemory;
  readonly names: readonly string[];
  readonly index: number;
  /** Polls of SEQ before sleeping: waking a sleeping thread costs far more than a short spin. */
  readonly spin: number;
}

export function workerSource(layout: ControlLayout): string {
  const { seq, pending, ready, error, slots, slotBytes, args } = layout;
  return `"use strict";
function start(data) {
  const instance = new WebAssembly.Instance(data.module, {
    env: { memory: data.memory, abort() { throw new Error("wasm kernel aborted"); } },
  });
  const fns = data.names.map((name) => instance.exports[name]);
  const i32 = new Int32Array(data.memory.buffer, 0, ${slots + 64 * slotBytes} >> 2);
  const f64 = new Float64Array(data.memory.buffer, 0, ${slots + 64 * slotBytes} >> 3);
  const slot = ${slots} + data.index * ${slotBytes};
  const genAt = slot >> 2, fnAt = genAt + 1, argcAt = genAt + 2, argsAt = (slot + ${args}) >> 3;
  let seen = Atomics.load(i32, ${seq});
  let done = Atomics.load(i32, genAt);
  Atomics.add(i32, ${ready}, 1);
  Atomics.notify(i32, ${ready});
  for (;;) {
    for (let spins = data.spin; spins > 0 && Atomics.load(i32, ${seq}) === seen; spins--);
    Atomics.wait(i32, ${seq}, seen);
    seen = Atomics.load(i32, ${seq});
    const gen = Atomics.load(i32, genAt);
    if (gen === done) continue;
    done = gen;
    try {
      const fn = fns[i32[fnAt]];
      const argc = i32[argcAt];
      const list = new Array(argc);
      for (let i = 0; i < argc; i++) list[i] = f64[argsAt + i];
      fn(...list);
    } catch (e) {
      Atomics.store(i32, ${error}, 1);
    }
    if (Atomics.sub(i32, ${pending}, 1) === 1) Atomics.notify(i32, ${pending});
  }
}
`;
}
