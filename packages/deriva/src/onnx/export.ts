/** toOnnx: a deriva model as an ONNX file, with a batch axis of any size. */

import type { Preprocessing } from "../data/dataset.js";
import type { Module } from "../nn/module.js";
import { Sequential } from "../nn/sequential.js";
import { zeros } from "../tensor/creation.js";
import { noGrad } from "../tensor/grad-mode.js";
import { VERSION } from "../version.js";
import { OnnxError } from "./errors.js";
import { emitLayer, type LayerSite } from "./export-layers.js";
import {
  emitPreprocessing,
  type PreprocessingPlacement,
  preprocessingMetadata,
} from "./export-preprocessing.js";
import { GraphBuilder } from "./graph-builder.js";
import { DEFAULT_OPSET, EXPORT_OPSETS, irVersionFor } from "./opsets.js";
import {
  create,
  encodeModel,
  floatValueInfo,
  GraphProtoSchema,
  ModelProtoSchema,
  OperatorSetIdProtoSchema,
  StringStringEntryProtoSchema,
} from "./protobuf.js";

/** The name of the exported graph's input. */
export const INPUT_NAME = "input";
/** The name of the exported graph's output. */
export const OUTPUT_NAME = "output";
/** The symbolic batch axis of the input and output. */
export const BATCH_AXIS = "N";

/** Options of toOnnx: the input's shape, the opset, and how a saved preprocessing is carried along. */
export interface ToOnnxOptions {
  /** The shape of one input sample, without the batch axis: [features] or [channels, height, width]. */
  inputShape: readonly number[];
  /** The operator set to write, 13 to 22 (default 17). GELU is written as Gelu from 20, with Erf below. */
  opset?: number;
  /** A saved model's preprocessing (model.json's), to carry into the file. */
  preprocessing?: Preprocessing | null;
  /**
   * "graph" (default): the preprocessing becomes the first nodes, so the file takes raw inputs
   * (table values, pixel values 0–255); "metadata": the file takes what the network takes and
   * its metadata_props describe the preprocessing.
   */
  placement?: PreprocessingPlacement;
  /** More metadata_props entries (string to string), e.g. the class names. */
  metadata?: Readonly<Record<string, string>>;
}

/**
 * The bytes of an ONNX model computing `model`'s eval-mode forward pass: Linear as Gemm (MatMul +
 * Add for inputs of more than two axes), Conv2d as Conv, MaxPool2d and AvgPool2d, BatchNorm1d/2d in
 * their inference form, Flatten, the activations, Softmax; Dropout is left out. Weights are
 * float32 initializers named as in the stateDict. The input `input` is [N, ...inputShape], N any
 * size; the output is `output`. Layers are read from a Sequential (nested ones too); a custom
 * module is refused.
 *
 * @example
 * import { nn } from "deriva";
 * import { toOnnx } from "deriva/onnx";
 * const model = new nn.Sequential(new nn.Flatten(), new nn.Linear(784, 10));
 * const bytes = toOnnx(model, { inputShape: [1, 28, 28] }); // the bytes of a model.onnx file
 */
export function toOnnx(model: Module, opts: ToOnnxOptions): Uint8Array {
  const opset = opts.opset ?? DEFAULT_OPSET;
  if (!Number.isInteger(opset) || opset < EXPORT_OPSETS.min || opset > EXPORT_OPSETS.max) {
    throw new OnnxError(
      `toOnnx: opset must be an integer from ${EXPORT_OPSETS.min} to ${EXPORT_OPSETS.max}, got ${JSON.stringify(opset)}`,
    );
  }
  const placement = opts.placement ?? "graph";
  if (placement !== "graph" && placement !== "metadata") {
    throw new OnnxError(`toOnnx: placement must be "graph" or "metadata", got ${JSON.stringify(placement)}`);
  }
  const sample = checkInputShape(opts.inputShape);
  const { sites, outputShape } = traceLayers(model, sample);
  const b = new GraphBuilder(opset);
  const input = b.reserve(INPUT_NAME);
  const output = b.reserve(OUTPUT_NAME);
  const prep = opts.preprocessing ?? null;
  let value = prep !== null && placement === "graph" ? emitPreprocessing(b, prep, input) : input;
  for (const site of sites) value = emitLayer(b, site, value);
  if (value === input) value = b.node("output", "Identity", [input]);
  // the last node writes the graph's output directly
  b.nodes.at(-1)!.output[0] = output;
  const metadata = { ...(prep === null ? {} : preprocessingMetadata(prep, placement)), ...opts.metadata };
  const graph = create(GraphProtoSchema, {
    name: "deriva",
    node: b.nodes,
    initializer: b.initializers,
    input: [floatValueInfo(input, [BATCH_AXIS, ...sample])],
    output: [floatValueInfo(output, [BATCH_AXIS, ...outputShape])],
  });
  return encodeModel(
    create(ModelProtoSchema, {
      irVersion: BigInt(irVersionFor(opset)),
      producerName: "deriva",
      producerVersion: VERSION,
      opsetImport: [create(OperatorSetIdProtoSchema, { domain: "", version: BigInt(opset) })],
      graph,
      metadataProps: Object.entries(metadata).map(([key, value]) =>
        create(StringStringEntryProtoSchema, { key, value }),
      ),
    }),
  );
}

function checkInputShape(shape: unknown): number[] {
  const ok =
    Array.isArray(shape) && shape.length > 0 && shape.every((d) => Number.isInteger(d) && (d as number) > 0);
  if (!ok) {
    throw new OnnxError(
      `toOnnx: inputShape must be one sample's shape without the batch axis, positive integers such as [784] or [1, 28, 28], got ${JSON.stringify(shape)}`,
    );
  }
  return shape as number[];
}

/** The layers in order (nested Sequentials opened), each with the shape it receives for one sample. */
function traceLayers(model: Module, sample: readonly number[]) {
  const leaves = leafLayers(model, "");
  const modes = model.namedModules().map(([, m]) => [m, m.training] as const);
  model.eval();
  try {
    return noGrad(() => {
      let x = zeros([1, ...sample]);
      const sites: LayerSite[] = [];
      for (const [name, layer] of leaves) {
        sites.push({ name, layer, inputShape: x.shape });
        try {
          x = layer.forward(x);
        } catch (error) {
          throw new OnnxError(
            `toOnnx: layer ${name} does not take the shape it receives from inputShape [${sample.join(", ")}]: ${(error as Error).message}`,
          );
        }
      }
      return { sites, outputShape: x.shape.slice(1) };
    });
  } finally {
    for (const [m, training] of modes) m.training = training;
  }
}

function leafLayers(module: Module, name: string): [string, Module][] {
  if (!(module instanceof Sequential)) return [[name === "" ? "0" : name, module]];
  return module
    .namedChildren()
    .flatMap(([child, layer]) => leafLayers(layer, name === "" ? child : `${name}.${child}`));
}
