/**
 * What the readers of ONNX nodes share: the context a step reads (the sample shape so far, the
 * constants), the node's attributes read once each, its constant inputs checked against the shapes
 * that fit, and the one-line refusal that names the node.
 */
import type { Module } from "../nn/module.js";
import { tensor } from "../tensor/creation.js";
import type { Tensor } from "../tensor/tensor.js";
import { nodeLabel } from "./chain.js";
import { OnnxError, quote } from "./errors.js";
import { AttributeProto_AttributeType, type NodeProto, type TensorProto } from "./protobuf.js";
import { type FloatValues, readFloats } from "./tensor-proto.js";

/** What a step reads and leaves: the shape of one sample (batch axis left out). */
export interface Context {
  sample: number[];
  /** The batch size when the graph fixes it, else null. */
  batch: number | null;
  opset: number;
  constants: Map<string, TensorProto>;
}

/** Refuses `node` with a one-line message that names it. */
export function fail(node: NodeProto, message: string): never {
  throw new OnnxError(`${nodeLabel(node)}: ${message}`);
}

/** The attributes of a node: each read once, anything left unread refused. */
export class Attributes {
  readonly #byName = new Map<string, NodeProto["attribute"][number]>();

  constructor(readonly node: NodeProto) {
    for (const a of node.attribute) this.#byName.set(a.name, a);
  }

  #take(name: string) {
    const a = this.#byName.get(name);
    this.#byName.delete(name);
    return a;
  }

  int(name: string, fallback: number): number {
    const a = this.#take(name);
    if (a === undefined) return fallback;
    if (a.type !== AttributeProto_AttributeType.INT) fail(this.node, `attribute ${name} must be an integer`);
    return Number(a.i);
  }

  float(name: string, fallback: number): number {
    const a = this.#take(name);
    if (a === undefined) return fallback;
    if (a.type !== AttributeProto_AttributeType.FLOAT) fail(this.node, `attribute ${name} must be a float`);
    if (!Number.isFinite(a.f)) fail(this.node, `attribute ${name} must be finite, got ${a.f}`);
    return a.f;
  }

  ints(name: string): number[] | null {
    const a = this.#take(name);
    if (a === undefined) return null;
    if (a.type !== AttributeProto_AttributeType.INTS)
      fail(this.node, `attribute ${name} must be a list of integers`);
    return a.ints.map(Number);
  }

  string(name: string, fallback: string): string {
    const a = this.#take(name);
    return a === undefined ? fallback : new TextDecoder().decode(a.s);
  }

  /** Refuses any attribute not read (one deriva would ignore); returns `layer` for chaining. */
  done<T>(layer?: T): T {
    const left = [...this.#byName.keys()];
    if (left.length > 0) fail(this.node, `the attribute ${quote(left[0]!)} is not supported`);
    return layer as T;
  }
}

/** The constant input `index` of a node, as float32 values (null when the input is absent). */
export function constantInput(node: NodeProto, index: number, ctx: Context): FloatValues | null {
  const name = node.input[index];
  if (name === undefined || name === "") return null;
  const t = ctx.constants.get(name);
  if (t === undefined) fail(node, `input ${quote(name)} must be a constant (an initializer)`);
  return readFloats(t, `${nodeLabel(node)}: tensor ${quote(name)}`);
}

export function requiredInput(node: NodeProto, index: number, ctx: Context, what: string): FloatValues {
  const values = constantInput(node, index, ctx);
  if (values === null) fail(node, `the ${what} is missing`);
  return values;
}

/** Checks an initializer's shape and returns it as a tensor. */
export function shaped(node: NodeProto, what: string, v: FloatValues, dims: readonly number[]): Tensor {
  if (v.dims.length !== dims.length || v.dims.some((d, i) => d !== dims[i])) {
    fail(node, `the ${what} has shape [${v.dims.join(", ")}] where [${dims.join(", ")}] fits its input`);
  }
  return tensor(v.values, { shape: [...dims] });
}

export function expectSample(node: NodeProto, ctx: Context, rank: number, layout: string): void {
  if (ctx.sample.length !== rank) {
    fail(node, `expects inputs ${layout}, but receives [N, ${ctx.sample.join(", ")}]`);
  }
}

export function load<M extends Module>(layer: M, state: Record<string, Tensor>): M {
  layer.loadStateDict(state, { strict: false });
  return layer;
}
