/**
 * Which gradients of a backward walk are dead, so that their memory can serve the next results
 * (tensor/result-pool.ts). A walk that records no graph knows its gradients: it made them (their
 * large buffers are recorded as they are allocated), it holds each in a tensor's slot until the
 * tensor's derivative rule has used it, and the rule's results are new tensors or views sharing
 * its buffer. So a buffer made during the walk is dead once no slot holds a tensor on it and it
 * was not handed out (a leaf's `.grad`, a requested gradient). Buffers made before the walk (the
 * seed, the forward pass's tensors a rule may pass on) are never touched.
 */
import { recordBirths, recycle, resultBuffer } from "../tensor/result-pool.js";
import type { Tensor } from "../tensor/tensor.js";

/** The bookkeeping of one walk: which large buffers it made, which slots hold them, which escaped. */
export class WalkBuffers {
  /** Large buffers allocated since the walk began and not yet recycled. */
  private readonly born = new Set<ArrayBuffer>();
  /** How many slots hold a tensor on each of those buffers. */
  private readonly holders = new Map<ArrayBuffer, number>();
  /** Those handed out of the walk: never recycled. */
  private readonly escaped = new Set<ArrayBuffer>();
  /** Tensors a slot let go of, and rule results no slot took, in the node being walked. */
  private readonly releasing: Tensor[] = [];
  private readonly unused: Tensor[] = [];
  private readonly outer: Set<ArrayBuffer> | null;

  /** Starts recording the buffers of large results; end() stops. */
  constructor() {
    this.outer = recordBirths(this.born);
  }

  /** Stops recording (the walk is over, or threw). */
  end(): void {
    recordBirths(this.outer);
  }

  // Each method returns at once while the walk has made no large buffer: a tensor can only be on
  // one it made, and small walks (a scalar's gradient: W5) must not pay for the bookkeeping.

  /** A slot now holds t. */
  held(t: Tensor): void {
    if (this.born.size === 0) return;
    const buffer = this.ownBuffer(t);
    if (buffer) this.holders.set(buffer, (this.holders.get(buffer) ?? 0) + 1);
  }

  /** t leaves the walk (the caller keeps it): its buffer is never recycled. */
  escape(t: Tensor): void {
    if (this.born.size === 0) return;
    const buffer = this.ownBuffer(t);
    if (buffer) this.escaped.add(buffer);
  }

  /** A slot let go of t; counted at settle(), once the node's results are all in their slots. */
  releaseLater(t: Tensor): void {
    if (this.born.size > 0) this.releasing.push(t);
  }

  /** t, a rule's result, went into no slot; recycled at settle() unless a slot holds its buffer. */
  unusedLater(t: Tensor): void {
    if (this.born.size > 0) this.unused.push(t);
  }

  /**
   * Ends a node: its gradient g leaves its slot, and the releases and unused results of the node
   * are counted now (a rule may return one buffer for several inputs, so a buffer is judged only
   * after every input has taken its share).
   */
  settle(g: Tensor): void {
    // (the lists fill only while born is non-empty, and born shrinks only here)
    if (this.born.size === 0) return;
    this.releasing.push(g);
    for (const t of this.releasing) {
      const buffer = this.ownBuffer(t);
      if (!buffer) continue;
      const left = (this.holders.get(buffer) ?? 1) - 1;
      if (left > 0) this.holders.set(buffer, left);
      else this.free(buffer);
    }
    for (const t of this.unused) {
      const buffer = this.ownBuffer(t);
      if (buffer && !this.holders.get(buffer)) this.free(buffer);
    }
    this.releasing.length = 0;
    this.unused.length = 0;
  }

  private free(buffer: ArrayBuffer): void {
    this.holders.delete(buffer);
    if (this.escaped.has(buffer)) return;
    this.born.delete(buffer);
    recycle(buffer);
  }

  /** t's buffer if the walk made it and has not recycled it, else null. */
  private ownBuffer(t: Tensor): ArrayBuffer | null {
    const buffer = resultBuffer(t);
    return buffer && this.born.has(buffer) ? buffer : null;
  }
}
