/**
 * The simplifier's normal form: a sum of terms, each a coefficient times a product of factors raised
 * to powers. Building it folds constants, drops 0 and 1, merges x·x into x^2, expands small integer
 * powers and products of sums, and collects like terms, so a derivative like 2*x^1*1 - 4*1 + 0
 * comes out as 2*x - 4.
 */
import { CONSTANTS, type ConstantName, type ExprNode, type FunctionName } from "./ast.js";
import { FUNCTIONS } from "./functions.js";
import { Coef } from "./rational.js";

/** What a factor is made of: a variable or constant, a call, a sum kept whole, or a symbolic power. */
export type Atom =
  | { readonly kind: "const"; readonly name: ConstantName }
  | { readonly kind: "var"; readonly name: string }
  | { readonly kind: "call"; readonly fn: FunctionName; readonly arg: Sum }
  | { readonly kind: "group"; readonly sum: Sum }
  | { readonly kind: "pow"; readonly base: Sum; readonly exponent: Sum };

export interface Factor {
  readonly atom: Atom;
  readonly key: string;
  readonly power: Coef;
}

export interface Term {
  readonly coeff: Coef;
  /** Sorted by atom kind then key; each atom once, no zero powers. */
  readonly factors: readonly Factor[];
  /** Identifies the product of factors (like terms share it). */
  readonly key: string;
}

/** Terms in print order (higher degree first), like terms merged, no zero coefficients. */
export type Sum = readonly Term[];

/** Beyond this many terms, products and powers of sums stay unexpanded. */
const MAX_TERMS = 256;
/** Integer powers of a sum up to this one are expanded ((x-2)^2 → x^2 - 4*x + 4). */
const MAX_EXPANDED_POWER = 12;

const KIND_ORDER: Readonly<Record<Atom["kind"], number>> = { const: 0, var: 1, call: 2, group: 3, pow: 4 };

export function sumKey(sum: Sum): string {
  return sum.map((t) => `${t.coeff}*${t.key}`).join("+");
}

function atomKey(atom: Atom): string {
  switch (atom.kind) {
    case "const":
      return atom.name;
    case "var":
      return atom.name;
    case "call":
      return `${atom.fn}(${sumKey(atom.arg)})`;
    case "group":
      return `(${sumKey(atom.sum)})`;
    case "pow":
      return `(${sumKey(atom.base)})^(${sumKey(atom.exponent)})`;
  }
}

function compareFactors(a: Factor, b: Factor): number {
  const byKind = KIND_ORDER[a.atom.kind] - KIND_ORDER[b.atom.kind];
  if (byKind !== 0) return byKind;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

function makeTerm(coeff: Coef, factors: Factor[]): Term {
  const sorted = factors.filter((f) => !f.power.isZero).sort(compareFactors);
  return { coeff, factors: sorted, key: sorted.map((f) => `${f.key}^${f.power}`).join("·") };
}

/** Total power of the variables in a term (its degree, for ordering). */
function degree(term: Term): number {
  let d = 0;
  for (const f of term.factors) if (f.atom.kind === "var") d += f.power.value;
  return d;
}

function compareTerms(a: Term, b: Term): number {
  const byDegree = degree(b) - degree(a);
  if (byDegree !== 0) return byDegree;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** Like terms merged, zeros dropped, sorted. */
function normalize(terms: Iterable<Term>): Sum {
  const byKey = new Map<string, Term>();
  for (const t of terms) {
    const seen = byKey.get(t.key);
    byKey.set(t.key, seen ? { ...seen, coeff: seen.coeff.add(t.coeff) } : t);
  }
  return [...byKey.values()].filter((t) => !t.coeff.isZero).sort(compareTerms);
}

export function constantSum(c: Coef): Sum {
  return c.isZero ? [] : [makeTerm(c, [])];
}

export function atomSum(atom: Atom, power: Coef = Coef.ONE): Sum {
  return [makeTerm(Coef.ONE, [{ atom, key: atomKey(atom), power }])];
}

/** The coefficient when the sum is a plain number (0 for the empty sum), else null. */
export function asNumber(sum: Sum): Coef | null {
  if (sum.length === 0) return Coef.ZERO;
  return sum.length === 1 && sum[0]!.factors.length === 0 ? sum[0]!.coeff : null;
}

export function addSums(a: Sum, b: Sum): Sum {
  return normalize([...a, ...b]);
}

export function negateSum(a: Sum): Sum {
  return a.map((t) => ({ ...t, coeff: t.coeff.neg() }));
}

function multiplyTerms(a: Term, b: Term): Term {
  const powers = new Map<string, Factor>();
  for (const f of [...a.factors, ...b.factors]) {
    const seen = powers.get(f.key);
    powers.set(f.key, seen ? { ...seen, power: seen.power.add(f.power) } : f);
  }
  return makeTerm(a.coeff.mul(b.coeff), [...powers.values()]);
}

export function multiplySums(a: Sum, b: Sum): Sum {
  if (a.length * b.length > MAX_TERMS) {
    return multiplySums(atomSum({ kind: "group", sum: a }), atomSum({ kind: "group", sum: b }));
  }
  const terms: Term[] = [];
  for (const s of a) for (const t of b) terms.push(multiplyTerms(s, t));
  return normalize(terms);
}

/** 1/a: exact for a single term (powers negated); a sum becomes a group in the denominator. */
export function invertSum(a: Sum): Sum {
  if (a.length === 1) {
    const t = a[0]!;
    return [
      makeTerm(
        t.coeff.inverse(),
        t.factors.map((f) => ({ ...f, power: f.power.neg() })),
      ),
    ];
  }
  if (a.length === 0) return constantSum(Coef.float(Number.POSITIVE_INFINITY));
  return atomSum({ kind: "group", sum: a }, Coef.of(-1));
}

/** A sum raised to an integer power without expanding it (for denominators like (x + 1)^2). */
export function groupPower(a: Sum, power: Coef): Sum {
  if (a.length <= 1) return powerByNumber(a, power);
  return atomSum({ kind: "group", sum: a }, power);
}

function exactNumberPower(base: Coef, exponent: Coef): Sum | null {
  if (exponent.isInteger) return constantSum(base.powInt(exponent.value));
  const value = base.value ** exponent.value;
  return Number.isInteger(value) ? constantSum(Coef.of(value)) : null;
}

function powerByNumber(a: Sum, exponent: Coef): Sum {
  if (exponent.isZero) return constantSum(Coef.ONE);
  if (exponent.isOne) return a;
  const base = asNumber(a);
  if (base !== null) {
    const folded = exactNumberPower(base, exponent);
    if (folded) return folded;
  } else if (a.length === 1) {
    const t = a[0]!;
    // (c·x^a·y^b)^n = c^n·x^(an)·y^(bn) for an integer n; a bare x^1 takes any power
    const bare = t.coeff.isOne && t.factors.length === 1 && t.factors[0]!.power.isOne;
    if (exponent.isInteger || bare) {
      return [
        makeTerm(
          t.coeff.powInt(exponent.isInteger ? exponent.value : 1),
          t.factors.map((f) => ({ ...f, power: f.power.mul(exponent) })),
        ),
      ];
    }
  } else if (exponent.isInteger && exponent.value > 0 && exponent.value <= MAX_EXPANDED_POWER) {
    let result: Sum = a;
    for (let k = 1; k < exponent.value; k++) result = multiplySums(result, a);
    if (result.length <= MAX_TERMS) return result;
  }
  if (a.length > 1 && exponent.isInteger) return atomSum({ kind: "group", sum: a }, exponent);
  return atomSum({ kind: "pow", base: a, exponent: constantSum(exponent) });
}

/** a^b: folded, distributed over a monomial, expanded for small integer powers of sums, else kept. */
export function powerSums(a: Sum, b: Sum): Sum {
  const exponent = asNumber(b);
  if (exponent !== null) return powerByNumber(a, exponent);
  // e^u is exp(u)
  const onlyE = a.length === 1 && a[0]!.coeff.isOne && a[0]!.key === "e^1";
  if (onlyE) return callSum("exp", b);
  return atomSum({ kind: "pow", base: a, exponent: b });
}

/** Whether a sum is free of variables (pi and e are constants). */
export function isConstant(sum: Sum): boolean {
  return sum.every((t) => t.factors.every((f) => atomIsConstant(f.atom)));
}

function atomIsConstant(atom: Atom): boolean {
  switch (atom.kind) {
    case "const":
      return true;
    case "var":
      return false;
    case "call":
      return isConstant(atom.arg);
    case "group":
      return isConstant(atom.sum);
    case "pow":
      return isConstant(atom.base) && isConstant(atom.exponent);
  }
}

/** The numeric value of a factor free of variables. */
export function factorValue(f: Factor): number {
  return atomValue(f.atom) ** f.power.value;
}

/** The numeric value of a sum free of variables. */
export function numericValue(sum: Sum): number {
  let total = 0;
  for (const t of sum) {
    let product = t.coeff.value;
    for (const f of t.factors) product *= factorValue(f);
    total += product;
  }
  return total;
}

function atomValue(atom: Atom): number {
  switch (atom.kind) {
    case "const":
      return CONSTANTS[atom.name];
    case "var":
      throw new Error(`internal: variable ${atom.name} has no numeric value`);
    case "call":
      return FUNCTIONS[atom.fn].onNumber(numericValue(atom.arg));
    case "group":
      return numericValue(atom.sum);
    case "pow":
      return numericValue(atom.base) ** numericValue(atom.exponent);
  }
}

/** f(a): folded when a is constant and the result a whole number (exp(0) = 1, log(e) = 1), else kept. */
export function callSum(fn: FunctionName, a: Sum): Sum {
  if (isConstant(a)) {
    const value = FUNCTIONS[fn].onNumber(numericValue(a));
    if (Number.isSafeInteger(value)) return constantSum(Coef.of(value));
  }
  // log(exp(u)) = u
  if (fn === "log" && a.length === 1 && a[0]!.coeff.isOne && a[0]!.factors.length === 1) {
    const f = a[0]!.factors[0]!;
    if (f.power.isOne && f.atom.kind === "call" && f.atom.fn === "exp") return f.atom.arg;
  }
  return atomSum({ kind: "call", fn, arg: a });
}

/**
 * Characters of term keys one normal form may produce: about a second of work on this project's
 * machine. Past it the result is too large to write out (x^x^…^x 160 deep simplifies to 2.8
 * million characters and took 12 s), and the work grows faster than the text.
 */
const MAX_NORMAL_FORM_CHARS = 200_000_000;

/** One conversion to normal form: the sums of the nodes done so far, and the key characters made. */
interface Conversion {
  readonly done: Map<ExprNode, Sum>;
  keyChars: number;
}

/**
 * The normal form of a tree. A derivative's tree shares subtrees (the rules reuse u and v), so
 * each node is brought to normal form once and looked up after that: without it, a shared
 * subtree is redone wherever it is used. Throws when the form grows past MAX_NORMAL_FORM_CHARS.
 */
export function toSum(node: ExprNode): Sum {
  return convert(node, { done: new Map(), keyChars: 0 });
}

/** One recursive function (no helper frames per level): derivatives of 1,000-deep input nest about 3,000 deep. */
function convert(node: ExprNode, conversion: Conversion): Sum {
  const seen = conversion.done.get(node);
  if (seen) return seen;
  let sum: Sum;
  switch (node.kind) {
    case "num":
      sum = constantSum(Coef.of(node.value));
      break;
    case "const":
      sum = atomSum({ kind: "const", name: node.name });
      break;
    case "var":
      sum = atomSum({ kind: "var", name: node.name });
      break;
    case "neg":
      sum = negateSum(convert(node.arg, conversion));
      break;
    case "call":
      sum = callSum(node.fn, convert(node.arg, conversion));
      break;
    case "bin": {
      const left = convert(node.left, conversion);
      switch (node.op) {
        case "+":
          sum = addSums(left, convert(node.right, conversion));
          break;
        case "-":
          sum = addSums(left, negateSum(convert(node.right, conversion)));
          break;
        case "*":
          sum = multiplySums(left, convert(node.right, conversion));
          break;
        case "/":
          sum = multiplySums(left, denominator(node.right, conversion));
          break;
        case "^":
          sum = powerSums(left, convert(node.right, conversion));
          break;
      }
    }
  }
  for (const term of sum) conversion.keyChars += term.key.length;
  if (conversion.keyChars > MAX_NORMAL_FORM_CHARS) {
    throw new Error(
      `the simplified expression is too large to write out (its terms pass ${MAX_NORMAL_FORM_CHARS.toLocaleString("en-US")} characters); grad() evaluates a derivative without writing it out`,
    );
  }
  conversion.done.set(node, sum);
  return sum;
}

/** 1/node, keeping a power of a sum whole: 1/(x + 1)^2 rather than 1/(x^2 + 2*x + 1). */
function denominator(node: ExprNode, conversion: Conversion): Sum {
  if (node.kind === "bin" && node.op === "^") {
    const base = convert(node.left, conversion);
    const exponent = asNumber(convert(node.right, conversion));
    if (base.length > 1 && exponent !== null && exponent.isInteger) return groupPower(base, exponent.neg());
  }
  return invertSum(convert(node, conversion));
}
