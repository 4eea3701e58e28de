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
 */
import {
  binary,
  CONSTANTS,
  type ConstantName,
  call,
  constant,
  type ExprNode,
  negate,
  num,
  variable,
} from "./ast.js";
import { ExpressionError } from "./errors.js";
import { FUNCTION_NAMES } from "./functions.js";
import { type Token, tokenize } from "./tokenize.js";

class Parser {
  private readonly tokens: Token[];
  private pos = 0;

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

  private sum(): ExprNode {
    let left = this.product();
    while (this.isOperator(this.peek(), "+", "-")) {
      const op = this.next().text as "+" | "-";
      left = binary(op, left, this.product());
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
        left = binary(token.text as "*" | "/", left, this.unary());
      } else if (this.startsImplicitFactor()) {
        left = binary("*", left, this.power());
      } else {
        return left;
      }
    }
  }

  private unary(): ExprNode {
    const token = this.peek();
    if (this.isOperator(token, "-")) {
      this.next();
      return negate(this.unary());
    }
    if (this.isOperator(token, "+")) {
      this.next();
      return this.unary();
    }
    return this.power();
  }

  private power(): ExprNode {
    const base = this.primary();
    if (!this.isOperator(this.peek(), "^")) return base;
    this.next();
    return binary("^", base, this.unary());
  }

  private primary(): ExprNode {
    const token = this.next();
    switch (token.kind) {
      case "number":
        return num(Number(token.text));
      case "name":
        return this.named(token);
      case "(": {
        const inner = this.sum();
        this.closeParen(token);
        return inner;
      }
      default:
        throw this.unexpected(token);
    }
  }

  private named(token: Token): ExprNode {
    const fn = FUNCTION_NAMES[token.text];
    if (fn !== undefined) {
      const open = this.peek();
      if (open.kind !== "(") throw this.error(`expected '(' after ${token.text}`, open);
      this.next();
      const arg = this.sum();
      this.closeParen(open);
      return call(fn, arg);
    }
    if (token.text in CONSTANTS) return constant(token.text as ConstantName);
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
