/** Model presets (mlp, cnn, convnet, logistic) as nn configs, and checked user architectures. Browser-safe. */
export { architectureFrom, buildChecked } from "./architecture.js";
export {
  ACTIVATIONS,
  type Activation,
  type ConvnetOptions,
  cnn,
  convnet,
  DEFAULT_HIDDEN,
  defaultPreset,
  logistic,
  mlp,
  PRESET_NAMES,
  type PresetName,
  type PresetOptions,
  preset,
} from "./presets.js";
