/**
 * The trace of a long run is bounded (first 100, last 100, every k-th between) unless fullTrace asks
 * for every step; onStep sees every step either way.
 */
import { describe, expect, it } from "vitest";
import { minimize, type Step } from "../../src/index.js";
import { TRACE_HEAD, TRACE_MIDDLE, TRACE_TAIL } from "../../src/minimize/trace.js";
import { parabola } from "./problems.js";

// gd with a tiny rate on the founding parabola: every run of these lengths ends at maxIter
const slow = { lr: 1e-9 };

describe("the trace of minimize", () => {
  it("keeps every step of a run of up to 1000 iterations", () => {
    const result = minimize(parabola, 8, { ...slow, maxIter: 1000 });
    expect(result.iterations).toBe(1000);
    expect(result.trace.map((s) => s.iter)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
  });

  it("keeps the first 100, the last 100 and every k-th between for a long run; onStep sees all", () => {
    const seen: Step[] = [];
    const result = minimize(parabola, 8, { ...slow, maxIter: 20_000, onStep: (s) => seen.push(s) });
    expect(seen.length).toBe(20_000);
    const iters = result.trace.map((s) => s.iter);
    expect(iters.length).toBeLessThanOrEqual(TRACE_HEAD + TRACE_MIDDLE + TRACE_TAIL);
    expect(iters.slice(0, TRACE_HEAD)).toEqual(Array.from({ length: TRACE_HEAD }, (_, i) => i + 1));
    expect(iters.slice(-TRACE_TAIL)).toEqual(
      Array.from({ length: TRACE_TAIL }, (_, i) => 20_000 - TRACE_TAIL + i + 1),
    );
    const middle = iters.slice(TRACE_HEAD, -TRACE_TAIL);
    const stride = middle[1]! - middle[0]!;
    expect(Math.log2(stride) % 1).toBe(0); // a power of two
    expect(
      middle.every((iter, i) => iter % stride === 0 && (i === 0 || iter - middle[i - 1]! === stride)),
    ).toBe(true);
    expect(middle.length).toBeGreaterThan(TRACE_MIDDLE / 2);
    for (const step of result.trace) expect(step).toEqual(seen[step.iter - 1]); // the same steps, not copies that differ
    expect(result.trace.at(-1)!.x[0]).toBe(result.x.item());
  });

  it("keeps every step when fullTrace asks for it", () => {
    const result = minimize(parabola, 8, { ...slow, maxIter: 3000, fullTrace: true });
    expect(result.trace.length).toBe(3000);
    expect(result.trace.at(-1)!.iter).toBe(3000);
  });
});
