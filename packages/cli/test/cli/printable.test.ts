import { describe, expect, it } from "vitest";
import { printable } from "../../src/printable.js";

describe("printable", () => {
  it("escapes C0 and C1 controls, DEL and bidi overrides, and leaves other text alone", () => {
    expect(printable("red\u001b[31m")).toBe("red\\x1b[31m");
    expect(printable("a\tb\nc\rd\u0000e\u007ff\u009bg")).toBe("a\\x09b\\x0ac\\x0dd\\x00e\\x7ff\\x9bg");
    expect(printable("txt.\u202Eexe")).toBe("txt.\\u202eexe");
    expect(printable("café × 28 → ok")).toBe("café × 28 → ok");
  });
});
