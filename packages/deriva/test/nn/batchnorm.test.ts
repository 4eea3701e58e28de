import { describe, expect, it } from "vitest";
import { manualSeed, nn, randn, tensor } from "../../src/index.js";
import { expectClose } from "./expect-close.js";
import { gradcheckModule } from "./module-gradcheck.js";

const EPS = 1e-5;

describe("nn.BatchNorm1d", () => {
  // channel 0: 1, 3, 5 (mean 3, biased variance 8/3, unbiased 4); channel 1: 2, 6, 10 (mean 6, 32/3, 16)
  const batch = () =>
    tensor(
      [
        [1, 2],
        [3, 6],
        [5, 10],
      ],
      { dtype: "float64" },
    );

  it("normalizes with the batch statistics in training and applies weight and bias", () => {
    const bn = new nn.BatchNorm1d(2).to("float64");
    bn.weight!.storage.set([2, 3]);
    bn.bias!.storage.set([1, -1]);
    const s0 = Math.sqrt(8 / 3 + EPS);
    const s1 = Math.sqrt(32 / 3 + EPS);
    expectClose(
      bn.forward(batch()),
      [1 + (2 * -2) / s0, -1 + (3 * -4) / s1, 1, -1, 1 + (2 * 2) / s0, -1 + (3 * 4) / s1],
      1e-12,
    );
  });

  it("updates the running statistics with momentum 0.1 and the unbiased variance", () => {
    const bn = new nn.BatchNorm1d(2).to("float64");
    expect(bn.runningMean.toArray()).toEqual([0, 0]);
    expect(bn.runningVar.toArray()).toEqual([1, 1]);
    bn.forward(batch());
    expectClose(bn.runningMean, [0.3, 0.6], 1e-12);
    expectClose(bn.runningVar, [0.9 * 1 + 0.1 * 4, 0.9 * 1 + 0.1 * 16], 1e-12);
    bn.forward(batch());
    expectClose(bn.runningMean, [0.9 * 0.3 + 0.3, 0.9 * 0.6 + 0.6], 1e-12);
    expectClose(bn.runningVar, [0.9 * 1.3 + 0.4, 0.9 * 2.5 + 1.6], 1e-12);
    expect(bn.stateDict().num_batches_tracked!.item()).toBe(2);
    // running statistics carry no gradient history
    expect(bn.runningMean.requiresGrad).toBe(false);
  });

  it("uses the running statistics in eval mode and leaves them alone", () => {
    const bn = new nn.BatchNorm1d(2, { momentum: 0.5 }).to("float64");
    bn.forward(batch()); // running mean [1.5, 3], running var [2.5, 8.5]
    bn.eval();
    const y = bn.forward(
      tensor(
        [
          [1.5, 3],
          [4, 0],
        ],
        { dtype: "float64" },
      ),
    );
    expectClose(y, [0, 0, 2.5 / Math.sqrt(2.5 + EPS), -3 / Math.sqrt(8.5 + EPS)], 1e-12);
    expectClose(bn.runningMean, [1.5, 3], 1e-12);
    expect(bn.stateDict().num_batches_tracked!.item()).toBe(1);
  });

  it("applies weight and bias to the running statistics in eval mode, with and without affine parameters", () => {
    const x = tensor(
      [
        [0.5, -2],
        [4, 7],
      ],
      { dtype: "float64" },
    );
    const mean = [1.5, -0.5];
    const variance = [2.5, 0.75];
    const expected = (w: number[], b: number[]) =>
      [0, 1].flatMap((n) =>
        [0, 1].map(
          (c) => ((x.data()[2 * n + c]! - mean[c]!) / Math.sqrt(variance[c]! + EPS)) * w[c]! + b[c]!,
        ),
      );
    const affine = new nn.BatchNorm1d(2).to("float64").eval();
    affine.weight!.storage.set([2, -3]);
    affine.bias!.storage.set([0.25, 1]);
    const plain = new nn.BatchNorm1d(2, { affine: false }).to("float64").eval();
    for (const bn of [affine, plain]) {
      bn.runningMean.storage.set(mean);
      bn.runningVar.storage.set(variance);
    }
    expectClose(affine.forward(x), expected([2, -3], [0.25, 1]), 1e-12);
    expectClose(plain.forward(x), expected([1, 1], [0, 0]), 1e-12);
  });

  it("accepts [N, C, L] and normalizes over N and L", () => {
    const bn = new nn.BatchNorm1d(3, { affine: false });
    expect(bn.parameters()).toEqual([]);
    manualSeed(1);
    const y = bn.forward(randn([4, 3, 5]).mul(3).add(2));
    const perChannelMean = y.mean([0, 2]).data();
    const perChannelVar = y.square().mean([0, 2]).data();
    for (let c = 0; c < 3; c++) {
      expect(Math.abs(perChannelMean[c]!)).toBeLessThan(1e-5);
      expect(Math.abs(perChannelVar[c]! - 1)).toBeLessThan(1e-3);
    }
  });

  it("refuses inputs of the wrong layout and one value per channel in training", () => {
    expect(() => new nn.BatchNorm1d(3).forward(randn([4, 2]))).toThrow(
      "BatchNorm1d(3): expected an input [N, C] or [N, C, L], got shape [4, 2]",
    );
    expect(() => new nn.BatchNorm1d(3).forward(randn([1, 3]))).toThrow(/more than one value per channel/);
    expect(new nn.BatchNorm1d(3).eval().forward(randn([1, 3])).shape).toEqual([1, 3]);
  });

  it("passes float64 gradchecks in training and in eval mode", () => {
    manualSeed(2);
    const bn = new nn.BatchNorm1d(3);
    expect(gradcheckModule(bn, randn([4, 3])).worst).toBe("");
    bn.runningVar.storage.set([0.5, 2, 1.5]);
    bn.eval();
    expect(gradcheckModule(bn, randn([2, 3, 2])).worst).toBe("");
  });
});

describe("nn.BatchNorm2d", () => {
  it("normalizes each channel over N, H and W", () => {
    const bn = new nn.BatchNorm2d(2).to("float64");
    // channel 0 holds 0…7 (mean 3.5, biased variance 5.25, unbiased 6); channel 1 is all 2
    const x = tensor(
      [
        [
          [
            [0, 1],
            [2, 3],
          ],
          [
            [2, 2],
            [2, 2],
          ],
        ],
        [
          [
            [4, 5],
            [6, 7],
          ],
          [
            [2, 2],
            [2, 2],
          ],
        ],
      ],
      { dtype: "float64" },
    );
    const y = bn.forward(x);
    const s = Math.sqrt(5.25 + EPS);
    const c0 = [0, 1, 2, 3, 4, 5, 6, 7].map((v) => (v - 3.5) / s);
    expectClose(y, [...c0.slice(0, 4), 0, 0, 0, 0, ...c0.slice(4), 0, 0, 0, 0], 1e-12);
    expectClose(bn.runningMean, [0.35, 0.2], 1e-12);
    expectClose(bn.runningVar, [0.9 + 0.6, 0.9], 1e-12);
    expect(() => bn.forward(tensor([[1, 2]]))).toThrow(
      /expected an input \[N, C, H, W\], got shape \[1, 2\]/,
    );
  });

  it("passes a float64 gradcheck", () => {
    manualSeed(3);
    expect(gradcheckModule(new nn.BatchNorm2d(2), randn([2, 2, 2, 3])).worst).toBe("");
  });
});
