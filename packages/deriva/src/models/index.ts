/** Model presets (mlp, cnn, logistic) as nn configs, and checked user architectures. Browser-safe. */
export { architectureFrom, buildChecked } from "./architecture.js";
export {
  ACTIVATIONS,
  type Activation,
  cnn,
  DEFAULT_HIDDEN,
  logistic,
  mlp,
  PRESET_NAMES,
  type PresetName,
  type PresetOptions,
  preset,
} from "./presets.js";
