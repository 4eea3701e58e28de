/**
 * The real roots of a polynomial with real coefficients (lowest degree first). Degrees 1 to 3 in
 * closed form (quadratic formula in its cancellation-free form, Cardano and the trigonometric cubic);
 * higher degrees numerically: the roots of p′ (found recursively, so down to the closed forms) cut
 * the line into pieces where p is monotone, each piece holds at most one root, found by safeguarded
 * Newton–bisection to full precision; a root of p′ where p vanishes too is a multiple root.
 * Every root is then polished by Newton steps, sorted and deduplicated.
 */

const EPS = Number.EPSILON;

/** p(x) by Horner's rule. */
export function evaluatePolynomial(c: readonly number[], x: number): number {
  let y = 0;
  for (let k = c.length - 1; k >= 0; k--) y = y * x + c[k]!;
  return y;
}

/** The coefficients of p′. */
export function derivativeCoefficients(c: readonly number[]): number[] {
  return c.length <= 1 ? [0] : c.slice(1).map((v, k) => v * (k + 1));
}

/** How far from 0 rounding alone can push p(x): a few ulps of Σ |c_k| |x|^k. */
function roundingBound(c: readonly number[], x: number): number {
  let s = 0;
  for (let k = c.length - 1; k >= 0; k--) s = s * Math.abs(x) + Math.abs(c[k]!);
  return 16 * c.length * EPS * s;
}

/** Drops leading coefficients that are zero, or negligible next to the others (float noise). */
function trim(c: readonly number[]): number[] {
  const scale = Math.max(...c.map(Math.abs));
  const out = c.slice();
  while (out.length > 1 && Math.abs(out[out.length - 1]!) <= 1e-14 * scale) out.pop();
  return out;
}

function quadraticRoots(c: number, b: number, a: number): number[] {
  const disc = b * b - 4 * a * c;
  if (Math.abs(disc) <= 1e-14 * (b * b + Math.abs(4 * a * c))) return [-b / (2 * a)];
  if (disc < 0) return [];
  // q never suffers cancellation; the roots are q/a and c/q
  const q = -(b + (b >= 0 ? 1 : -1) * Math.sqrt(disc)) / 2;
  return q === 0 ? [0] : [q / a, c / q];
}

function cubicRoots(d: number, c: number, b: number, a: number): number[] {
  // x = t − b/(3a) gives the depressed cubic t³ + pt + q = 0
  const shift = -b / (3 * a);
  const p = (3 * a * c - b * b) / (3 * a * a);
  const q = (2 * b * b * b - 9 * a * b * c + 27 * a * a * d) / (27 * a * a * a);
  const scale = 4 * Math.abs(p) ** 3 + 27 * q * q;
  const disc = -(4 * p * p * p + 27 * q * q);
  let ts: number[];
  if (
    scale === 0 ||
    (Math.abs(p) < (1e-15 * (b * b)) / (a * a) && Math.abs(q) < 1e-15 * Math.abs(b / a) ** 3)
  ) {
    ts = [0]; // a triple root
  } else if (Math.abs(disc) <= 1e-12 * scale) {
    ts = [(3 * q) / p, (-3 * q) / (2 * p)]; // a simple and a double root
  } else if (disc > 0) {
    const r = 2 * Math.sqrt(-p / 3);
    const phi = Math.acos(Math.min(1, Math.max(-1, ((3 * q) / (2 * p)) * Math.sqrt(-3 / p)))) / 3;
    ts = [0, 1, 2].map((k) => r * Math.cos(phi - (2 * Math.PI * k) / 3));
  } else {
    const s = Math.sqrt((q * q) / 4 + (p * p * p) / 27);
    ts = [Math.cbrt(-q / 2 + s) + Math.cbrt(-q / 2 - s)];
  }
  return ts.map((t) => t + shift);
}

/** The root of p in [lo, hi], where p(lo) and p(hi) differ in sign and p is monotone. */
function bracketedRoot(c: readonly number[], dc: readonly number[], lo: number, hi: number): number {
  let plo = evaluatePolynomial(c, lo);
  let x = (lo + hi) / 2;
  for (let i = 0; i < 300 && hi - lo > 2 * EPS * Math.max(Math.abs(lo), Math.abs(hi)); i++) {
    const px = evaluatePolynomial(c, x);
    if (px === 0) return x;
    if (Math.sign(px) === Math.sign(plo)) {
      lo = x;
      plo = px;
    } else {
      hi = x;
    }
    const newton = x - px / evaluatePolynomial(dc, x);
    x = newton > lo && newton < hi ? newton : (lo + hi) / 2;
  }
  return x;
}

function numericRoots(c: readonly number[]): number[] {
  const n = c.length - 1;
  const dc = derivativeCoefficients(c);
  const bound = 1 + Math.max(...c.slice(0, n).map((v) => Math.abs(v / c[n]!)));
  const critical = realPolynomialRoots(dc).filter((x) => x > -bound && x < bound);
  const points = [-bound, ...critical, bound];
  const roots: number[] = [];
  for (const x of critical) {
    if (Math.abs(evaluatePolynomial(c, x)) <= roundingBound(c, x)) roots.push(x); // a multiple root
  }
  for (let i = 0; i + 1 < points.length; i++) {
    const lo = points[i]!;
    const hi = points[i + 1]!;
    const plo = evaluatePolynomial(c, lo);
    const phi = evaluatePolynomial(c, hi);
    if (Math.sign(plo) * Math.sign(phi) < 0) roots.push(bracketedRoot(c, dc, lo, hi));
  }
  return roots;
}

/** A few Newton steps, each kept only if it brings p closer to 0. */
function polish(c: readonly number[], dc: readonly number[], x: number): number {
  let px = evaluatePolynomial(c, x);
  for (let i = 0; i < 8 && px !== 0; i++) {
    const next = x - px / evaluatePolynomial(dc, x);
    const pn = evaluatePolynomial(c, next);
    if (!Number.isFinite(next) || Math.abs(pn) >= Math.abs(px)) break;
    x = next;
    px = pn;
  }
  return x;
}

function distinctSorted(xs: number[]): number[] {
  const sorted = xs.filter(Number.isFinite).sort((a, b) => a - b);
  const out: number[] = [];
  for (const x of sorted) {
    const last = out[out.length - 1];
    if (last === undefined || Math.abs(x - last) > 1e-9 * Math.max(1, Math.abs(x))) out.push(x === 0 ? 0 : x);
  }
  return out;
}

/**
 * The distinct real roots of c[0] + c[1]x + … + c[n]xⁿ, ascending. A constant polynomial has none
 * (the zero polynomial included: the caller decides what "everywhere" means).
 */
export function realPolynomialRoots(coefficients: readonly number[]): number[] {
  let c = trim(coefficients);
  const roots: number[] = [];
  if (c.length > 1 && c[0] === 0) {
    roots.push(0);
    while (c.length > 1 && c[0] === 0) c = c.slice(1);
  }
  const n = c.length - 1;
  if (n === 1) roots.push(-c[0]! / c[1]!);
  else if (n === 2) roots.push(...quadraticRoots(c[0]!, c[1]!, c[2]!));
  else if (n === 3) roots.push(...cubicRoots(c[0]!, c[1]!, c[2]!, c[3]!));
  else if (n > 3) roots.push(...numericRoots(c));
  const dc = derivativeCoefficients(c);
  return distinctSorted(roots.map((x) => (x === 0 ? 0 : polish(c, dc, x))));
}
