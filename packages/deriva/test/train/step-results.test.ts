/**
 * fit hands the memory of each step's forward results to the next steps (train/step-results.ts)
 * where the model is built from nn's own layers only. Checked: the same training to the bit as a
 * model that keeps its results (a subclass of Sequential, so fit cannot rely on it); a layer of
 * the user's own, or a loss or an augmentation of the user's, that keeps what it is given still
 * reads it after fit; the training images are never handed out; and a recorded result's memory is what the next result of its size takes.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { data, loss, manualSeed, nn, ones, optim, type Tensor, tensor, train } from "../../src/index.js";
import { onlyOwnLayers } from "../../src/nn/own-layers.js";
import { releasePooledResults } from "../../src/tensor/result-pool.js";
import { StepResults } from "../../src/train/step-results.js";

/** 96 seeded 3×12×12 images of two classes (the mean brightness tells them apart). */
function images(): data.Dataset {
  const n = 96;
  const size = 3 * 12 * 12;
  const x = new Float32Array(n * size);
  const y = new Int32Array(n);
  const random = data.mulberry32(5);
  for (let i = 0; i < n; i++) {
    y[i] = i % 2;
    for (let j = 0; j < size; j++) x[i * size + j] = random() + 0.3 * y[i]!;
  }
  return new data.Dataset({
    x: tensor(x, { shape: [n, 3, 12, 12] }),
    y: tensor(y, { dtype: "int32" }),
    task: "classification",
    preprocessing: { kind: "image", channels: 3, height: 12, width: 12, layout: "nchw" },
  });
}

/** conv–batch norm–relu–pool, dropout and a linear layer: results of 18 to 72 KB a batch. */
function layers(): nn.Module[] {
  manualSeed(3);
  return [
    new nn.Conv2d(3, 8, 3, { padding: 1 }),
    new nn.BatchNorm2d(8),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Flatten(),
    new nn.Dropout(0.2),
    new nn.Linear(8 * 6 * 6, 2),
  ];
}

/** A Sequential fit cannot rely on: a subclass may keep what its forward makes. */
class OwnSequential extends nn.Sequential {}

/** The user's own layer: keeps the first tensor it is given in training, and a copy of its values then. */
class Keep extends nn.Module {
  kept: Tensor | null = null;
  copy: Float32Array | null = null;
  forward(x: Tensor): Tensor {
    if (this.training && this.kept === null) {
      this.kept = x;
      this.copy = Float32Array.from(x.data());
    }
    return x;
  }
}

async function fitted(model: nn.Module, set: data.Dataset) {
  const optimizer = new optim.Adam(model.parameters(), { lr: 0.01 });
  const history = await train.fit(model, set, { epochs: 3, batchSize: 32, optimizer, seed: 1 });
  return {
    history: history.epochs.map((e) => [e.loss, e.accuracy]),
    weights: model.parameters().map((p) => Array.from(p.data())),
  };
}

describe("a training step's results recycled by fit", () => {
  beforeEach(() => releasePooledResults());

  it("relies only on models of nn's own layers", () => {
    expect(onlyOwnLayers(new nn.Sequential(...layers()))).toBe(true);
    expect(onlyOwnLayers(new OwnSequential(...layers()))).toBe(false);
    expect(onlyOwnLayers(new nn.Sequential(new nn.Sequential(...layers()), new Keep()))).toBe(false);
  });

  it("trains to the same bits as a model whose results are not recycled", async () => {
    const recycled = await fitted(new nn.Sequential(...layers()), images());
    const kept = await fitted(new OwnSequential(...layers()), images());
    expect(recycled).toEqual(kept);
  });

  it("leaves what a layer of the user's own keeps, and the training images, as they were", async () => {
    const set = images();
    const before = Array.from(set.x.data());
    const keep = new Keep();
    const [first, ...rest] = layers();
    const model = new nn.Sequential(first!, keep, ...rest);
    await fitted(model, set);
    // the first step's input to it: the steps after it made results of its size, which take recycled memory
    expect(Array.from(keep.kept!.data())).toEqual(Array.from(keep.copy!));
    expect(Array.from(set.x.data())).toEqual(before);
  });

  it("leaves what a loss or an augmentation of the user's own keeps as it was", async () => {
    const kept: { t: Tensor; copy: number[] }[] = [];
    const keepFirst = (t: Tensor) => {
      if (kept.length < 2) kept.push({ t, copy: Array.from(t.data()) });
      return t;
    };
    const model = new nn.Sequential(...layers());
    await train.fit(model, images(), {
      epochs: 2,
      batchSize: 32,
      seed: 1,
      augment: (x) => keepFirst(x.mul(1)),
      loss: (output, target) => {
        keepFirst(ones([2048]).mul(output.sum().detach())); // a result of its own, 8 KB
        return loss.crossEntropy(output, target);
      },
    });
    expect(kept).toHaveLength(2);
    for (const { t, copy } of kept) expect(Array.from(t.data())).toEqual(copy);
  });

  it("gives a recorded result's memory to the next result of its size, and keeps what it is told to", () => {
    const step = new StepResults(true);
    const made = step.record(() => ones([4096]).mul(2));
    const kept = step.record(() => ones([3000]).mul(3));
    const madeBuffer = (made.storage as Float32Array).buffer;
    step.release([kept]);
    expect((ones([4096]).mul(5).storage as Float32Array).buffer).toBe(madeBuffer);
    expect(Array.from(kept.data()).every((v) => v === 3)).toBe(true);
    expect((ones([3000]).mul(5).storage as Float32Array).buffer).not.toBe(
      (kept.storage as Float32Array).buffer,
    );
    const off = new StepResults(false);
    const plain = off.record(() => ones([4096]).mul(2));
    off.release([]);
    expect((ones([4096]).mul(5).storage as Float32Array).buffer).not.toBe(
      (plain.storage as Float32Array).buffer,
    );
  });
});
