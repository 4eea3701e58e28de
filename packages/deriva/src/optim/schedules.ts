/**
 * Learning-rate schedules (torch.optim.lr_scheduler): objects that set the optimizer's lr each
 * time step() is called, once per epoch or once per batch as you choose. Each is a closed-form
 * function of the step count t; construction applies t = 0.
 *
 * @example
 * const opt = new optim.SGD(new nn.Linear(2, 1).parameters(), { lr: 0.1 });
 * const schedule = new optim.schedules.CosineAnnealingLR(opt, { tMax: 10 });
 * for (let epoch = 0; epoch < 5; epoch++) schedule.step(); // after each epoch's training
 * opt.lr; // 0.05
 */
import { inRange, nonNegative, positiveInt } from "./check.js";
import type { Optimizer } from "./optimizer.js";

/** A schedule's state as saved with a training run: enough for loadStateDict to resume it. */
export interface ScheduleState {
  /** Steps taken. */
  t: number;
  /** The learning rate the schedule started from. */
  baseLr: number;
}

/**
 * The base of the learning-rate schedules: each step() advances the step count t and sets the
 * optimizer's rate (and, for one-cycle, its momentum) to a closed-form function of t.
 */
export abstract class Schedule {
  /** The optimizer whose rate the schedule sets. */
  readonly optimizer: Optimizer;
  #t = 0;
  #baseLr: number;

  constructor(optimizer: Optimizer) {
    this.optimizer = optimizer;
    this.#baseLr = optimizer.lr;
  }

  /** The rate at step t, given the starting rate. */
  abstract lrAt(t: number, baseLr: number): number;

  /** Steps taken so far. */
  get t(): number {
    return this.#t;
  }

  /** The learning rate the optimizer had when the schedule was built (the schedule's starting point). */
  get baseLr(): number {
    return this.#baseLr;
  }

  /** The rate the optimizer has now. */
  get lr(): number {
    return this.optimizer.lr;
  }

  /** Advances one step (an epoch or a batch) and sets the optimizer's rate. */
  step(): void {
    this.#t++;
    this.apply();
  }

  /** Sets the optimizer's hyperparameters for the current step. */
  protected apply(): void {
    this.optimizer.lr = this.lrAt(this.#t, this.#baseLr);
  }

  /** A copy of the schedule's state (steps taken and base rate), for loadStateDict. */
  stateDict(): ScheduleState {
    return { t: this.#t, baseLr: this.#baseLr };
  }

  /** Resumes at the saved step (and sets the optimizer's rate for it). */
  loadStateDict(state: ScheduleState): void {
    if (!Number.isInteger(state.t) || state.t < 0 || !Number.isFinite(state.baseLr)) {
      throw new Error(`${this.constructor.name}.loadStateDict: bad state ${JSON.stringify(state)}`);
    }
    this.#t = state.t;
    this.#baseLr = state.baseLr;
    this.apply();
  }
}

/** lr = baseLr·γ^⌊t / stepSize⌋ (torch StepLR; γ defaults to 0.1). */
export class StepLR extends Schedule {
  /** The number of steps between decays. */
  readonly stepSize: number;
  /** The factor the rate is multiplied by every stepSize steps (default 0.1). */
  readonly gamma: number;

  constructor(optimizer: Optimizer, opts: { stepSize: number; gamma?: number }) {
    super(optimizer);
    this.stepSize = positiveInt("StepLR", "stepSize", opts.stepSize);
    this.gamma = nonNegative("StepLR", "gamma", opts.gamma ?? 0.1);
    this.apply();
  }

  lrAt(t: number, baseLr: number): number {
    return baseLr * this.gamma ** Math.floor(t / this.stepSize);
  }
}

/** lr = baseLr·γ^t (torch ExponentialLR). */
export class ExponentialLR extends Schedule {
  /** The factor the rate is multiplied by at every step. */
  readonly gamma: number;

  constructor(optimizer: Optimizer, opts: { gamma: number }) {
    super(optimizer);
    this.gamma = nonNegative("ExponentialLR", "gamma", opts.gamma);
    this.apply();
  }

  lrAt(t: number, baseLr: number): number {
    return baseLr * this.gamma ** t;
  }
}

/** lr = etaMin + (baseLr − etaMin)·(1 + cos(π·t / tMax)) / 2 (torch CosineAnnealingLR, closed form). */
export class CosineAnnealingLR extends Schedule {
  /** The number of steps in which the rate falls from baseLr to etaMin (a half cosine period). */
  readonly tMax: number;
  /** The lowest rate, reached at t = tMax (default 0). */
  readonly etaMin: number;

  constructor(optimizer: Optimizer, opts: { tMax: number; etaMin?: number }) {
    super(optimizer);
    this.tMax = positiveInt("CosineAnnealingLR", "tMax", opts.tMax);
    this.etaMin = nonNegative("CosineAnnealingLR", "etaMin", opts.etaMin ?? 0);
    this.apply();
  }

  lrAt(t: number, baseLr: number): number {
    return this.etaMin + ((baseLr - this.etaMin) * (1 + Math.cos((Math.PI * t) / this.tMax))) / 2;
  }
}

/** Options of OneCycleLR (PyTorch's names and defaults). */
export interface OneCycleOptions {
  /** The peak learning rate. */
  maxLr: number;
  /** Number of step() calls in the whole cycle (epochs × batches per epoch when stepped per batch). */
  totalSteps: number;
  /** Fraction of the steps spent rising to maxLr (default 0.3). */
  pctStart?: number;
  /** "cos" (default) or "linear" interpolation. */
  annealStrategy?: "cos" | "linear";
  /** Also move momentum (or Adam's β₁) opposite to the rate (default true). */
  cycleMomentum?: boolean;
  /** The momentum at the peak rate (default 0.85). */
  baseMomentum?: number;
  /** The momentum at the lowest rates, at the start and the end (default 0.95). */
  maxMomentum?: number;
  /** The start rate is maxLr / divFactor (default 25). */
  divFactor?: number;
  /** The final rate is the start rate / finalDivFactor (default 1e4). */
  finalDivFactor?: number;
  /** Rise, fall back to the start rate, then anneal to the final rate (fast.ai's schedule). */
  threePhase?: boolean;
}

interface Phase {
  end: number;
  lr: [number, number];
  momentum: [number, number];
}

/**
 * The one-cycle policy (torch OneCycleLR, Smith & Topin 2017): the rate rises from maxLr/divFactor
 * to maxLr over pctStart of the steps, then anneals to maxLr/(divFactor·finalDivFactor); momentum
 * moves the opposite way between maxMomentum and baseMomentum. Step it once per batch; stepping
 * past totalSteps is an error.
 */
export class OneCycleLR extends Schedule {
  /** The number of step() calls in the whole cycle. */
  readonly totalSteps: number;
  readonly #phases: Phase[];
  readonly #anneal: (from: number, to: number, pct: number) => number;
  readonly #cycleMomentum: boolean;

  constructor(optimizer: Optimizer, opts: OneCycleOptions) {
    super(optimizer);
    const name = "OneCycleLR";
    const total = positiveInt(name, "totalSteps", opts.totalSteps);
    const maxLr = nonNegative(name, "maxLr", opts.maxLr);
    const pct = inRange(name, "pctStart", opts.pctStart ?? 0.3, 0, 1);
    const initial = maxLr / (opts.divFactor ?? 25);
    const final = initial / (opts.finalDivFactor ?? 1e4);
    const base = opts.baseMomentum ?? 0.85;
    const peak = opts.maxMomentum ?? 0.95;
    this.totalSteps = total;
    this.#phases = opts.threePhase
      ? [
          { end: pct * total - 1, lr: [initial, maxLr], momentum: [peak, base] },
          { end: 2 * pct * total - 2, lr: [maxLr, initial], momentum: [base, peak] },
          { end: total - 1, lr: [initial, final], momentum: [peak, peak] },
        ]
      : [
          { end: pct * total - 1, lr: [initial, maxLr], momentum: [peak, base] },
          { end: total - 1, lr: [maxLr, final], momentum: [base, peak] },
        ];
    const strategy = opts.annealStrategy ?? "cos";
    if (strategy !== "cos" && strategy !== "linear") {
      throw new Error(`${name}: annealStrategy must be "cos" or "linear", got ${JSON.stringify(strategy)}`);
    }
    this.#anneal = strategy === "cos" ? annealCos : annealLinear;
    this.#cycleMomentum = opts.cycleMomentum ?? true;
    if (this.#cycleMomentum && optimizer.momentum === null) {
      throw new Error(`${name}: ${optimizer.type} has no momentum to cycle; pass cycleMomentum: false`);
    }
    this.apply();
  }

  #at(t: number): { lr: number; momentum: number } {
    if (t > this.totalSteps) {
      throw new Error(`OneCycleLR: stepped ${t} times, past totalSteps = ${this.totalSteps}`);
    }
    let start = 0;
    for (const [i, phase] of this.#phases.entries()) {
      if (t <= phase.end || i === this.#phases.length - 1) {
        const pct = (t - start) / (phase.end - start);
        return {
          lr: this.#anneal(phase.lr[0], phase.lr[1], pct),
          momentum: this.#anneal(phase.momentum[0], phase.momentum[1], pct),
        };
      }
      start = phase.end;
    }
    throw new Error("OneCycleLR: no phase"); // unreachable: the last phase always matches
  }

  lrAt(t: number): number {
    return this.#at(t).lr;
  }

  protected override apply(): void {
    const { lr, momentum } = this.#at(this.t);
    this.optimizer.lr = lr;
    if (this.#cycleMomentum) this.optimizer.momentum = momentum;
  }
}

function annealCos(from: number, to: number, pct: number): number {
  return to + ((from - to) / 2) * (Math.cos(Math.PI * pct) + 1);
}

function annealLinear(from: number, to: number, pct: number): number {
  return (to - from) * pct + from;
}

/** Shorthands: optim.schedules.step(opt, { stepSize }) is new StepLR(opt, { stepSize }). */
export const step = (optimizer: Optimizer, opts: { stepSize: number; gamma?: number }): StepLR =>
  new StepLR(optimizer, opts);
/** Shorthand for new ExponentialLR(optimizer, opts): lr = baseLr·γ^t. */
export const exponential = (optimizer: Optimizer, opts: { gamma: number }): ExponentialLR =>
  new ExponentialLR(optimizer, opts);
/**
 * Shorthand for new CosineAnnealingLR(optimizer, opts): cosine annealing from baseLr to etaMin over tMax
 * steps.
 */
export const cosine = (optimizer: Optimizer, opts: { tMax: number; etaMin?: number }): CosineAnnealingLR =>
  new CosineAnnealingLR(optimizer, opts);
/** Shorthand for new OneCycleLR(optimizer, opts): the one-cycle policy over totalSteps steps. */
export const oneCycle = (optimizer: Optimizer, opts: OneCycleOptions): OneCycleLR =>
  new OneCycleLR(optimizer, opts);
