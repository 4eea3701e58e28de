/** The asynchronous reads every backend serves: the same values as the synchronous ones, as copies. */
import { expect, it } from "vitest";
import { tensor } from "../../src/index.js";
import { describeEachBackend } from "../helpers/backends.js";

describeEachBackend("asynchronous reads", () => {
  it("read() resolves with a copy of the flat values, in the tensor's dtype", async () => {
    const t = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { dtype: "float64" },
    ).mul(2);
    const values = await t.read();
    expect(values).toBeInstanceOf(Float64Array);
    expect([...values]).toEqual([2, 4, 6, 8]);
    values[0] = 99; // a copy: the tensor keeps its values
    expect(t.toArray()).toEqual([
      [2, 4],
      [6, 8],
    ]);
  });

  it("readArray() nests like toArray(), and a 0-d tensor reads as a number", async () => {
    expect(
      await tensor([
        [1, 2],
        [3, 4],
      ]).readArray(),
    ).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(await tensor(5).readArray()).toBe(5);
  });

  it("readItem() gives the one element, and rejects a tensor of several with item()'s message", async () => {
    expect(await tensor([2.5]).readItem()).toBe(2.5);
    await expect(tensor([1, 2]).readItem()).rejects.toThrow(
      /item: only a tensor with one element can be converted to a number, got shape \[2\]/,
    );
  });
});
