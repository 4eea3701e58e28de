/**
 * Recording the steps of a run: the trace returned to the caller, and the onStep callback.
 *
 * The trace is bounded unless the whole one is asked for (fullTrace): a run of a million
 * iterations would otherwise keep a million steps (360 MB in 1-D). A bounded trace keeps the first
 * TRACE_HEAD steps, the last TRACE_TAIL, and between them every k-th (iter a multiple of k), k
 * the smallest power of two that leaves at most TRACE_MIDDLE of them; so at most 1000 steps in all,
 * and every step of a run of up to 1000 iterations. onStep sees every step either way.
 */
import type { Point } from "./objective.js";
import type { Step } from "./types.js";

/** Steps a bounded trace keeps from the start of a run. */
export const TRACE_HEAD = 100;
/** Steps a bounded trace keeps from the end of a run. */
export const TRACE_TAIL = 100;
/** The most steps a bounded trace keeps between its head and its tail. */
export const TRACE_MIDDLE = 800;

/** Records a run's steps: hands each to onStep, and keeps the full or the bounded trace. */
export class Recorder {
  readonly #head: Step[] = [];
  #middle: Step[] = [];
  /** The latest steps, a ring of TRACE_TAIL once full (tailStart is its oldest). */
  readonly #tail: Step[] = [];
  #tailStart = 0;
  /** The middle keeps the steps whose iter is a multiple of this. */
  #stride = 1;
  #all: Step[] | null;

  constructor(
    private readonly onStep?: (step: Step) => void,
    full = false,
  ) {
    this.#all = full ? [] : null;
  }

  record(iter: number, point: Point, lr: number): void {
    const step: Step = { iter, x: Array.from(point.x), value: point.value, grad: Array.from(point.grad), lr };
    this.onStep?.(step);
    if (this.#all) this.#all.push(step);
    else if (this.#head.length < TRACE_HEAD) this.#head.push(step);
    else this.#keepRecent(step);
  }

  /** The steps kept, in order. */
  get steps(): Step[] {
    if (this.#all) return this.#all;
    const tail = [...this.#tail.slice(this.#tailStart), ...this.#tail.slice(0, this.#tailStart)];
    return [...this.#head, ...this.#middle, ...tail];
  }

  #keepRecent(step: Step): void {
    if (this.#tail.length < TRACE_TAIL) {
      this.#tail.push(step);
      return;
    }
    const leaving = this.#tail[this.#tailStart]!;
    this.#tail[this.#tailStart] = step;
    this.#tailStart = (this.#tailStart + 1) % TRACE_TAIL;
    if (leaving.iter % this.#stride !== 0) return;
    this.#middle.push(leaving);
    if (this.#middle.length > TRACE_MIDDLE) {
      this.#stride *= 2;
      this.#middle = this.#middle.filter((s) => s.iter % this.#stride === 0);
    }
  }
}
