/// <reference lib="dom" />
/** A small app bundled by esbuild as an IIFE (a classic script, no import.meta) in the browser test. */
import { grad, ready, type Tensor } from "deriva";

/** Waits for the backend, then prints it and the founding document's derivative at x = 8. */
export function runApp(): void {
  const f = (x: Tensor) => x.pow(2).sub(x.mul(4)).add(6);
  const out = document.getElementById("out")!;
  ready().then(
    (backend) => {
      out.textContent = `OK\nbackend ${backend}\ngrad ${grad(f)(8).item()}`;
    },
    (error: Error) => {
      out.textContent = `FAILED ${error.message}`;
    },
  );
}
