/**
 * Which backend computes: the backends deriva knows, in order of preference, and the current
 * choice. Nothing is loaded at import: the first op picks the first backend that can start
 * synchronously here (the WebAssembly kernels in Node and workers, else JavaScript), and
 * `ready()` loads the ones that must arrive asynchronously (a browser fetches the kernels).
 */
import type { Backend } from "./backend.js";
import { primeHostAllocator } from "./host-memory.js";
import { jsBackend } from "./js/index.js";
import { wasmProvider } from "./wasm/index.js";

/** A backend that may need loading: synchronously where the host allows, else asynchronously. */
export interface BackendProvider {
  readonly name: string;
  /** The backend, if it can start synchronously here (loading it on the first call); else null. */
  loadSync(): Backend | null;
  /** The backend once loaded by any means; null where it cannot run here. */
  load(): Promise<Backend | null>;
}

const jsProvider: BackendProvider = {
  name: jsBackend.name,
  loadSync: () => jsBackend,
  load: async () => jsBackend,
};

/** In order of preference: the default backend is the first that starts. */
const providers = new Map<string, BackendProvider>([
  [wasmProvider.name, wasmProvider],
  [jsProvider.name, jsProvider],
]);
/** The backend ops run on; null until the first op (or setBackend) picks one. */
let current: Backend | null = null;
/** Set by setBackend: ready() then leaves the choice alone. */
let chosen = false;

function pickDefault(): Backend {
  primeHostAllocator();
  let picked: Backend = jsBackend;
  for (const provider of providers.values()) {
    const backend = provider.loadSync();
    if (backend) {
      picked = backend;
      break;
    }
  }
  current = picked;
  return picked;
}

/** The backend ops run on now (internal: ops call kernels through it). */
export function backend(): Backend {
  return current ?? pickDefault();
}

/**
 * Selects the backend every following op runs on. It returns a promise, resolved once the
 * backend is ready: in Node (and for "js") it is ready before the call returns; in a browser the
 * WebAssembly kernels are fetched first, and ops run on the previous backend until they arrive.
 * An unknown name throws at once; a backend that cannot run here rejects.
 *
 * @example await setBackend("js"); // the reference backend, plain TypeScript
 */
export function setBackend(name: string): Promise<void> {
  const provider = providers.get(name);
  if (!provider) {
    throw new Error(`setBackend: unknown backend "${name}"; available: ${[...providers.keys()].join(", ")}`);
  }
  chosen = true;
  primeHostAllocator();
  const now = provider.loadSync();
  if (now) {
    current = now;
    return Promise.resolve();
  }
  return provider.load().then((loaded) => {
    if (!loaded) throw new Error(`setBackend: the ${name} backend cannot run here`);
    current = loaded;
  });
}

/**
 * Loads the preferred backend wherever it must arrive asynchronously (a browser fetches the
 * WebAssembly kernels) and makes it current unless setBackend chose another meanwhile. Resolves
 * with the name of the backend ops run on. In Node it has nothing to wait for; in a browser,
 * await it once before heavy work (until then ops run on the JavaScript backend).
 *
 * @example await ready(); // "wasm", wherever WebAssembly SIMD exists
 */
export async function ready(): Promise<string> {
  for (const provider of providers.values()) {
    const loaded = provider.loadSync() ?? (await provider.load().catch(() => null));
    if (!loaded) continue;
    if (!chosen) current = loaded;
    break;
  }
  return backend().name;
}

/** The name of the backend ops run on now. */
export function getBackend(): string {
  return backend().name;
}

/** The names of the backends deriva knows, in order of preference (a known one may still be unable to run here). */
export function listBackends(): string[] {
  return [...providers.keys()];
}
