import { describe, expect, it } from "vitest";
import { optim, tensor } from "../../src/index.js";
import { expectClose } from "../nn/expect-close.js";

const sgd = (lr = 1, momentum = 0) => new optim.SGD([tensor([0], { requiresGrad: true })], { lr, momentum });

/** The optimizer's rate at construction and after each of `steps` calls to step(). */
function rates(schedule: optim.schedules.Schedule, steps: number): number[] {
  const out = [schedule.optimizer.lr];
  for (let i = 0; i < steps; i++) {
    schedule.step();
    out.push(schedule.optimizer.lr);
  }
  return out;
}

describe("learning-rate schedules", () => {
  it("step: lr·γ^⌊t / stepSize⌋", () => {
    expect(rates(optim.schedules.step(sgd(), { stepSize: 2, gamma: 0.5 }), 5)).toEqual([
      1, 1, 0.5, 0.5, 0.25, 0.25,
    ]);
    expect(rates(new optim.schedules.StepLR(sgd(2), { stepSize: 1 }), 2)).toEqual([2, 0.2, 2 * 0.1 ** 2]);
  });

  it("exponential: lr·γ^t", () => {
    expectClose(rates(optim.schedules.exponential(sgd(), { gamma: 0.9 }), 3), [1, 0.9, 0.81, 0.729], 1e-15);
  });

  it("cosine: etaMin + (lr − etaMin)(1 + cos(πt/tMax))/2", () => {
    const curve = rates(optim.schedules.cosine(sgd(), { tMax: 4, etaMin: 0.1 }), 4);
    expectClose(
      curve,
      [1, 0.1 + 0.45 * (1 + Math.SQRT1_2), 0.55, 0.1 + 0.45 * (1 - Math.SQRT1_2), 0.1],
      1e-15,
    );
  });

  it("one-cycle follows OneCycleLR: rise over pctStart, cosine annealing, momentum the opposite way", () => {
    const opt = sgd(0.123, 0);
    const schedule = optim.schedules.oneCycle(opt, { maxLr: 1, totalSteps: 10 });
    // start maxLr/25 = 0.04; peak at step 0.3·10 − 1 = 2; end 0.04/1e4 at step 9
    expect(opt.lr).toBeCloseTo(0.04, 15);
    expect(opt.momentum).toBeCloseTo(0.95, 15);
    schedule.step();
    expect(opt.lr).toBeCloseTo(0.52, 15); // halfway up the cosine
    expect(opt.momentum).toBeCloseTo(0.9, 15);
    schedule.step();
    expect(opt.lr).toBe(1);
    expect(opt.momentum).toBeCloseTo(0.85, 15);
    const down: number[] = [];
    for (let t = 3; t <= 9; t++) {
      schedule.step();
      down.push(opt.lr);
    }
    const expected = [3, 4, 5, 6, 7, 8, 9].map(
      (t) => 4e-6 + ((1 - 4e-6) / 2) * (Math.cos((Math.PI * (t - 2)) / 7) + 1),
    );
    expectClose(down, expected, 1e-15);
    expect(opt.lr).toBeCloseTo(4e-6, 18);
    expect(opt.momentum).toBeCloseTo(0.95, 15);
    schedule.step(); // step totalSteps is still allowed, as in PyTorch
    expect(() => schedule.step()).toThrow("OneCycleLR: stepped 11 times, past totalSteps = 10");
  });

  it("one-cycle: linear annealing, three phases, and Adam's β₁ as the momentum", () => {
    const linear = optim.schedules.oneCycle(sgd(), {
      maxLr: 1,
      totalSteps: 10,
      annealStrategy: "linear",
      pctStart: 0.4,
    });
    // peak at step 3: 0.04 → 1 in thirds
    expectClose(rates(linear, 3), [0.04, 0.36, 0.68, 1], 1e-15);

    const three = optim.schedules.oneCycle(sgd(), { maxLr: 1, totalSteps: 10, threePhase: true });
    const curve = rates(three, 9);
    expect(curve[2]).toBe(1); // peak at step 2
    expect(curve[4]).toBeCloseTo(0.04, 15); // back to the start rate at step 4
    expect(curve[9]).toBeCloseTo(4e-6, 18); // annealed at step 9

    const adam = new optim.Adam([tensor([0], { requiresGrad: true })]);
    optim.schedules.oneCycle(adam, { maxLr: 0.01, totalSteps: 5, baseMomentum: 0.8, maxMomentum: 0.9 });
    expect(adam.options.betas).toEqual([0.9, 0.999]);
    const adagrad = new optim.Adagrad([tensor([0], { requiresGrad: true })]);
    expect(() => optim.schedules.oneCycle(adagrad, { maxLr: 1, totalSteps: 5 })).toThrow(
      "OneCycleLR: Adagrad has no momentum to cycle; pass cycleMomentum: false",
    );
    expect(() =>
      optim.schedules.oneCycle(adagrad, { maxLr: 1, totalSteps: 5, cycleMomentum: false }),
    ).not.toThrow();
  });

  it("a schedule resumes from its state dict", () => {
    const a = optim.schedules.cosine(sgd(0.5), { tMax: 10 });
    for (let i = 0; i < 4; i++) a.step();
    const state = a.stateDict();
    expect(state).toEqual({ t: 4, baseLr: 0.5 });
    const opt = sgd(0.5);
    const b = optim.schedules.cosine(opt, { tMax: 10 });
    b.loadStateDict(state);
    expect(opt.lr).toBe(a.optimizer.lr);
    a.step();
    b.step();
    expect(opt.lr).toBe(a.optimizer.lr);
    expect(() => b.loadStateDict({ t: -1, baseLr: 1 })).toThrow(/CosineAnnealingLR.loadStateDict: bad state/);
  });

  it("checks its arguments", () => {
    expect(() => optim.schedules.step(sgd(), { stepSize: 0 })).toThrow(
      "StepLR: stepSize must be a positive integer, got 0",
    );
    expect(() => optim.schedules.cosine(sgd(), { tMax: 1.5 })).toThrow(/tMax must be a positive integer/);
    expect(() => optim.schedules.oneCycle(sgd(), { maxLr: 1, totalSteps: 10, pctStart: 2 })).toThrow(
      "OneCycleLR: pctStart must be in [0, 1], got 2",
    );
  });
});
