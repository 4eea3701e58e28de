/** Hyperparameter checks for the optimizer constructors (PyTorch validates the same ranges). */

export function inRange(
  opt: string,
  name: string,
  value: number,
  lo: number,
  hi: number,
  hiOpen = false,
): number {
  const ok = typeof value === "number" && value >= lo && (hiOpen ? value < hi : value <= hi);
  if (!ok) {
    throw new Error(
      `${opt}: ${name} must be in [${lo}, ${hi}${hiOpen ? ")" : "]"}, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

export function positiveInt(opt: string, name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${opt}: ${name} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function nonNegative(opt: string, name: string, value: number): number {
  return inRange(opt, name, value, 0, Number.POSITIVE_INFINITY, true);
}

export function betasPair(opt: string, betas: readonly [number, number]): [number, number] {
  if (!Array.isArray(betas) || betas.length !== 2) {
    throw new Error(`${opt}: betas must be a pair [β₁, β₂], got ${JSON.stringify(betas)}`);
  }
  return [inRange(opt, "β₁", betas[0], 0, 1, true), inRange(opt, "β₂", betas[1], 0, 1, true)];
}

/** The defaults overridden by the options that are given (an explicit undefined keeps the default). */
export function withDefaults<O extends object>(defaults: O, opts: Partial<O>): O {
  const out = { ...defaults };
  for (const [key, value] of Object.entries(opts)) {
    if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  }
  return out;
}
