/**
 * What the host offers the WebAssembly backend: the number of cores, whether this thread may
 * block (Atomics.wait), whether shared memory exists, and how to start a worker thread.
 *
 * Node's worker_threads and os modules are loaded by a dynamic import guarded by a runtime check
 * (top-level await), typed by the small interfaces below, so this file needs no Node types and
 * a browser build never touches them. In a browser, threads need cross-origin isolation
 * (SharedArrayBuffer) and a worker context (the main thread may not block): elsewhere, 1 thread.
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
  process?: { versions?: { node?: string } };
  crossOriginIsolated?: boolean;
  navigator?: { hardwareConcurrency?: number };
  WorkerGlobalScope?: unknown;
  Worker?: new (url: string) => BrowserWorker;
  Blob?: new (parts: string[], options: { type: string }) => unknown;
  URL?: { createObjectURL(blob: unknown): string };
}

const host = globalThis as HostGlobals;

/** import() of a name TypeScript must not resolve (so the core compiles without Node types). */
function importByName(name: string): Promise<unknown> {
  return import(/* @vite-ignore */ name);
}

async function nodePlatform(): Promise<Platform> {
  const threads = (await importByName("node:worker_threads")) as NodeWorkerThreads;
  const os = (await importByName("node:os")) as NodeOs;
  return {
    name: "node",
    cores: os.availableParallelism?.() ?? os.cpus().length,
    sharedMemory: true,
    canBlock: true,
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

async function detect(): Promise<Platform> {
  if (host.process?.versions?.node) {
    try {
      return await nodePlatform();
    } catch {
      // a Node-like host without worker_threads: single-threaded
    }
  }
  if (host.navigator !== undefined) return browserPlatform();
  return { name: "other", cores: 1, sharedMemory: false, canBlock: false, spawn: null };
}

export const platform: Platform = await detect();
