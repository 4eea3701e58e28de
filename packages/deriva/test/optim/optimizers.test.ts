import { describe, expect, it } from "vitest";
import { loss, manualSeed, nn, optim, randn, type Tensor, tensor } from "../../src/index.js";
import { expectClose } from "../nn/expect-close.js";

/**
 * Expected trajectories: p₀ = 1 and gradients 1, −2, 0.5, stepped through a transcription of the
 * algorithms in PyTorch's torch.optim documentation (written separately, in Python, double precision).
 */
const GRADS = [1, -2, 0.5];

function trajectory(make: (params: Tensor[]) => optim.Optimizer): number[] {
  const p = tensor([1], { dtype: "float64", requiresGrad: true });
  const opt = make([p]);
  return GRADS.map((g) => {
    p.grad = tensor([g], { dtype: "float64" });
    opt.step();
    return p.item();
  });
}

const cases: [string, (params: Tensor[]) => optim.Optimizer, number[]][] = [
  ["SGD", (ps) => new optim.SGD(ps, { lr: 0.1 }), [0.9, 1.1, 1.05]],
  ["SGD weight decay", (ps) => new optim.SGD(ps, { lr: 0.1, weightDecay: 0.1 }), [0.89, 1.0811, 1.020289]],
  ["SGD momentum", (ps) => new optim.SGD(ps, { lr: 0.1, momentum: 0.9 }), [0.9, 1.01, 1.059]],
  [
    "SGD Nesterov + weight decay",
    (ps) => new optim.SGD(ps, { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.1 }),
    [0.7909999999999999, 1.066871, 1.0270033509999998],
  ],
  [
    "SGD dampening",
    (ps) => new optim.SGD(ps, { lr: 0.1, momentum: 0.9, dampening: 0.5 }),
    [0.9, 0.91, 0.894],
  ],
  ["Adam", (ps) => new optim.Adam(ps, { lr: 0.1 }), [0.900000001, 0.9366103534720749, 0.9502794196738216]],
  [
    "Adam L2 weight decay",
    (ps) => new optim.Adam(ps, { lr: 0.1, weightDecay: 0.1 }),
    [0.9000000009090909, 0.9310642948391922, 0.937642154937361],
  ],
  [
    "Adam betas and eps",
    (ps) => new optim.Adam(ps, { lr: 0.05, betas: [0.5, 0.9], eps: 1e-3 }),
    [0.9500499500499501, 0.9811655668139492, 0.9866084948030032],
  ],
  [
    "AdamW decoupled weight decay",
    (ps) => new optim.AdamW(ps, { lr: 0.1, weightDecay: 0.1 }),
    [0.890000001, 0.9177103534620747, 0.9222023161292007],
  ],
  [
    "RMSprop",
    (ps) => new optim.RMSprop(ps, { lr: 0.01 }),
    [0.9000000099999991, 0.9895323021991522, 0.9675849505350489],
  ],
  [
    "RMSprop centered + momentum + weight decay",
    (ps) => new optim.RMSprop(ps, { lr: 0.01, momentum: 0.9, centered: true, weightDecay: 0.1 }),
    [0.8994962276568145, 0.8958682228736997, 0.8666097069588409],
  ],
  [
    "Adagrad",
    (ps) => new optim.Adagrad(ps, { lr: 0.1 }),
    [0.90000000001, 0.9894427191059916, 0.9676209300833447],
  ],
  [
    "Adagrad lr decay + weight decay + initial accumulator",
    (ps) => new optim.Adagrad(ps, { lr: 0.1, lrDecay: 0.1, weightDecay: 0.1, initialAccumulatorValue: 0.5 }),
    [0.9158808975872268, 0.9908737580606838, 0.9699829586760594],
  ],
];

describe("optimizer update rules match PyTorch's", () => {
  for (const [name, make, expected] of cases) {
    it(name, () => expectClose(trajectory(make), expected, 1e-15));
  }

  it("AdamW defaults to weight decay 0.01; PyTorch's default rates", () => {
    const p = [tensor([1], { requiresGrad: true })];
    expect(new optim.AdamW(p).options).toEqual({
      lr: 1e-3,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: 0.01,
    });
    expect(new optim.Adam(p).options.weightDecay).toBe(0);
    expect(new optim.RMSprop(p).lr).toBe(0.01);
    expect(new optim.Adagrad(p).options.eps).toBe(1e-10);
    expect(new optim.SGD(p, { lr: 0.5, momentum: undefined }).options.momentum).toBe(0);
  });
});

describe("Optimizer", () => {
  it("updates float32 parameters in place, skips those without a gradient, and zeroGrad clears", () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([3], { requiresGrad: true });
    const storage = a.storage;
    const opt = new optim.SGD([a, b], { lr: 0.5 });
    a.grad = tensor([2, -2]);
    opt.step();
    expect(a.storage).toBe(storage);
    expect(a.toArray()).toEqual([0, 3]);
    expect(b.toArray()).toEqual([3]);
    opt.zeroGrad();
    expect(a.grad).toBeNull();
  });

  it("a changed lr applies from the next step", () => {
    const p = tensor([0], { requiresGrad: true });
    const opt = new optim.SGD([p], { lr: 1 });
    p.grad = tensor([1]);
    opt.step();
    opt.lr = 0.25;
    opt.step();
    expect(p.item()).toBe(-1.25);
    expect(() => {
      opt.lr = -1;
    }).toThrow("SGD: the learning rate must be a finite number ≥ 0, got -1");
  });

  it("momentum is settable (Adam's β₁) for one-cycle schedules", () => {
    const p = [tensor([0], { requiresGrad: true })];
    const adam = new optim.Adam(p);
    adam.momentum = 0.8;
    expect(adam.options.betas).toEqual([0.8, 0.999]);
    const sgd = new optim.SGD(p, { lr: 0.1 });
    sgd.momentum = 0.9;
    expect(sgd.options.momentum).toBe(0.9);
    expect(new optim.Adagrad(p).momentum).toBeNull();
  });

  it("checks its hyperparameters and parameters", () => {
    const p = [tensor([0], { requiresGrad: true })];
    expect(() => new optim.SGD(p, { lr: 0.1, nesterov: true })).toThrow(
      "SGD: Nesterov momentum needs a momentum > 0 and zero dampening",
    );
    expect(() => new optim.Adam(p, { betas: [0.9, 1] })).toThrow("Adam: β₂ must be in [0, 1), got 1");
    expect(() => new optim.RMSprop(p, { alpha: 2 })).toThrow("RMSprop: alpha must be in [0, 1], got 2");
    expect(() => new optim.SGD([], { lr: 0.1 })).toThrow("SGD: got an empty list of parameters");
    expect(() => new optim.SGD([tensor([1])], { lr: 0.1 })).toThrow(
      "SGD: parameter 0 must be a float tensor that requires grad",
    );
    expect(() => new optim.SGD([p[0]!, p[0]!], { lr: 0.1 })).toThrow(
      "SGD: a parameter appears more than once",
    );
  });
});

describe("optimizer state dicts", () => {
  function train(make: (ps: Tensor[]) => optim.Optimizer, steps: number, resumeAt?: number): number[][] {
    manualSeed(11);
    const model = new nn.Sequential(new nn.Linear(3, 4), new nn.Tanh(), new nn.Linear(4, 1));
    const x = randn([8, 3]);
    const y = randn([8, 1]);
    let opt = make(model.parameters());
    for (let i = 0; i < steps; i++) {
      if (i === resumeAt) {
        // a fresh optimizer (with other hyperparameters) picks up exactly where the old one stopped
        const saved = JSON.parse(JSON.stringify({ ...opt.stateDict(), state: {} }));
        const state = opt.stateDict().state;
        opt = make(model.parameters());
        opt.lr = 123;
        opt.loadStateDict({ ...saved, state });
      }
      opt.zeroGrad();
      loss.mse(model.forward(x), y).backward();
      opt.step();
    }
    return model.parameters().map((p) => [...p.data()]);
  }

  for (const [name, make] of [
    ["SGD", (ps: Tensor[]) => new optim.SGD(ps, { lr: 0.05, momentum: 0.9, nesterov: true })],
    ["Adam", (ps: Tensor[]) => new optim.Adam(ps, { lr: 0.01 })],
    ["AdamW", (ps: Tensor[]) => new optim.AdamW(ps, { lr: 0.01 })],
    ["RMSprop", (ps: Tensor[]) => new optim.RMSprop(ps, { lr: 0.01, momentum: 0.5, centered: true })],
    ["Adagrad", (ps: Tensor[]) => new optim.Adagrad(ps, { lr: 0.05, lrDecay: 0.01 })],
  ] as const) {
    it(`${name}: stopping, saving and resuming gives bit-identical weights`, () => {
      expect(train(make, 6, 3)).toEqual(train(make, 6));
    });
  }

  it("holds PyTorch's buffer names, per-parameter steps and the options", () => {
    const p = tensor([1, 2], { requiresGrad: true });
    const opt = new optim.Adam([p], { lr: 0.1 });
    p.grad = tensor([1, 1]);
    opt.step();
    const dict = opt.stateDict();
    expect(dict.type).toBe("Adam");
    expect(dict.steps).toEqual([1]);
    expect(Object.keys(dict.state)).toEqual(["0.exp_avg", "0.exp_avg_sq"]);
    expect(dict.state["0.exp_avg"]!.shape).toEqual([2]);
    expect(dict.options).toEqual({ lr: 0.1, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0 });
    // a copy: later steps do not change it
    opt.step();
    expectClose(dict.state["0.exp_avg"]!, [0.1, 0.1], 1e-7);
  });

  it("refuses a state of another optimizer or other parameters", () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const sgd = new optim.SGD([a], { lr: 0.1, momentum: 0.9 });
    a.grad = tensor([1, 1]);
    sgd.step();
    const dict = sgd.stateDict();
    expect(() => new optim.Adam([a]).loadStateDict(dict)).toThrow(
      "Adam.loadStateDict: the state is for SGD, not Adam",
    );
    const other = new optim.SGD([tensor([1, 2, 3], { requiresGrad: true })], { lr: 0.1 });
    expect(() => other.loadStateDict(dict)).toThrow(
      'SGD.loadStateDict: "0.momentum_buffer" has shape [2] but parameter 0 has [3]',
    );
    expect(() =>
      sgd.loadStateDict({ ...dict, options: { lr: "fast" } } as unknown as optim.OptimizerStateDict),
    ).toThrow('SGD.loadStateDict: option "lr" should be like 0.1, got "fast"');
    expect(() => sgd.loadStateDict({ ...dict, options: { speed: 1 } })).toThrow(
      'SGD.loadStateDict: unknown option "speed"',
    );
    expect(() => sgd.loadStateDict({ ...dict, steps: [-1] })).toThrow(
      "step counts must be non-negative integers",
    );
    expect(sgd.lr).toBe(0.1); // nothing changed
    const two = new optim.SGD([a, tensor([1], { requiresGrad: true })], { lr: 0.1 });
    expect(() => two.loadStateDict(dict)).toThrow(
      "SGD.loadStateDict: the state has 1 parameters, this optimizer 2",
    );
  });
});

describe("training with each optimizer", () => {
  it("fits y = 2x − 1 with a Linear layer", () => {
    const x = tensor([[-1], [-0.5], [0], [0.5], [1]]);
    const y = x.mul(2).sub(1);
    for (const make of [
      (ps: Tensor[]) => new optim.SGD(ps, { lr: 0.2, momentum: 0.5 }),
      (ps: Tensor[]) => new optim.Adam(ps, { lr: 0.05 }),
      (ps: Tensor[]) => new optim.AdamW(ps, { lr: 0.05, weightDecay: 0 }),
      (ps: Tensor[]) => new optim.RMSprop(ps, { lr: 0.02 }),
      (ps: Tensor[]) => new optim.Adagrad(ps, { lr: 0.5 }),
    ]) {
      manualSeed(0);
      const model = new nn.Linear(1, 1);
      const opt = make(model.parameters());
      for (let i = 0; i < 300; i++) {
        opt.zeroGrad();
        loss.mse(model.forward(x), y).backward();
        opt.step();
      }
      const final = loss.mse(model.forward(x), y).item();
      expect(final, opt.type).toBeLessThan(1e-4);
    }
  });
});
