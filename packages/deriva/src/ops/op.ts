/**
 * What an op is: a forward computation (a backend kernel call, recording nothing) and its
 * vector-Jacobian product written with differentiable ops, so the backward pass can itself be
 * differentiated. `apply` runs the forward and, when gradients are wanted, records the node the
 * autograd engine will walk.
 */
import { isGradEnabled } from "../tensor/grad-mode.js";
import type { GradNode, Tensor } from "../tensor/tensor.js";
import { versionClock } from "../tensor/version.js";

export interface OpDef<A> {
  readonly name: string;
  /** Computes the output from the inputs' values. */
  forward(inputs: readonly Tensor[], attrs: A): Tensor;
  /**
   * Gradients of the inputs given the gradient `g` of the output, one entry per input
   * (null: no gradient flows there). Rules may skip inputs whose `requiresGrad` is false.
   */
  vjp(g: Tensor, inputs: readonly Tensor[], output: Tensor, attrs: A): readonly (Tensor | null)[];
}

/** The record of one op in the graph: its definition, inputs, output and attributes. */
export class OpNode<A> implements GradNode {
  readonly recordedAt: number;

  constructor(
    readonly def: OpDef<A>,
    readonly inputs: readonly Tensor[],
    readonly output: Tensor,
    readonly attrs: A,
  ) {
    // assigned here rather than as a field initializer, which V8 runs as a separate function
    this.recordedAt = versionClock();
  }

  get name(): string {
    return this.def.name;
  }

  vjp(g: Tensor): readonly (Tensor | null)[] {
    return this.def.vjp(g, this.inputs, this.output, this.attrs);
  }
}

/** Runs an op, recording it for differentiation when grad mode is on and an input requires grad. */
export function apply<A>(def: OpDef<A>, inputs: readonly Tensor[], attrs: A): Tensor {
  const output = def.forward(inputs, attrs);
  if (isGradEnabled()) {
    for (let i = 0; i < inputs.length; i++) {
      if (inputs[i]!.requiresGrad) {
        output.node = new OpNode(def, inputs, output, attrs);
        output.requiresGrad = true;
        break;
      }
    }
  }
  return output;
}

/** The record of the op `def` that computed t, or null if another op (or none) did. */
export function recordedBy<A>(t: Tensor, def: OpDef<A>): OpNode<A> | null {
  const node = t.node;
  return node instanceof OpNode && node.def === def ? (node as OpNode<A>) : null;
}
