/** Whether ops record the graph. Off inside noGrad() and while computing gradients that need no graph. */
let enabled = true;

export function isGradEnabled(): boolean {
  return enabled;
}

/**
 * Switches recording on or off and returns the previous mode, for hot paths that restore it in
 * their own `finally` (withGradMode allocates a closure per call). Internal.
 */
export function swapGradMode(on: boolean): boolean {
  const previous = enabled;
  enabled = on;
  return previous;
}

/** Runs fn with recording switched on or off, restoring the previous mode afterwards (even on throw). */
export function withGradMode<T>(on: boolean, fn: () => T): T {
  const previous = enabled;
  enabled = on;
  try {
    return fn();
  } finally {
    enabled = previous;
  }
}

/**
 * Runs fn without recording anything for differentiation: results have no graph and
 * requiresGrad false. Use it for parameter updates and evaluation.
 *
 * @example
 * const w = tensor([1, 2], { requiresGrad: true });
 * noGrad(() => w.mul(2)).requiresGrad; // false
 */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, fn);
}
