/** Checking the errors users get: one line, naming what it must, and never a TypeError or RangeError from deep inside. */
import { expect } from "vitest";

/** Expects fn to throw a one-line Error (not a TypeError, RangeError, …) whose message matches every pattern. */
export function expectError(fn: () => unknown, ...patterns: (string | RegExp)[]): void {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error, "expected an Error").toBeInstanceOf(Error);
  expect([TypeError, RangeError, ReferenceError, SyntaxError]).not.toContain((error as Error).constructor);
  const message = (error as Error).message;
  expect(message).not.toContain("\n");
  for (const p of patterns) {
    if (typeof p === "string") expect(message).toContain(p);
    else expect(message).toMatch(p);
  }
}
