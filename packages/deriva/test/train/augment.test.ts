import { describe, expect, it } from "vitest";
import { data, models, nn, tensor, train } from "../../src/index.js";

/** A random source that returns the given numbers in turn. */
function draws(...values: number[]): () => number {
  let i = 0;
  return () => values[i++]!;
}

/** Two channels of a 3×3 image: [1, 2, 3, 3]. */
const image = tensor([
  [
    [
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ],
    [
      [10, 20, 30],
      [40, 50, 60],
      [70, 80, 90],
    ],
  ],
]); // [1, 2, 3, 3]

describe("shiftImages", () => {
  it("moves every channel of an image by the drawn dy, dx and fills the border with 0", () => {
    // draws map to −1, 0, +1 by floor(u · 3) − 1: 0.9 → +1 (down), 0.1 → −1 (left)
    const moved = train.shiftImages(image, draws(0.9, 0.1));
    expect(moved.shape).toEqual([1, 2, 3, 3]);
    expect(moved.toArray()).toEqual([
      [
        [
          [0, 0, 0],
          [2, 3, 0],
          [5, 6, 0],
        ],
        [
          [0, 0, 0],
          [20, 30, 0],
          [50, 60, 0],
        ],
      ],
    ]);
    expect(image.toArray()).toEqual(train.shiftImages(image, draws(0.5, 0.5)).toArray()); // 0, 0: unchanged
  });

  it("draws a shift per image and covers −1..1 in both directions", () => {
    const batch = tensor(
      Array.from({ length: 200 }, () => [
        [
          [0, 0, 0],
          [0, 1, 0],
          [0, 0, 0],
        ],
      ]),
    ); // [200, 1, 3, 3]
    const moved = train.shiftImages(batch, data.mulberry32(4)).data();
    const where = new Set<number>();
    for (let i = 0; i < 200; i++) where.add(moved.subarray(i * 9, i * 9 + 9).indexOf(1));
    expect([...where].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("refuses inputs that are not images", () => {
    expect(() => train.shiftImages(tensor([[1, 2]]), Math.random)).toThrow(
      "shiftImages: the shift augmentation needs images [N, C, H, W], got inputs of shape [1, 2]",
    );
  });
});

describe("flipCropImages", () => {
  it("without a flip cuts the window at (dy, dx) of the padded image, every channel alike", () => {
    // pad 1: offsets floor(u · 3) − 1; 0.9 → no flip; dy 0.9 → +1 (window one row down), dx 0.1 → −1
    const cut = train.flipCropImages(image, draws(0.9, 0.9, 0.1), 1);
    expect(cut.toArray()).toEqual([
      [
        [
          [0, 4, 5],
          [0, 7, 8],
          [0, 0, 0],
        ],
        [
          [0, 40, 50],
          [0, 70, 80],
          [0, 0, 0],
        ],
      ],
    ]);
    expect((image.toArray() as number[][][][])[0]![0]![0]).toEqual([1, 2, 3]); // the input is unchanged
  });

  it("with a flip mirrors the image left-right first", () => {
    // 0.1 → flip; offsets 0, 0: the mirrored image itself
    expect(train.flipCropImages(image, draws(0.1, 0.5, 0.5), 1).toArray()).toEqual([
      [
        [
          [3, 2, 1],
          [6, 5, 4],
          [9, 8, 7],
        ],
        [
          [30, 20, 10],
          [60, 50, 40],
          [90, 80, 70],
        ],
      ],
    ]);
    // flipped, then the window one column to the right: the mirrored columns 1, 2 and padding
    expect((train.flipCropImages(image, draws(0.1, 0.5, 0.9), 1).toArray() as number[][][][])[0]![0]).toEqual(
      [
        [2, 1, 0],
        [5, 4, 0],
        [8, 7, 0],
      ],
    );
  });

  it("draws anew for each image: flips about half and every offset in −pad..pad", () => {
    const n = 400;
    // one bright pixel at column 0 of a 1×5 image: where it lands tells the flip and dx
    const batch = tensor(Array.from({ length: n }, () => [[[1, 0, 0, 0, 0]]])); // [n, 1, 1, 5]
    const out = train.flipCropImages(batch, data.mulberry32(3), 2).data();
    const landed = new Map<number, number>();
    let lost = 0;
    for (let i = 0; i < n; i++) {
      const at = out.subarray(i * 5, i * 5 + 5).indexOf(1);
      if (at < 0)
        lost++; // cut away (the row moved out: dy ≠ 0, or the column left the window)
      else landed.set(at, (landed.get(at) ?? 0) + 1);
    }
    // unflipped: column −dx ∈ {0, 1, 2}; flipped (at column 4): 4 − dx ∈ {2, 3, 4}
    expect([...landed.keys()].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(lost).toBeGreaterThan(n / 2); // a one-row image survives only dy = 0 (1 in 5)
  });

  it("refuses inputs that are not image batches, and a bad pad", () => {
    expect(() => train.flipCropImages(tensor([[1, 2]]), Math.random)).toThrow(
      /flip-crop augmentation needs images \[N, C, H, W\], got inputs of shape \[1, 2\]/,
    );
    expect(() => train.flipCropImages(image, Math.random, -1)).toThrow(/pad must be a whole number/);
  });

  it("is fit's 'flip-crop' augmentation", async () => {
    expect(train.AUGMENT_NAMES).toContain("flip-crop");
    const images = new data.Dataset({
      x: tensor(Array.from({ length: 8 }, (_, i) => [[[i / 8, 1, 0, 0.5]]])), // [8, 1, 1, 4]
      y: tensor(
        Array.from({ length: 8 }, (_, i) => i % 2),
        { dtype: "int32" },
      ),
    });
    const model = nn.fromConfig(models.mlp({ inputShape: [1, 1, 4], outputs: 2 }));
    const history = await train.fit(model, images, { epochs: 2, augment: "flip-crop" });
    expect(history.epochs.every((log) => Number.isFinite(log.loss))).toBe(true);
    const table = new data.Dataset({
      x: tensor([
        [1, 2],
        [3, 4],
      ]),
      y: tensor([0, 1], { dtype: "int32" }),
    });
    await expect(train.fit(model, table, { epochs: 1, augment: "flip-crop" })).rejects.toThrow(
      /flip-crop augmentation needs images/,
    );
  });
});
