/**
 * What the host offers the WebAssembly backend: the number of cores, whether this thread may
 * block (Atomics.wait), whether shared memory exists, and how to start a worker thread.
 *
 * Detected on first use, synchronously. Node's built-in modules come from
 * process.getBuiltinModule (Node ≥ 20.16), typed by the small interfaces below, so this file
 * needs no Node types, has no top-level await, and a browser build never touches them. In a
 * browser, threads need cross-origin isolation (SharedArrayBuffer) and a worker context (the main
 * thread may not block): elsewhere, 1 thread.
 */

/** A started worker thread. */
export interface WorkerHandle {
  terminate(): void;
}

export interface Platform {
  readonly name: "node" | "browser-worker" | "browser" | "other";
  /** Logical cores: the default thread count. */
  readonly cores: number;
  /** Whether shared WebAssembly memory can be created here. */
  readonly sharedMemory: boolean;
  /** Whether this thread may wait with Atomics.wait (false on a browser's main thread). */
  readonly canBlock: boolean;
  /** Starts a worker running `source`, whose global `start(data)` then runs; null where impossible. */
  readonly spawn: ((source: string, data: unknown) => WorkerHandle) | null;
  /**
   * Whether a spawned worker only starts once the spawning thread returns to its event loop (a
   * browser): the pool must then not block waiting for it.
   */
  readonly startsAsync: boolean;
}

interface NodeWorker extends WorkerHandle {
  unref(): void;
}
interface NodeWorkerThreads {
  Worker: new (source: string, options: { eval: true; workerData: unknown }) => NodeWorker;
}
interface NodeOs {
  availableParallelism?: () => number;
  cpus(): unknown[];
}
interface BrowserWorker extends WorkerHandle {
  postMessage(data: unknown): void;
}
interface HostGlobals {
  process?: { versions?: { node?: string }; getBuiltinModule?: (name: string) => unknown };
  crossOriginIsolated?: boolean;
  navigator?: { hardwareConcurrency?: number };
  WorkerGlobalScope?: unknown;
  Worker?: new (url: string) => BrowserWorker;
  Blob?: new (parts: string[], options: { type: string }) => unknown;
  URL?: { createObjectURL(blob: unknown): string };
}

const host = globalThis as HostGlobals;

/** A Node built-in module ("node:fs"), or null outside Node (or before Node 20.16). */
export function nodeModule<T>(name: string): T | null {
  if (!host.process?.versions?.node) return null;
  return (host.process.getBuiltinModule?.(name) as T | undefined) ?? null;
}

function nodePlatform(): Platform | null {
  const threads = nodeModule<NodeWorkerThreads>("node:worker_threads");
  const os = nodeModule<NodeOs>("node:os");
  if (!threads || !os) return null;
  return {
    name: "node",
    cores: os.availableParallelism?.() ?? os.cpus().length,
    sharedMemory: true,
    canBlock: true,
    startsAsync: false,
    spawn(source, data) {
      const worker = new threads.Worker(`${source}\nstart(require("node:worker_threads").workerData);`, {
        eval: true,
        workerData: data,
      });
      worker.unref(); // worker threads never keep the process alive
      return worker;
    },
  };
}

function browserPlatform(): Platform {
  const inWorker = host.WorkerGlobalScope !== undefined;
  const isolated = host.crossOriginIsolated === true;
  const { Worker, Blob, URL } = host;
  const canSpawn = inWorker && isolated && Worker !== undefined && Blob !== undefined && URL !== undefined;
  return {
    name: inWorker ? "browser-worker" : "browser",
    cores: host.navigator?.hardwareConcurrency ?? 1,
    sharedMemory: isolated,
    canBlock: inWorker,
    startsAsync: true,
    spawn: canSpawn
      ? (source, data) => {
          const url = URL.createObjectURL(
            new Blob([`${source}\nonmessage = (e) => start(e.data);`], { type: "text/javascript" }),
          );
          const worker = new Worker(url);
          worker.postMessage(data);
          return worker;
        }
      : null,
  };
}

function detect(): Platform {
  const node = nodePlatform(); // null in a Node-like host without worker_threads: single-threaded
  if (node) return node;
  if (host.navigator !== undefined && !host.process?.versions?.node) return browserPlatform();
  return { name: "other", cores: 1, sharedMemory: false, canBlock: false, spawn: null, startsAsync: false };
}

let detected: Platform | null = null;

/** The host, detected on the first call. */
export function platform(): Platform {
  detected ??= detect();
  return detected;
}
