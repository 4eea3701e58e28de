/**
 * @deriva/cli/datasets: the built-in datasets as typed loaders for TypeScript.
 * `import { loadMnist } from "@deriva/cli/datasets"`
 */
export { loadMnist, type MnistOptions, type MnistSplit } from "./mnist.js";
