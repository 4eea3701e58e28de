import { describe, expect, it } from "vitest";
import { data, tensor, train } from "../../src/index.js";

/** A random source that returns the given numbers in turn. */
function draws(...values: number[]): () => number {
  let i = 0;
  return () => values[i++]!;
}

describe("shiftImages", () => {
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
