/** Which backend computes: a registry of the available ones and the current choice. */
import type { Backend } from "./backend.js";
import { jsBackend } from "./js/index.js";

const available = new Map<string, Backend>([[jsBackend.name, jsBackend]]);
let current: Backend = jsBackend;

/** Makes a backend selectable by name (the WebAssembly backend registers itself when it loads). */
export function registerBackend(backend: Backend): void {
  available.set(backend.name, backend);
}

/** Selects the backend every following op runs on. */
export function setBackend(name: string): void {
  const backend = available.get(name);
  if (!backend) {
    throw new Error(`setBackend: unknown backend "${name}"; available: ${[...available.keys()].join(", ")}`);
  }
  current = backend;
}

/** The name of the backend ops run on now. */
export function getBackend(): string {
  return current.name;
}

/** The names of the backends that can be selected. */
export function listBackends(): string[] {
  return [...available.keys()];
}

/** The backend ops run on now (internal: ops call kernels through it). */
export function backend(): Backend {
  return current;
}
