/** The error a malformed expression raises: a one-line message with the column, and a caret display. */
export class ExpressionError extends Error {
  /** "ExpressionError", so that a catch can tell it from other errors (instanceof works too). */
  override name = "ExpressionError";

  /**
   * @param reason what is wrong, e.g. "unexpected ')'"
   * @param source the whole expression
   * @param column 1-based column of the offending character (source.length + 1 for "the end")
   */
  constructor(
    reason: string,
    readonly source: string,
    readonly column: number,
  ) {
    super(`${reason} at column ${column}`);
  }

  /** Two lines: the expression, and a caret under the offending column. */
  get caret(): string {
    return `${this.source}\n${" ".repeat(this.column - 1)}^`;
  }
}
