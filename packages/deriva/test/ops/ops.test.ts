/**
 * Every op through one helper: its value against known numbers, a float64 gradcheck, and a
 * gradcheck of its vector-Jacobian product (second order), on every backend.
 */
import { describe, expect, it } from "vitest";
import { OPS } from "../../src/ops/registry.js";
import { describeEachBackend } from "../helpers/backends.js";
import { checkOp } from "../helpers/check-op.js";
import { OP_CASES, PUBLIC_OPS } from "./cases/index.js";

describe("the op table", () => {
  it("has a gradcheck row for every primitive in the registry", () => {
    const missing = Object.keys(OPS).filter(
      (name) => !(OP_CASES as Record<string, readonly unknown[] | undefined>)[name]?.length,
    );
    expect(missing, "primitives without a row in test/ops/cases").toEqual([]);
  });

  it("has a row for every differentiable op of the public contract", () => {
    const missing = PUBLIC_OPS.filter((name) => !OP_CASES[name]?.length);
    expect(missing).toEqual([]);
  });

  it("names each primitive by its registry key", () => {
    for (const [key, def] of Object.entries(OPS)) expect(def.name).toBe(key);
  });
});

describeEachBackend("ops: value, gradcheck, second-order gradcheck", () => {
  for (const [name, cases] of Object.entries(OP_CASES)) {
    describe(name, () => {
      it.each(cases.map((c) => [c.label, c] as const))("%s", (_label, c) => checkOp(c));
    });
  }
});
