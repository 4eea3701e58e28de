import { describe, expect, it } from "vitest";
import { runExample } from "./run-example.js";

describe("examples/tour.ts (the README's tour)", () => {
  it("prints what the README says it prints", () => {
    const out = runExample("examples/tour.ts");
    const lines = out.trim().split("\n");
    expect(lines.slice(0, 6)).toEqual([
      "[ [ 15, 31 ], [ 21, 45 ] ]",
      "12",
      "2",
      "[ [ 802, -400 ], [ -400, 200 ] ]",
      "[ 0.25, 0.10499358540350662 ]",
      "[ [ 2, 0, 0 ], [ 0, 4, 0 ], [ 0, 0, 6 ] ]",
    ]);
    const [cost, dw0, dw1] = lines[6]!.match(/-?\d+\.\d+/g)!.map(Number);
    expect(cost).toBeCloseTo(0.1514, 4);
    expect(dw0).toBeCloseTo(0.1452, 4);
    expect(dw1).toBeCloseTo(0.1499, 4);
  });
});
