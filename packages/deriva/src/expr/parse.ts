/**
 * A recursive-descent parser for the expressions people write:
 *
 *   sum     := product (("+" | "-") product)*
 *   product := unary (("*" | "/") unary | implicit)*        implicit: 4x, 2(x+1), x y, (x+1)(x-1)
 *   unary   := ("-" | "+") unary | power                    so -x^2 = -(x^2)
 *   power   := primary ("^" unary)?                         right-associative: 2^3^2 = 2^9; x^-1 works
 *   primary := number | constant | variable | function "(" sum ")" | "(" sum ")"
 *
 * Errors name the column of the offending token (see ExpressionError).
 *
 * Nesting is bounded (MAX_EXPRESSION_DEPTH): every later step (evaluation, grad, the symbolic
 * derivative, simplification) walks the tree recursively, so a tree deeper than the call stack
 * allows would end in "Maximum call stack size exceeded" somewhere down the line. The parser
 * counts two things against the bound, both with the column where it is passed: how deep it is
 * inside parentheses, calls, signs and exponents (its own recursion), and the depth of the tree it
 * builds, to which each further term of a sum or factor of a product adds one (a+b+c is (a+b)+c).
 */
import { binary, call, constant, type ExprNode, isConstantName, negate, num, variable } from "./ast.js";
import { ExpressionError } from "./errors.js";
import { FUNCTION_NAMES } from "./functions.js";
import { type Token, tokenize } from "./tokenize.js";

/**
 * The deepest an expression may nest (parentheses, calls, signs, exponents, and terms of a sum or
 * factors of a product in a row, as above). Every step after parsing handles this depth with room
 * to spare on the call stack (the tests run each one at the limit).
 */
export const MAX_EXPRESSION_DEPTH = 1000;

class Parser {
  private readonly tokens: Token[];
  private pos = 0;
  /** How many parentheses, calls, signs and exponents the parser is inside. */
  private nesting = 0;
  /** The depth of each node built (leaves are 1), for the bound on the tree's depth. */
  private readonly depths = new WeakMap<ExprNode, number>();

  constructor(private readonly source: string) {
    this.tokens = tokenize(source);
  }

  parse(): ExprNode {
    if (this.peek().kind === "end") throw this.error("empty expression", this.peek());
    const tree = this.sum();
    const next = this.peek();
    if (next.kind !== "end") throw this.unexpected(next);
    return tree;
  }

  private peek(): Token {
    return this.tokens[this.pos]!;
  }

  private next(): Token {
    return this.tokens[this.pos++]!;
  }

  private isOperator(token: Token, ...ops: string[]): boolean {
    return token.kind === "operator" && ops.includes(token.text);
  }

  private error(reason: string, token: Token): ExpressionError {
    return new ExpressionError(reason, this.source, token.column);
  }

  private unexpected(token: Token): ExpressionError {
    if (token.kind === "end") return this.error("unexpected end of expression", token);
    if (token.kind === "number") return this.error(`unexpected number ${token.text}`, token);
    if (token.kind === "name") return this.error(`unexpected name '${token.text}'`, token);
    return this.error(`unexpected '${token.text}'`, token);
  }

  /** Counts one more level of nesting at `token`, or throws when that passes the bound. */
  private enter(token: Token): void {
    if (++this.nesting > MAX_EXPRESSION_DEPTH) throw this.tooDeep(token);
  }

  private leave(): void {
    this.nesting--;
  }

  private tooDeep(token: Token): ExpressionError {
    return this.error(
      `the expression nests more than ${MAX_EXPRESSION_DEPTH} levels deep (each parenthesis, call, sign and exponent, and each further term of a sum or product, is a level)`,
      token,
    );
  }

  private depthOf(node: ExprNode): number {
    return this.depths.get(node) ?? 1;
  }

  /** Records the depth of `node`, `extra` levels above the deepest of its `children`, checked at `token`. */
  private built(node: ExprNode, token: Token, children: readonly ExprNode[], extra = 1): ExprNode {
    let depth = 0;
    for (const child of children) depth = Math.max(depth, this.depthOf(child));
    depth += extra;
    if (depth > MAX_EXPRESSION_DEPTH) throw this.tooDeep(token);
    this.depths.set(node, depth);
    return node;
  }

  private sum(): ExprNode {
    let left = this.product();
    while (this.isOperator(this.peek(), "+", "-")) {
      const token = this.next();
      const right = this.product();
      left = this.built(binary(token.text as "+" | "-", left, right), token, [left, right]);
    }
    return left;
  }

  /** Whether the next token can start an implicitly multiplied factor (a number cannot: "2 3" is a typo). */
  private startsImplicitFactor(): boolean {
    const kind = this.peek().kind;
    return kind === "name" || kind === "(";
  }

  private product(): ExprNode {
    let left = this.unary();
    for (;;) {
      const token = this.peek();
      if (this.isOperator(token, "*", "/")) {
        this.next();
        const right = this.unary();
        left = this.built(binary(token.text as "*" | "/", left, right), token, [left, right]);
      } else if (this.startsImplicitFactor()) {
        const right = this.power();
        left = this.built(binary("*", left, right), token, [left, right]);
      } else {
        return left;
      }
    }
  }

  private unary(): ExprNode {
    const token = this.peek();
    if (this.isOperator(token, "-", "+")) {
      this.next();
      this.enter(token);
      const arg = this.unary();
      this.leave();
      // +x is x itself, but it still counts as a level, as the parser went one deeper for it
      return token.text === "-" ? this.built(negate(arg), token, [arg]) : this.built(arg, token, [arg]);
    }
    return this.power();
  }

  private power(): ExprNode {
    const base = this.primary();
    const token = this.peek();
    if (!this.isOperator(token, "^")) return base;
    this.next();
    this.enter(token);
    const exponent = this.unary();
    this.leave();
    return this.built(binary("^", base, exponent), token, [base, exponent]);
  }

  private primary(): ExprNode {
    const token = this.next();
    switch (token.kind) {
      case "number":
        return num(Number(token.text));
      case "name":
        return this.named(token);
      case "(": {
        this.enter(token);
        const inner = this.sum();
        this.closeParen(token);
        this.leave();
        return this.built(inner, token, [inner]);
      }
      default:
        throw this.unexpected(token);
    }
  }

  private named(token: Token): ExprNode {
    const fn = FUNCTION_NAMES.get(token.text);
    if (fn !== undefined) {
      const open = this.peek();
      if (open.kind !== "(") throw this.error(`expected '(' after ${token.text}`, open);
      this.next();
      this.enter(open);
      const arg = this.sum();
      this.closeParen(open);
      this.leave();
      return this.built(call(fn, arg), token, [arg]);
    }
    if (isConstantName(token.text)) return constant(token.text);
    // foo(x) with no space reads as a call of an unknown function, not as foo·x (x(x+1) is a product)
    const after = this.peek();
    if (token.text.length > 1 && after.kind === "(" && after.column === token.column + token.text.length) {
      throw this.error(`unknown function '${token.text}'`, token);
    }
    return variable(token.text);
  }

  private closeParen(open: Token): void {
    const token = this.peek();
    if (token.kind === ")") {
      this.next();
      return;
    }
    if (token.kind === "end") throw this.error("unclosed '('", open);
    throw this.unexpected(token);
  }
}

/** The syntax tree of `source`; throws ExpressionError (with the column) on malformed input. */
export function parse(source: string): ExprNode {
  return new Parser(source).parse();
}
