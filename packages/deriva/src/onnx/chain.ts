/**
 * Reads an ONNX graph as what deriva can hold: one chain of operations from the single input to the
 * single output, each reading the previous value and constants (initializers or Constant nodes).
 * The one shape with a fork that is accepted is exact GELU written without a Gelu operator,
 * x · ½(1 + erf(x / √2)), as PyTorch writes nn.GELU() below opset 20; it becomes one Gelu step.
 */
import { clip, OnnxError, quote } from "./errors.js";
import {
  create,
  type GraphProto,
  type NodeProto,
  type TensorProto,
  TensorProto_DataType,
  TensorProtoSchema,
} from "./protobuf.js";
import { readFloats } from "./tensor-proto.js";

/** One step of the chain: a node reading the current value, or a GELU written with Erf. */
export type ChainStep = { node: NodeProto } | { gelu: NodeProto[] };

export interface Chain {
  /** The graph input's name (not an initializer). */
  input: string;
  output: string;
  steps: ChainStep[];
  /** Every constant by value name: initializers and the outputs of Constant nodes. */
  constants: Map<string, TensorProto>;
}

/** Describes a node in errors: `node 'name' (OpType)`. */
export function nodeLabel(node: NodeProto): string {
  const op = node.domain && node.domain !== "ai.onnx" ? `${node.domain}::${node.opType}` : node.opType;
  return `node ${quote(node.name || node.output[0] || "?")} (${clip(op)})`;
}

/** Walks `graph` from its input to its output; anything that is not one chain is refused. */
export function readChain(graph: GraphProto): Chain {
  const constants = new Map<string, TensorProto>();
  for (const t of graph.initializer) constants.set(t.name, t);
  const operations: NodeProto[] = [];
  for (const node of graph.node) {
    if (node.opType === "Constant" && isDefaultDomain(node))
      constants.set(node.output[0] ?? "", constantValue(node));
    else operations.push(node);
  }
  const inputs = graph.input.filter((v) => !constants.has(v.name));
  if (inputs.length !== 1) {
    throw new OnnxError(
      `the graph has ${inputs.length} inputs (${inputs.map((v) => `${quote(v.name)}`).join(", ") || "none"}); deriva reads models with one`,
    );
  }
  if (graph.output.length !== 1) {
    throw new OnnxError(`the graph has ${graph.output.length} outputs; deriva reads models with one`);
  }
  const input = inputs[0]!.name;
  const output = graph.output[0]!.name;
  const consumers = consumersOf(operations, constants);
  const steps: ChainStep[] = [];
  const visited = new Set<NodeProto>();
  let current = input;
  while (current !== output) {
    const users = consumers.get(current) ?? [];
    if (users.length === 0) {
      throw new OnnxError(
        `the value ${quote(current)} feeds no node and is not the output ${quote(output)}: the graph is broken`,
      );
    }
    const step = users.length === 1 ? { node: users[0]! } : geluAt(current, users, consumers, constants);
    if (step === null) {
      throw new OnnxError(
        `the graph branches: ${quote(current)} feeds ${users.slice(0, 2).map(nodeLabel).join(" and ")}${users.length > 2 ? ` and ${users.length - 2} more` : ""}; deriva reads graphs that are one chain of layers`,
      );
    }
    const nodes = "node" in step ? [step.node] : step.gelu;
    for (const node of nodes) {
      if (visited.has(node))
        throw new OnnxError(`${nodeLabel(node)} is reached twice: the graph has a cycle`);
      visited.add(node);
    }
    const last = nodes.at(-1)!;
    // a GELU's last node reads the product before it (the pattern itself is checked by geluAt)
    checkStep(last, "node" in step ? current : nodes.at(-2)!.output[0]!, constants, consumers);
    steps.push(step);
    current = last.output[0]!;
  }
  if ((consumers.get(output) ?? []).length > 0) {
    throw new OnnxError(
      `the graph branches: its output ${quote(output)} also feeds ${nodeLabel(consumers.get(output)![0]!)}`,
    );
  }
  const stray = operations.find((node) => !visited.has(node));
  if (stray !== undefined) {
    throw new OnnxError(
      `${nodeLabel(stray)} is not on the chain from ${quote(input)} to ${quote(output)}; deriva reads graphs that are one chain of layers`,
    );
  }
  return { input, output, steps, constants };
}

function isDefaultDomain(node: NodeProto): boolean {
  return node.domain === "" || node.domain === "ai.onnx";
}

/** Which nodes read each value (constant inputs aside). */
function consumersOf(nodes: NodeProto[], constants: Map<string, TensorProto>): Map<string, NodeProto[]> {
  const consumers = new Map<string, NodeProto[]>();
  for (const node of nodes) {
    for (const name of new Set(node.input)) {
      if (name === "" || constants.has(name)) continue;
      const list = consumers.get(name);
      if (list) list.push(node);
      else consumers.set(name, [node]);
    }
  }
  return consumers;
}

/**
 * A node on the chain reads the current value and constants only, and only its first output is
 * used (Dropout's mask or MaxPool's indices must be left unread).
 */
function checkStep(
  node: NodeProto,
  current: string,
  constants: Map<string, TensorProto>,
  consumers: Map<string, NodeProto[]>,
): void {
  const computed = node.input.filter((name) => name !== "" && name !== current && !constants.has(name));
  if (computed.length > 0) {
    throw new OnnxError(
      `${nodeLabel(node)} reads ${quote(computed[0])}, which is computed in the graph, not a constant: the graph branches; deriva reads graphs that are one chain of layers`,
    );
  }
  if (node.output.length === 0 || node.output[0] === "")
    throw new OnnxError(`${nodeLabel(node)} has no output`);
  const extra = node.output.slice(1).find((name) => name !== "" && consumers.has(name));
  if (extra !== undefined) {
    throw new OnnxError(
      `${nodeLabel(node)}: its second output ${quote(extra)} is used; deriva reads only the first`,
    );
  }
}

/**
 * The exact-GELU pattern at `x`: Div(x, √2) [or Mul(x, 1/√2)] → Erf → Add(·, 1) → Mul(x, ·) → Mul(·, ½),
 * the two nodes reading x being the Div and the first Mul. Null when the nodes are something else.
 */
function geluAt(
  x: string,
  users: NodeProto[],
  consumers: Map<string, NodeProto[]>,
  constants: Map<string, TensorProto>,
): { gelu: NodeProto[] } | null {
  if (users.length !== 2) return null;
  const only = (node: NodeProto, op: string): NodeProto | null => {
    const next = consumers.get(node.output[0] ?? "") ?? [];
    return next.length === 1 && next[0]!.opType === op && isDefaultDomain(next[0]!) ? next[0]! : null;
  };
  const scalarIs = (node: NodeProto, expected: number): boolean =>
    node.input.length === 2 && node.input.some((name) => approx(scalarOf(constants.get(name)), expected));
  for (const scale of users) {
    const multiply = users.find((u) => u !== scale);
    const scaled =
      (scale.opType === "Div" && scalarIs(scale, Math.SQRT2)) ||
      (scale.opType === "Mul" && scalarIs(scale, Math.SQRT1_2));
    if (!scaled || !isDefaultDomain(scale) || multiply === undefined) continue;
    const erf = only(scale, "Erf");
    const add = erf && only(erf, "Add");
    const times = add && only(add, "Mul");
    const half = times && only(times, "Mul");
    const ok =
      add !== null &&
      scalarIs(add, 1) &&
      times === multiply &&
      times.input.includes(x) &&
      half !== null &&
      scalarIs(half, 0.5);
    if (ok) return { gelu: [scale, erf!, add, times, half!] };
  }
  return null;
}

function approx(value: number | null, expected: number): boolean {
  return value !== null && Math.abs(value - expected) <= 1e-6 * Math.abs(expected);
}

/** The value of a one-element float constant, else null. */
function scalarOf(t: TensorProto | undefined): number | null {
  if (t === undefined) return null;
  try {
    const { values } = readFloats(t, "constant");
    return values.length === 1 ? values[0]! : null;
  } catch {
    return null;
  }
}

/** A Constant node's value as a tensor (its `value` attribute, or the scalar and list forms). */
function constantValue(node: NodeProto): TensorProto {
  const attr = node.attribute[0];
  if (node.attribute.length !== 1 || attr === undefined) {
    throw new OnnxError(`${nodeLabel(node)} must have exactly one attribute, got ${node.attribute.length}`);
  }
  const name = node.output[0] ?? "";
  const { FLOAT, INT64 } = TensorProto_DataType;
  switch (attr.name) {
    case "value":
      if (attr.t !== undefined) return attr.t;
      break;
    case "value_float":
      return create(TensorProtoSchema, { name, dataType: FLOAT, floatData: [attr.f] });
    case "value_floats":
      return create(TensorProtoSchema, {
        name,
        dims: [BigInt(attr.floats.length)],
        dataType: FLOAT,
        floatData: attr.floats,
      });
    case "value_int":
      return create(TensorProtoSchema, { name, dataType: INT64, int64Data: [attr.i] });
    case "value_ints":
      return create(TensorProtoSchema, {
        name,
        dims: [BigInt(attr.ints.length)],
        dataType: INT64,
        int64Data: attr.ints,
      });
  }
  throw new OnnxError(`${nodeLabel(node)}: a constant given as ${quote(attr.name)} is not supported`);
}
