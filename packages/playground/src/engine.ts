/**
 * The page's side of the worker: typed calls that resolve with the worker's results, progress
 * events, stop requests, and the live steps-per-second figure the header shows.
 */
import type { Method, Methods, Reply, Request } from "./worker/protocol";

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  onEvent?: (event: unknown) => void;
}

/** A call in progress: its result, and a way to ask it to stop early. */
export interface Task<T> {
  result: Promise<T>;
  stop(): void;
}

const speedListeners = new Set<(stepsPerSecond: number) => void>();

/** Reports a measured training speed to the header. */
export function reportSpeed(stepsPerSecond: number): void {
  for (const listener of speedListeners) listener(stepsPerSecond);
}

/** Calls `listener` with each new training speed. */
export function onSpeed(listener: (stepsPerSecond: number) => void): void {
  speedListeners.add(listener);
}

class Engine {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** Shared memory the worker reads between batches (cross-origin-isolated pages only; the worker lowers it when training starts). */
  private readonly stopFlag: Int32Array | null;

  constructor() {
    this.worker = new Worker(new URL("./worker/worker.ts", import.meta.url), { type: "module" });
    this.worker.onmessage = (event: MessageEvent<Reply>) => this.receive(event.data);
    this.worker.onerror = (event) => {
      const error = new Error(`the worker failed: ${event.message}`);
      for (const pending of this.pending.values()) pending.reject(error);
      this.pending.clear();
    };
    const shared = globalThis.crossOriginIsolated ? new SharedArrayBuffer(4) : null;
    this.stopFlag = shared === null ? null : new Int32Array(shared);
    this.post({ kind: "init", stop: shared, dataUrl: new URL("data/", document.baseURI).href });
  }

  private post(request: Request, transfer: Transferable[] = []): void {
    this.worker.postMessage(request, transfer);
  }

  private receive(reply: Reply): void {
    const pending = this.pending.get(reply.id);
    if (pending === undefined) return;
    if (reply.kind === "event") {
      pending.onEvent?.(reply.event);
      return;
    }
    this.pending.delete(reply.id);
    if (reply.kind === "result") pending.resolve(reply.value);
    else pending.reject(new Error(reply.message));
  }

  /** Starts a call; `onEvent` receives its progress events. */
  start<M extends Method>(
    method: M,
    args: Methods[M]["args"],
    onEvent?: (event: Methods[M]["event"]) => void,
    transfer: Transferable[] = [],
  ): Task<Methods[M]["result"]> {
    const id = this.nextId++;
    const result = new Promise<Methods[M]["result"]>((resolve, reject) => {
      this.pending.set(id, {
        resolve: resolve as (value: unknown) => void,
        reject,
        onEvent: onEvent as ((event: unknown) => void) | undefined,
      });
    });
    this.post({ kind: "call", id, method, args }, transfer);
    return {
      result,
      stop: () => {
        if (this.stopFlag !== null) Atomics.store(this.stopFlag, 0, 1);
        this.post({ kind: "stop", id });
      },
    };
  }

  /** A call's result. */
  call<M extends Method>(
    method: M,
    args: Methods[M]["args"],
    transfer: Transferable[] = [],
  ): Promise<Methods[M]["result"]> {
    return this.start(method, args, undefined, transfer).result;
  }
}

let engine: Engine | null = null;

/** The one worker of the page, started on first use. */
export function getEngine(): Engine {
  engine ??= new Engine();
  return engine;
}
