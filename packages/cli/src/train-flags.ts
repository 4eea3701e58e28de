/** The flags of `deriva train`, read into checked values (a wrong value is a one-line user error). */

import { models, train } from "deriva";
import { UserError } from "./errors.js";
import { parseCount, parseNumber, parseRate } from "./numbers.js";

/** The flags as commander hands them over (absent when not given: defaults depend on the data). */
export interface TrainFlags {
  data?: string;
  target?: string;
  model?: string;
  hidden?: string;
  activation?: string;
  loss?: string;
  optimizer?: string;
  lr?: string;
  schedule?: string;
  epochs?: string;
  batchSize?: string;
  valSplit?: string;
  augment?: string;
  patience?: string;
  imageSize?: string;
  channels?: string;
  seed?: string;
  out?: string;
  resume?: string | true;
  limit?: string;
}

export interface TrainRequest {
  /** --data (absent: mnist, or a resumed model's own data). */
  data?: string;
  target?: string;
  /** A preset, or the path of an architecture JSON file. */
  model?: models.PresetName | { file: string };
  hidden?: number[];
  activation?: models.Activation;
  loss?: train.LossName;
  optimizer?: train.OptimizerName;
  lr?: number | "auto";
  schedule?: train.ScheduleName;
  epochs?: number;
  batchSize?: number;
  valSplit?: number;
  augment?: train.AugmentName;
  patience?: number;
  imageSize?: number | [number, number];
  channels?: 1 | 3 | "auto";
  seed?: number;
  out?: string;
  /** The model folder to continue from. */
  resume?: string;
  limit?: number;
}

/** Flags that describe the model or its data preparation: a resumed run keeps the saved ones. */
const FIXED_WHEN_RESUMING = [
  ["model", "--model"],
  ["hidden", "--hidden"],
  ["activation", "--activation"],
  ["loss", "--loss"],
  ["optimizer", "--optimizer"],
  ["target", "--target"],
  ["imageSize", "--image-size"],
  ["channels", "--channels"],
  ["valSplit", "--val-split"],
  ["seed", "--seed"],
] as const;

export function readTrainFlags(flags: TrainFlags): TrainRequest {
  const resume = flags.resume === true ? (flags.out ?? "model") : flags.resume;
  if (resume !== undefined) {
    const fixed = FIXED_WHEN_RESUMING.find(([key]) => flags[key] !== undefined);
    if (fixed !== undefined) {
      throw new UserError(
        `${fixed[1]} cannot change when resuming: the run continues with the saved model's settings`,
      );
    }
  }
  return {
    data: flags.data,
    target: flags.target,
    model: flags.model === undefined ? undefined : readModel(flags.model),
    hidden: flags.hidden === undefined ? undefined : readHidden(flags.hidden),
    activation: choice(flags.activation, "--activation", models.ACTIVATIONS),
    loss: choice(flags.loss, "--loss", train.LOSS_NAMES),
    optimizer: choice(flags.optimizer, "--optimizer", train.OPTIMIZER_NAMES),
    lr: flags.lr === undefined ? undefined : user(() => parseRate(flags.lr!, "--lr")),
    schedule: choice(flags.schedule, "--schedule", train.SCHEDULE_NAMES),
    epochs: optionalCount(flags.epochs, "--epochs"),
    batchSize: optionalCount(flags.batchSize, "--batch-size"),
    valSplit: flags.valSplit === undefined ? undefined : readFraction(flags.valSplit),
    augment: choice(flags.augment, "--augment", train.AUGMENT_NAMES),
    patience: optionalCount(flags.patience, "--patience"),
    imageSize: flags.imageSize === undefined ? undefined : readImageSize(flags.imageSize),
    channels: flags.channels === undefined ? undefined : readChannels(flags.channels),
    seed: flags.seed === undefined ? undefined : user(() => parseCount(flags.seed!, "--seed", 0)),
    out: flags.out,
    resume,
    limit: optionalCount(flags.limit, "--limit"),
  };
}

function readModel(text: string): models.PresetName | { file: string } {
  if ((models.PRESET_NAMES as readonly string[]).includes(text)) return text as models.PresetName;
  if (/\.json$/i.test(text)) return { file: text };
  throw new UserError(
    `unknown model '${text}' (use ${models.PRESET_NAMES.join(", ")}, or an architecture .json file)`,
  );
}

function readHidden(text: string): number[] {
  if (text.trim() === "none" || text.trim() === "0") return [];
  return text.split(",").map((part) => user(() => parseCount(part.trim(), "--hidden")));
}

function readFraction(text: string): number {
  const value = user(() => parseNumber(text, "--val-split"));
  if (!(value >= 0 && value < 1))
    throw new UserError(`--val-split expects a fraction in [0, 1), got '${text}'`);
  return value;
}

function readImageSize(text: string): number | [number, number] {
  const match = /^(\d+)(?:x(\d+))?$/i.exec(text.trim());
  const [height, width] = match === null ? [0, 0] : [Number(match[1]), Number(match[2] ?? match[1])];
  if (!(height > 0 && width > 0)) {
    throw new UserError(`--image-size expects a side such as 28, or HxW such as 32x48, got '${text}'`);
  }
  return match![2] === undefined ? height : [height, width];
}

function readChannels(text: string): 1 | 3 | "auto" {
  if (text === "1" || text === "3") return Number(text) as 1 | 3;
  if (text === "auto") return "auto";
  throw new UserError(`--channels expects 1, 3 or auto, got '${text}'`);
}

function choice<T extends string>(
  text: string | undefined,
  flag: string,
  allowed: readonly T[],
): T | undefined {
  if (text === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(text)) {
    throw new UserError(`${flag} expects ${allowed.join(", ")}; got '${text}'`);
  }
  return text as T;
}

function optionalCount(text: string | undefined, flag: string): number | undefined {
  return text === undefined ? undefined : user(() => parseCount(text, flag));
}

/** Runs a parse, turning its error into a UserError. */
function user<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new UserError((error as Error).message);
  }
}
