/** A shape as it appears in error messages: `[2, 3]`. */
export function shapeText(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}
