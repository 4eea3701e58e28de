/**
 * How each preset trains when a run leaves the choice out: what suits small gray digits (shift
 * augmentation, a plain rate) does not suit small color photos (mirrored and cropped copies,
 * standardized inputs, weight decay, a cosine schedule, more epochs).
 */
import type { AugmentName } from "./augment.js";
import type { NamedOptimizer } from "./optimizer-spec.js";
import type { ScheduleName } from "./schedule-spec.js";

/** A preset's training defaults; an absent field leaves the run's general default. */
export interface PresetTraining {
  /** The optimizer with its options (e.g. weight decay). */
  optimizer?: NamedOptimizer;
  /** The learning-rate schedule. */
  schedule?: ScheduleName;
  /** The augmentation for image inputs. */
  augment?: AugmentName;
  /** Passes over the training data. */
  epochs?: number;
  /** Standardize image inputs per channel (fitted on the training images, saved with the model). */
  standardize?: boolean;
}

const TRAINING: Readonly<Record<string, PresetTraining>> = {
  cnn: { schedule: "cosine" },
  // as CIFAR-10 networks train: Adam with L2 weight decay 5e-4, cosine decay, flip and crop
  convnet: {
    optimizer: { name: "adam", options: { weightDecay: 5e-4 } },
    schedule: "cosine",
    augment: "flip-crop",
    epochs: 40,
    standardize: true,
  },
};

/**
 * The training defaults of a preset (none for mlp, logistic and architectures of one's own).
 * @example train.presetTraining("convnet").augment // "flip-crop"
 */
export function presetTraining(name: string): PresetTraining {
  return Object.hasOwn(TRAINING, name) ? TRAINING[name]! : {};
}
