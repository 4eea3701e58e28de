/**
 * Text from user data (file names, CSV headers and cells, class names) made safe to print on a
 * terminal: control characters, which could move the cursor, recolor or rewrite the screen
 * (ESC sequences), and the bidirectional overrides that reorder text, are shown escaped.
 */

/** C0 controls (tab and newline included: they break a table or a line), DEL, C1 controls, bidi overrides. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** `text` with each control character written as `\xNN` or `\uNNNN`: "a\u001b[31mb" → "a\x1b[31mb". */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, "0")}`
      : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}
