/** For property tests of readers: a result, or a plain Error with a message, never another exception. */
import { expect } from "vitest";

/** Runs `read`; returns its result, or null after checking that it threw a plain Error with a message. */
export function cleanly<T>(read: () => T): T | null {
  try {
    return read();
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).constructor).toBe(Error);
    expect((error as Error).message.length).toBeGreaterThan(0);
    return null;
  }
}
