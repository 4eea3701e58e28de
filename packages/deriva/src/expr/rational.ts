/**
 * Coefficients for the simplifier: exact rationals p/q while numerator and denominator fit in safe
 * integers (so 0.1 + 0.2 folds to 0.3 and x/3 stays x/3), floats beyond that.
 */

function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

const safe = (...values: number[]): boolean => values.every((v) => Number.isSafeInteger(v));

export class Coef {
  /** p/q in lowest terms with q > 0 when exact; otherwise `value` alone carries the number. */
  private constructor(
    readonly value: number,
    readonly p: number,
    readonly q: number,
    readonly exact: boolean,
  ) {}

  static readonly ZERO = Coef.ratio(0, 1);
  static readonly ONE = Coef.ratio(1, 1);

  static float(value: number): Coef {
    return new Coef(value, value, 1, false);
  }

  /** p/q, exact while both are safe integers. */
  static ratio(p: number, q: number): Coef {
    if (!safe(p, q) || q === 0) return Coef.float(p / q);
    const g = gcd(p, q) || 1;
    const sign = q < 0 ? -1 : 1;
    return new Coef(p / q, (sign * p) / g, (sign * q) / g, true);
  }

  /** The number as written in decimal (0.1 is exactly 1/10), exact when that fits. */
  static of(value: number): Coef {
    if (Number.isSafeInteger(value)) return Coef.ratio(value, 1);
    if (!Number.isFinite(value)) return Coef.float(value);
    const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(value));
    if (!match) return Coef.float(value);
    const [, sign, whole, fraction = "", exponent = "0"] = match;
    const shift = Number(exponent) - fraction.length;
    const digits = Number(`${sign}${whole}${fraction}`);
    return shift >= 0 ? Coef.ratio(digits * 10 ** shift, 1) : Coef.ratio(digits, 10 ** -shift);
  }

  get isZero(): boolean {
    return this.value === 0;
  }

  get isOne(): boolean {
    return this.value === 1;
  }

  get isInteger(): boolean {
    return this.exact ? this.q === 1 : Number.isInteger(this.value);
  }

  get negative(): boolean {
    return this.value < 0;
  }

  neg(): Coef {
    return this.exact ? new Coef(-this.value, -this.p, this.q, true) : Coef.float(-this.value);
  }

  abs(): Coef {
    return this.negative ? this.neg() : this;
  }

  add(other: Coef): Coef {
    if (this.exact && other.exact) return Coef.ratio(this.p * other.q + other.p * this.q, this.q * other.q);
    return Coef.float(this.value + other.value);
  }

  mul(other: Coef): Coef {
    if (this.exact && other.exact) return Coef.ratio(this.p * other.p, this.q * other.q);
    return Coef.float(this.value * other.value);
  }

  inverse(): Coef {
    if (this.exact && this.p !== 0) return Coef.ratio(this.q, this.p);
    return Coef.float(1 / this.value);
  }

  /** this^k for an integer k (exact when it fits), by repeated squaring. */
  powInt(k: number): Coef {
    let result: Coef = Coef.ONE;
    let base: Coef = k < 0 ? this.inverse() : this;
    for (let n = Math.abs(k); n > 0; n = Math.floor(n / 2)) {
      if (n % 2 === 1) result = result.mul(base);
      if (n > 1) base = base.mul(base);
    }
    return result;
  }

  /** Whether q has no prime factors but 2 and 5, so the value prints as a finite decimal. */
  get isDecimal(): boolean {
    if (!this.exact) return false;
    let q = this.q;
    while (q % 2 === 0) q /= 2;
    while (q % 5 === 0) q /= 5;
    return q === 1;
  }

  /** A stable text for keys and printing: "p/q" exact, the float rounded to 12 digits otherwise. */
  toString(): string {
    if (this.exact) return this.q === 1 ? String(this.p) : `${this.p}/${this.q}`;
    return formatFloat(this.value);
  }
}

/** A float shown to 12 significant digits (0.30000000000000004 → 0.3). */
export function formatFloat(value: number): string {
  return Number.isFinite(value) ? String(Number(value.toPrecision(12))) : String(value);
}
