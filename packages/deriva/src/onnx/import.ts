/** fromOnnx: an ONNX model that is a chain of deriva's layers, as an nn.Sequential. */
import { Sequential } from "../nn/sequential.js";
import { type ChainStep, readChain } from "./chain.js";
import { OnnxError, quote } from "./errors.js";
import { PLACEMENT_KEY } from "./export-preprocessing.js";
import { chainLayers } from "./import-layers.js";
import { IMPORT_OPSETS } from "./opsets.js";
import { decodeModel, type GraphProto, type ModelProto, TensorProto_DataType } from "./protobuf.js";

/** What readOnnx finds in a file. */
export interface OnnxImport {
  /** The network, in eval mode, with the file's weights. */
  model: Sequential;
  /** The shape of one input sample (the input's axes after the batch axis). */
  inputShape: number[];
  /** The shape of one output sample. */
  outputShape: number[];
  /** The default domain's operator set version. */
  opset: number;
  /** The model's metadata_props (deriva writes its preprocessing and classes there). */
  metadata: Record<string, string>;
  /** The file's producer, e.g. "pytorch 1.13.1" or "deriva 0.1.0". */
  producer: string;
}

/** The largest input sample read: 2³¹ − 1 values. */
const MAX_SAMPLE_SIZE = 2 ** 31 - 1;

/**
 * Reads an ONNX model whose graph is one chain of the ops deriva has: Gemm, MatMul (+ Add of a
 * bias), Conv, MaxPool, AveragePool, BatchNormalization, Flatten, Reshape to a constant shape that
 * flattens, Identity, Dropout, Relu, Sigmoid, Tanh, LeakyRelu, Gelu (or exact GELU written with
 * Erf), Softmax; opsets 9 to 22. Anything else is refused with one line (an OnnxError) naming the
 * first unsupported node, the opset, or what is wrong with the file; sizes are checked against the
 * bytes really there before anything is allocated. `source` names the file in messages.
 *
 * A file that toOnnx wrote with its preprocessing in the graph comes back without those first
 * nodes: the preprocessing is in its metadata (`deriva.preprocessing`), which deriva applies itself.
 */
export function readOnnx(bytes: Uint8Array, source = "the file"): OnnxImport {
  if (!(bytes instanceof Uint8Array))
    throw new OnnxError("fromOnnx: expects the file's bytes as a Uint8Array");
  if (bytes.length === 0) throw new OnnxError(`${source} is empty, not an ONNX model`);
  const proto = decodeModel(bytes, source);
  const graph = proto.graph;
  if (graph === undefined || proto.irVersion <= 0n) {
    throw new OnnxError(
      `${source} is not an ONNX model (it has no ${graph === undefined ? "graph" : "IR version"})`,
    );
  }
  const opset = defaultOpset(proto, source);
  const input = readInput(graph, source);
  const metadata = Object.fromEntries(proto.metadataProps.map((e) => [e.key, e.value]));
  const chain = readChain(graph);
  if (metadata[PLACEMENT_KEY] === "graph") {
    const first = chain.steps.findIndex((step) => !isPreprocessing(step));
    chain.steps = chain.steps.slice(first === -1 ? chain.steps.length : first);
  }
  const { layers, sample } = chainLayers(chain, input, opset);
  const model = new Sequential(...layers).eval();
  const producer = [proto.producerName, proto.producerVersion].filter((s) => s !== "").join(" ");
  return { model, inputShape: input.sample, outputShape: sample, opset, metadata, producer };
}

/**
 * The network of an ONNX model (see readOnnx for what is read), as an nn.Sequential in eval mode.
 *
 * @example
 * import { nn, zeros } from "deriva";
 * import { fromOnnx, toOnnx } from "deriva/onnx";
 * const bytes = toOnnx(new nn.Linear(4, 2), { inputShape: [4] }); // or a model.onnx file's bytes
 * const model = fromOnnx(bytes);
 * model.forward(zeros([1, 4])).shape; // [1, 2]
 */
export function fromOnnx(bytes: Uint8Array): Sequential {
  return readOnnx(bytes).model;
}

/**
 * The nodes toOnnx writes at the front for a preprocessing (named `preprocessing/…`): the
 * preprocessing itself is in the metadata, and deriva applies it before the network.
 */
function isPreprocessing(step: ChainStep): boolean {
  return (
    "node" in step && step.node.name.startsWith("preprocessing/") && PREPROCESSING_OPS.has(step.node.opType)
  );
}

const PREPROCESSING_OPS = new Set(["Div", "Sub"]);

function defaultOpset(proto: ModelProto, source: string): number {
  const entry = proto.opsetImport.find((o) => o.domain === "" || o.domain === "ai.onnx");
  if (entry === undefined)
    throw new OnnxError(`${source} imports no version of the default ONNX operator set`);
  const version = Number(entry.version);
  if (version < IMPORT_OPSETS.min || version > IMPORT_OPSETS.max) {
    throw new OnnxError(
      `${source} uses opset ${entry.version}; deriva reads opsets ${IMPORT_OPSETS.min} to ${IMPORT_OPSETS.max}`,
    );
  }
  return version;
}

/** The graph input's batch size (null when symbolic) and sample shape; it must be float32 with known sample axes. */
function readInput(graph: GraphProto, source: string): { batch: number | null; sample: number[] } {
  const initializers = new Set(graph.initializer.map((t) => t.name));
  const input = graph.input.find((v) => !initializers.has(v.name));
  if (input === undefined) throw new OnnxError(`${source}: the graph has no input`);
  const type = input.type?.value;
  if (type?.case !== "tensorType" || type.value.elemType !== TensorProto_DataType.FLOAT) {
    throw new OnnxError(`${source}: the input ${quote(input.name)} must be a float32 tensor`);
  }
  const dims = type.value.shape?.dim ?? [];
  if (dims.length < 2) {
    throw new OnnxError(
      `${source}: the input ${quote(input.name)} must have a batch axis and sample axes, got rank ${dims.length}`,
    );
  }
  const sizes = dims.map((d) => (d.value.case === "dimValue" ? d.value.value : null));
  const sample = sizes.slice(1).map((d, i) => {
    if (d === null || d < 1n || d > BigInt(MAX_SAMPLE_SIZE)) {
      throw new OnnxError(
        `${source}: axis ${i + 1} of the input ${quote(input.name)} must have a fixed size, got ${d === null ? "a symbolic one" : d}`,
      );
    }
    return Number(d);
  });
  if (sample.reduce((a, b) => a * b, 1) > MAX_SAMPLE_SIZE) {
    throw new OnnxError(
      `${source}: the input ${quote(input.name)} declares samples of [${sample.join(", ")}], too large`,
    );
  }
  const batch = sizes[0] === null || sizes[0]! < 1n ? null : Number(sizes[0]);
  return { batch, sample };
}
