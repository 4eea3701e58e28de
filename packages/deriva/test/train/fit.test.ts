import { describe, expect, it } from "vitest";
import { data, loss, manualSeed, models, nn, optim, type Tensor, tensor, train } from "../../src/index.js";
import { blobs, line, weightsOf } from "./blobs.js";

function mlp(inputs = 2, outputs = 3, seed = 0): nn.Module {
  manualSeed(seed);
  return nn.fromConfig(models.mlp({ inputShape: [inputs], outputs, hidden: [16] }));
}

describe("train.fit", () => {
  it("learns three blobs: the loss falls and the validation accuracy is high", async () => {
    const model = mlp();
    const history = await train.fit(model, blobs(60), {
      epochs: 20,
      batchSize: 16,
      lr: 0.01,
      validationSplit: 0.25,
    });
    expect(history.epochs).toHaveLength(20);
    expect(history.stopReason).toBe("completed");
    const [first, last] = [history.epochs[0]!, history.epochs.at(-1)!];
    expect(last.loss).toBeLessThan(first.loss / 2);
    expect(last.valAccuracy).toBeGreaterThan(0.9);
    expect(last.accuracy).toBeGreaterThan(0.9);
    expect(history.weightsEpoch).toBe(20);
    // confusion matrix of the final model on the 45 validation samples
    const matrix = history.confusionMatrix!;
    expect(matrix).toHaveLength(3);
    expect(matrix.flat().reduce((a, b) => a + b, 0)).toBe(45);
    const diagonal = matrix[0]![0]! + matrix[1]![1]! + matrix[2]![2]!;
    expect(diagonal / 45).toBeCloseTo(last.valAccuracy!, 10);
  });

  it("gives identical loss histories for the same seed, and different ones for another seed", async () => {
    const run = async (seed: number) =>
      (
        await train.fit(mlp(2, 3, 7), blobs(40), {
          epochs: 4,
          batchSize: 8,
          validationSplit: 0.2,
          seed,
          lr: 0.02,
        })
      ).epochs.map((e) => [e.loss, e.valLoss]);
    const a = await run(11);
    expect(await run(11)).toEqual(a);
    expect(await run(12)).not.toEqual(a);
  });

  it("stops on a non-finite loss and keeps the last good weights (a huge learning rate)", async () => {
    const model = mlp();
    const before = weightsOf(model);
    const history = await train.fit(model, blobs(30), {
      epochs: 5,
      optimizer: "sgd",
      lr: 1e12,
      batchSize: 10,
    });
    expect(history.stopReason).toBe("non-finite-loss");
    expect(history.message).toMatch(
      /^the training loss became (NaN|Infinity) at epoch 1, batch \d+ \(learning rate 1e\+12\): training stopped and the weights from before training were restored; a smaller learning rate may help$/,
    );
    expect(history.epochs).toHaveLength(0);
    expect(history.weightsEpoch).toBe(0);
    expect(weightsOf(model)).toEqual(before);
    // the model still works: its loss is finite
    expect(Number.isFinite((await train.evaluate(model, blobs(30))).loss)).toBe(true);
  });

  it("goes back past an epoch whose final weights turn out bad on the next epoch's first batch", async () => {
    // a loss that turns NaN on its k-th call (one batch per call; no validation data)
    const nanOnCall = (k: number) => {
      let calls = 0;
      return (output: Tensor, labels: Tensor) => {
        const value = loss.crossEntropy(output, labels);
        return ++calls === k ? value.mul(Number.NaN) : value;
      };
    };
    const dataset = blobs(10); // 30 samples
    const afterEpoch: Record<string, number[]>[] = [];
    const record = { onEpochEnd: () => afterEpoch.push(weightsOf(model)) };
    // one batch per epoch: epoch 1's weights give NaN on epoch 2's first batch → back to the start
    let model = mlp();
    const start = weightsOf(model);
    let history = await train.fit(model, dataset, {
      epochs: 3,
      batchSize: 30,
      loss: nanOnCall(2),
      callbacks: record,
    });
    expect(history.message).toMatch(
      /^the training loss became NaN at epoch 2, batch 1 .*the weights from before training were restored/,
    );
    expect(history.weightsEpoch).toBe(0);
    expect(weightsOf(model)).toEqual(start);
    // two batches per epoch: epoch 2's first batch vouched for epoch 1's weights → back to epoch 1
    model = mlp();
    afterEpoch.length = 0;
    history = await train.fit(model, dataset, {
      epochs: 3,
      batchSize: 15,
      loss: nanOnCall(4),
      callbacks: record,
    });
    expect(history.message).toMatch(
      /^the training loss became NaN at epoch 2, batch 2 .*the weights of epoch 1 were restored/,
    );
    expect(history.weightsEpoch).toBe(1);
    expect(weightsOf(model)).toEqual(afterEpoch[0]);
    // the last epoch's weights are checked by the final pass over the data
    model = mlp();
    history = await train.fit(model, dataset, { epochs: 1, batchSize: 30, loss: nanOnCall(2) });
    expect(history.message).toBe(
      "the loss on the training data became NaN after epoch 1: the weights from before training were restored; a smaller learning rate may help",
    );
    expect(history.stopReason).toBe("non-finite-loss");
    expect(history.weightsEpoch).toBe(0);
    expect(weightsOf(model)).toEqual(start);
  });

  it("stops early after `patience` epochs without improvement and restores the best weights", async () => {
    const model = mlp();
    let bestWeights: Record<string, number[]> = {};
    let best = Number.POSITIVE_INFINITY;
    const history = await train.fit(model, blobs(40), {
      epochs: 60,
      batchSize: 8,
      lr: 0.05,
      validationSplit: 0.3,
      earlyStopping: { patience: 2, minDelta: 1e-3 },
      callbacks: {
        onEpochEnd: (log) => {
          if (log.valLoss! < best - 1e-3) {
            best = log.valLoss!;
            bestWeights = weightsOf(model);
          }
        },
      },
    });
    expect(history.stopReason).toBe("early-stopping");
    expect(history.epochs.length).toBeLessThan(60);
    expect(history.message).toContain("valLoss did not improve for 2 epochs");
    const bestEpoch = history.weightsEpoch;
    expect(history.epochs.at(-1)!.epoch).toBe(bestEpoch + 2);
    expect(history.epochs[bestEpoch - 1]!.valLoss).toBeCloseTo(best, 12);
    expect(weightsOf(model)).toEqual(bestWeights);
  });

  it("with lr auto runs the range test first and starts from its suggestion", async () => {
    const found: number[] = [];
    const history = await train.fit(mlp(), blobs(40), {
      epochs: 2,
      lr: "auto",
      callbacks: { onLrFound: (_result, chosen) => found.push(chosen) },
    });
    const finder = history.lrFinder!;
    expect(finder.lrs.length).toBeGreaterThan(10);
    expect(history.lr).toBe(finder.suggestion);
    expect(found).toEqual([finder.suggestion]);
    expect(history.epochs[0]!.lr).toBe(finder.suggestion);
    expect(finder.suggestion).toBeGreaterThan(1e-6);
    expect(finder.suggestion).toBeLessThan(10);
  });

  it("calls the callbacks in order, once per batch and per epoch", async () => {
    const events: string[] = [];
    await train.fit(mlp(), blobs(10), {
      epochs: 2,
      batchSize: 12,
      callbacks: [
        {
          onTrainBegin: (info) =>
            events.push(`begin ${info.epochs}x${info.batchesPerEpoch} ${info.trainSamples}`),
          onEpochBegin: (epoch) => events.push(`epoch ${epoch}`),
          onBatchEnd: (log) => events.push(`batch ${log.epoch}.${log.batch}/${log.batches}`),
          onEpochEnd: (log) => events.push(`end ${log.epoch}`),
          onTrainEnd: (history) => events.push(`done ${history.epochs.length}`),
        },
      ],
    });
    expect(events).toEqual([
      "begin 2x3 30",
      "epoch 1",
      "batch 1.1/3",
      "batch 1.2/3",
      "batch 1.3/3",
      "end 1",
      "epoch 2",
      "batch 2.1/3",
      "batch 2.2/3",
      "batch 2.3/3",
      "end 2",
      "done 2",
    ]);
  });

  it("follows a schedule: cosine per epoch, one-cycle per batch", async () => {
    const cosine = await train.fit(mlp(), blobs(10), { epochs: 4, lr: 0.1, schedule: "cosine" });
    const lrs = cosine.epochs.map((e) => e.lr);
    expect(lrs[0]).toBeCloseTo(0.1, 12);
    for (const [i, lr] of lrs.entries()) expect(lr).toBeCloseTo(0.05 * (1 + Math.cos((Math.PI * i) / 4)), 12);
    const seen: number[] = [];
    let optimizer: optim.Optimizer | null = null;
    await train.fit(mlp(), blobs(10), {
      epochs: 2,
      batchSize: 10,
      lr: 0.1,
      optimizer: "momentum",
      schedule: "one-cycle",
      callbacks: {
        onTrainBegin: (info) => {
          optimizer = info.optimizer;
          seen.push(info.lr);
        },
        onBatchEnd: () => seen.push(optimizer!.lr),
      },
    });
    // the rates of the 6 steps: from 0.1/25 up to about 0.1 (30% of the way) and down to 0.1/25/1e4
    const used = seen.slice(0, 6);
    expect(used[0]).toBeCloseTo(0.1 / 25, 12);
    expect(Math.max(...used)).toBeGreaterThan(0.09);
    expect(Math.max(...used)).toBeLessThanOrEqual(0.1);
    expect(used[5]).toBeCloseTo(0.1 / 25 / 1e4, 12);
  });

  it("fits a regression with mse and reports no accuracy", async () => {
    const history = await train.fit(mlp(2, 1), line(200), {
      epochs: 30,
      batchSize: 20,
      lr: 0.01,
      validationSplit: 0.2,
    });
    const last = history.epochs.at(-1)!;
    expect(last.accuracy).toBeUndefined();
    expect(last.valAccuracy).toBeUndefined();
    expect(history.confusionMatrix).toBeNull();
    expect(last.valLoss).toBeLessThan(0.1); // the target's variance is 14
    await expect(train.fit(mlp(2, 1), line(20), { metrics: ["accuracy"] })).rejects.toThrow(
      "accuracy is a classification metric",
    );
    await expect(train.fit(mlp(2, 1), line(20), { loss: "cross-entropy" })).rejects.toThrow(
      "loss 'cross-entropy' does not fit a regression task",
    );
  });

  it("takes a loss function, an optimizer instance or a name with options, and a validation set", async () => {
    const model = mlp();
    const sgd = new optim.SGD(model.parameters(), { lr: 0.05, momentum: 0.9 });
    const calls: number[] = [];
    const history = await train.fit(model, blobs(30), {
      epochs: 3,
      optimizer: sgd,
      loss: (output, labels) => {
        calls.push(output.shape[0]!);
        return loss.crossEntropy(output, labels);
      },
      validationData: blobs(10, 99),
    });
    expect(history.optimizer).toBe(sgd);
    expect(calls.length).toBeGreaterThan(0);
    expect(history.epochs[2]!.valAccuracy).toBeGreaterThan(0.8);
    const named = await train.fit(mlp(), blobs(10), {
      epochs: 1,
      optimizer: { name: "sgd", options: { momentum: 0.5, nesterov: true } },
      lr: 0.01,
    });
    expect(named.optimizer).toBeInstanceOf(optim.SGD);
    expect(named.optimizer.stateDict().options).toMatchObject({ lr: 0.01, momentum: 0.5, nesterov: true });
  });

  it("continues a run exactly: 2 + 2 epochs with initialEpoch equal 4 epochs in one go", async () => {
    const dataset = blobs(30);
    const opts = {
      batchSize: 8,
      validationSplit: 0.2,
      seed: 5,
      augment: (x: Tensor, random: () => number) => x.add(random() / 100),
    } as const;
    const whole = await train.fit(mlp(), dataset, { ...opts, epochs: 4 });
    const model = mlp();
    const first = await train.fit(model, dataset, { ...opts, epochs: 2 });
    const second = await train.fit(model, dataset, {
      ...opts,
      epochs: 2,
      initialEpoch: 2,
      optimizer: first.optimizer,
    });
    expect([...first.epochs, ...second.epochs].map((e) => [e.epoch, e.loss, e.valLoss])).toEqual(
      whole.epochs.map((e) => [e.epoch, e.loss, e.valLoss]),
    );
  });

  it("refuses bad options with clear messages", async () => {
    const dataset = blobs(10);
    await expect(train.fit(mlp(), dataset, { epochs: 0 })).rejects.toThrow(
      "fit: epochs must be a positive integer, got 0",
    );
    await expect(train.fit(mlp(), dataset, { validationSplit: 1 })).rejects.toThrow(
      "validationSplit must be in [0, 1)",
    );
    await expect(
      train.fit(mlp(), dataset, { validationSplit: 0.2, validationData: dataset }),
    ).rejects.toThrow("give validationSplit or validationData, not both");
    await expect(
      train.fit(mlp(), dataset, { earlyStopping: { patience: 2 }, epochs: 1 }),
    ).resolves.toBeDefined();
    await expect(
      train.fit(mlp(), dataset, { earlyStopping: { patience: 2, monitor: "valLoss" } }),
    ).rejects.toThrow("early stopping monitors valLoss, but there is no validation data");
    await expect(train.fit(mlp(), dataset, { optimizer: "lbfgs" as "sgd" })).rejects.toThrow(
      'unknown optimizer "lbfgs"',
    );
    await expect(train.fit(mlp(), dataset, { loss: "hinge" as "mse" })).rejects.toThrow(
      'unknown loss "hinge"',
    );
    await expect(train.fit(mlp(), dataset, { augment: "shift" })).rejects.toThrow(
      "the shift augmentation needs images [N, C, H, W], got inputs of shape [30, 2]",
    );
  });

  it("trains on plain { x, y } samples too (the task from y's dtype)", async () => {
    const { x, y } = blobs(20);
    const history = await train.fit(mlp(), { x, y }, { epochs: 2 });
    expect(history.epochs[1]!.accuracy).toBeDefined();
    await expect(train.fit(mlp(), { x, y: tensor([1, 2]) }, {})).rejects.toThrow(
      "hold different numbers of samples",
    );
  });
});

describe("train.evaluate and train.predict", () => {
  it("evaluate gives the mean loss, the accuracy and the confusion matrix, in eval mode without gradients", async () => {
    manualSeed(1);
    const model = new nn.Sequential(
      new nn.Linear(2, 8),
      new nn.ReLU(),
      new nn.Dropout(0.5),
      new nn.Linear(8, 3),
    );
    const dataset = blobs(20);
    const result = await train.evaluate(model, dataset, { batchSize: 7 });
    expect(model.training).toBe(true);
    model.eval();
    const output = model.forward(dataset.x);
    expect(result.loss).toBeCloseTo(loss.crossEntropy(output, dataset.y).item(), 5);
    expect(result.accuracy).toBe(train.accuracy(output, dataset.y));
    const predicted = train.predictedClasses(output);
    expect(result.confusionMatrix).toEqual(train.confusionMatrix(predicted, dataset.y.data(), 3));
    expect(result.samples).toBe(60);
    model.train();
    const predictions = train.predict(model, dataset.x, { batchSize: 16 });
    expect(predictions.requiresGrad).toBe(false);
    expect(Array.from(predictions.data())).toEqual(Array.from(output.data()));
  });

  it("evaluates a regression by its loss only", async () => {
    const result = await train.evaluate(mlp(2, 1), line(30));
    expect(result.accuracy).toBeNull();
    expect(result.confusionMatrix).toBeNull();
    expect(result.loss).toBeGreaterThan(0);
  });
});

describe("data sets for the tests", () => {
  it("blobs are balanced", () => {
    const counts = [0, 0, 0];
    for (const label of blobs(5).y.data()) counts[label]!++;
    expect(counts).toEqual([5, 5, 5]);
    expect(data.Dataset).toBeDefined();
  });
});
