/** Collects the nodes and initializers of the graph toOnnx writes, naming each value once. */
import {
  type AttributeValue,
  attribute,
  create,
  floatTensor,
  int64Tensor,
  type NodeProto,
  NodeProtoSchema,
  type TensorProto,
} from "./protobuf.js";

export class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  readonly #taken = new Set<string>();

  constructor(readonly opset: number) {}

  /** Adds a float32 initializer under `name` (made unique) and returns the name used. */
  floats(name: string, dims: readonly number[], values: Float32Array): string {
    const unique = this.#unique(name);
    this.initializers.push(floatTensor(unique, dims, values));
    return unique;
  }

  /** A float32 scalar initializer. */
  scalar(name: string, value: number): string {
    return this.floats(name, [], new Float32Array([value]));
  }

  /** Adds an int64 vector initializer (a Reshape's shape) and returns its name. */
  int64s(name: string, values: readonly number[]): string {
    const unique = this.#unique(name);
    this.initializers.push(int64Tensor(unique, values));
    return unique;
  }

  /**
   * Adds a node `opType` named `${prefix}/${opType}` reading `inputs`, and returns the name of
   * its one output.
   */
  node(
    prefix: string,
    opType: string,
    inputs: readonly string[],
    attributes: Record<string, AttributeValue> = {},
  ): string {
    const name = this.#unique(`${prefix}/${opType}`);
    const output = this.#unique(`${name}_output`);
    this.nodes.push(
      create(NodeProtoSchema, {
        name,
        opType,
        input: [...inputs],
        output: [output],
        attribute: Object.entries(attributes).map(([key, value]) => attribute(key, value)),
      }),
    );
    return output;
  }

  /** Reserves a name (the graph's input and output) so that nothing else takes it. */
  reserve(name: string): string {
    return this.#unique(name);
  }

  #unique(name: string): string {
    let candidate = name;
    for (let i = 1; this.#taken.has(candidate); i++) candidate = `${name}_${i}`;
    this.#taken.add(candidate);
    return candidate;
  }
}
