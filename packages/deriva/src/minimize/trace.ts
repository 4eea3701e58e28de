/** Recording the steps of a run: the trace returned to the caller, and the onStep callback. */
import type { Point } from "./objective.js";
import type { Step } from "./types.js";

export class Recorder {
  readonly steps: Step[] = [];

  constructor(private readonly onStep?: (step: Step) => void) {}

  record(iter: number, point: Point, lr: number): void {
    const step: Step = { iter, x: Array.from(point.x), value: point.value, grad: Array.from(point.grad), lr };
    this.steps.push(step);
    this.onStep?.(step);
  }
}
