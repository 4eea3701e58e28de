/**
 * Property-based tests of the ONNX reader: whatever the bytes (random ones, or a real model
 * truncated, with bytes overwritten or inserted), fromOnnx either returns a network or throws an
 * OnnxError with one line: never another exception, never a crash or a hang.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { manualSeed, nn } from "../../src/index.js";
import { fromOnnx, OnnxError, toOnnx } from "../../src/onnx/index.js";

/** Runs the reader; returns null when it read a model, else the refusal's message (after checking its kind). */
function read(bytes: Uint8Array): string | null {
  try {
    fromOnnx(bytes);
    return null;
  } catch (error) {
    if (!(error instanceof OnnxError)) throw error;
    expect(error.message).toMatch(/^onnx: [^\n]+$/);
    return error.message;
  }
}

manualSeed(21);
const seed = toOnnx(
  nn.fromConfig({
    type: "Sequential",
    layers: [
      { type: "Conv2d", in: 1, out: 2, kernel: 3, padding: 1 },
      { type: "BatchNorm2d", features: 2 },
      { type: "GELU" },
      { type: "MaxPool2d", kernel: 2 },
      { type: "Flatten" },
      { type: "Linear", in: 8, out: 3 },
      { type: "Softmax" },
    ],
  }),
  { inputShape: [1, 4, 4], opset: 17 },
);

describe("the ONNX reader under fuzzing", () => {
  it("random bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        read(bytes);
      }),
      { numRuns: 500 },
    );
  });

  it("a real model, truncated", () => {
    fc.assert(
      fc.property(fc.nat({ max: seed.length - 1 }), (end) => {
        expect(read(seed.subarray(0, end))).not.toBeNull();
      }),
      { numRuns: 300 },
    );
  });

  it("a real model with bytes overwritten", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: seed.length - 1 }), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        }),
        (edits) => {
          const bytes = seed.slice();
          for (const [at, value] of edits) bytes[at] = value;
          read(bytes);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("a real model with bytes inserted", () => {
    fc.assert(
      fc.property(
        fc.nat({ max: seed.length }),
        fc.uint8Array({ minLength: 1, maxLength: 16 }),
        (at, extra) => {
          const bytes = new Uint8Array(seed.length + extra.length);
          bytes.set(seed.subarray(0, at));
          bytes.set(extra, at);
          bytes.set(seed.subarray(at), at + extra.length);
          read(bytes);
        },
      ),
      { numRuns: 300 },
    );
  });
});
