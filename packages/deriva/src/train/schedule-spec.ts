/** Learning-rate schedules chosen by name for a training run of known length. */
import type { Optimizer } from "../optim/index.js";
import { schedules } from "../optim/index.js";

/** The schedules fit knows by name. */
export type ScheduleName = "none" | "cosine" | "step" | "exponential" | "one-cycle";

/** The length of the run a schedule is made for. */
export interface RunLength {
  /** Epochs the run trains. */
  epochs: number;
  /** Gradient steps per epoch. */
  batchesPerEpoch: number;
}

/** A schedule and when it steps: after every epoch or after every batch. */
export interface ScheduleSetup {
  /** The schedule, built over the run's optimizer. */
  schedule: schedules.Schedule;
  /** Whether fit steps the schedule after every epoch or after every batch. */
  every: "epoch" | "batch";
}

/** A schedule of your own, built once the optimizer (and its starting rate) is known. */
export type ScheduleFactory = (optimizer: Optimizer, run: RunLength) => ScheduleSetup;

/** Every schedule fit knows by name, in the order error messages list them. */
export const SCHEDULE_NAMES: readonly ScheduleName[] = ["none", "cosine", "step", "exponential", "one-cycle"];

/**
 * The named schedules over a run, starting from the optimizer's rate lr:
 * - cosine: from lr down to 0 along a half cosine, stepped per epoch;
 * - step: lr × 0.1 after each third of the epochs;
 * - exponential: lr × γ per epoch with γ chosen so the last epoch runs at lr / 100;
 * - one-cycle: up to lr and down again (torch OneCycleLR with maxLr = lr), stepped per batch;
 *   it also cycles the momentum (or Adam's β₁) when the optimizer has one.
 */
export function createSchedule(
  choice: ScheduleName | ScheduleFactory,
  optimizer: Optimizer,
  run: RunLength,
): ScheduleSetup | null {
  if (typeof choice === "function") return choice(optimizer, run);
  const { epochs } = run;
  switch (choice) {
    case "none":
      return null;
    case "cosine":
      return { schedule: schedules.cosine(optimizer, { tMax: epochs }), every: "epoch" };
    case "step":
      return {
        schedule: schedules.step(optimizer, { stepSize: Math.max(1, Math.round(epochs / 3)) }),
        every: "epoch",
      };
    case "exponential":
      return {
        schedule: schedules.exponential(optimizer, { gamma: epochs > 1 ? 0.01 ** (1 / (epochs - 1)) : 1 }),
        every: "epoch",
      };
    case "one-cycle": {
      const momentum = optimizer.momentum;
      return {
        schedule: schedules.oneCycle(optimizer, {
          maxLr: optimizer.lr,
          totalSteps: epochs * run.batchesPerEpoch,
          cycleMomentum: momentum !== null && momentum > 0,
        }),
        every: "batch",
      };
    }
    default:
      throw new Error(`unknown schedule ${JSON.stringify(choice)} (known: ${SCHEDULE_NAMES.join(", ")})`);
  }
}
