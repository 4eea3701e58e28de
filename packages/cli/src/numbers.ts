/** Numbers as the CLI shows them: compact by default, or with a fixed count of decimals (--digits). */

function dropNegativeZero(text: string): string {
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}

/** Up to 10 significant digits, without trailing zeros (6.8, 5.84, 1.2e-7); `digits` fixes the decimals. */
export function formatNumber(value: number, digits?: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (digits !== undefined && Math.abs(value) < 1e15) return dropNegativeZero(value.toFixed(digits));
  return dropNegativeZero(String(Number(value.toPrecision(10))));
}

/**
 * A result rounded to what the tolerance justifies (tol 1e-6 → 5 decimals, trailing zeros dropped),
 * so a run that stopped at 2.0000004 reports 2; `digits` fixes the decimals instead.
 */
export function formatResult(value: number, tol: number, digits?: number): string {
  if (digits !== undefined) return formatNumber(value, digits);
  if (!Number.isFinite(value) || Math.abs(value) >= 1e15) return formatNumber(value);
  const decimals = Math.min(15, Math.max(0, Math.ceil(-Math.log10(tol)) - 1));
  const fixed = value.toFixed(decimals);
  return dropNegativeZero(fixed.includes(".") ? fixed.replace(/\.?0+$/, "") : fixed);
}

/** A decimal number as a person types one: no hex (0x10), binary, octal or Infinity, which Number() takes. */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A strict number parse: the whole text must be a finite decimal number. */
export function parseNumber(text: string, what: string): number {
  const trimmed = text.trim();
  const value = DECIMAL.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isFinite(value)) {
    const why = DECIMAL.test(trimmed) ? ": it is beyond the range of numbers (±1.8e308)" : "";
    throw new Error(`${what} expects a number, got '${text}'${why}`);
  }
  return value;
}

/** A positive whole number (for counts such as --max-iter). */
export function parseCount(text: string, what: string, least = 1): number {
  const value = parseNumber(text, what);
  if (!Number.isInteger(value) || value < least)
    throw new Error(`${what} expects a whole number ≥ ${least}, got '${text}'`);
  return value;
}

/** A learning rate: a positive decimal number, or "auto". */
export function parseRate(text: string, what: string): number | "auto" {
  if (text === "auto") return "auto";
  const trimmed = text.trim();
  const value = DECIMAL.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!(Number.isFinite(value) && value > 0))
    throw new Error(`${what} expects a positive number or auto, got '${text}'`);
  return value;
}
