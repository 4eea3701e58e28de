/**
 * Runs a describe block once per registered backend, so every backend passes the same suite
 * (the coming WebAssembly backend included). The previous backend is restored after each test.
 */
import { afterEach, beforeEach, describe } from "vitest";
import { getBackend, listBackends, setBackend } from "../../src/index.js";

export function describeEachBackend(title: string, body: (backend: string) => void): void {
  describe.each(listBackends())(`${title} [backend %s]`, (name) => {
    let previous = getBackend();
    beforeEach(() => {
      previous = getBackend();
      setBackend(name);
    });
    afterEach(() => setBackend(previous));
    body(name);
  });
}
