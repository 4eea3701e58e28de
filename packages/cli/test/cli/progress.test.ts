import { describe, expect, it } from "vitest";
import { readingProgress } from "../../src/progress.js";

function stream(isTTY: boolean) {
  const written: string[] = [];
  return {
    out: { isTTY, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream,
    written,
  };
}

describe("readingProgress", () => {
  it("on a terminal, rewrites one line as the file is read and clears it at the end", () => {
    const { out, written } = stream(true);
    const progress = readingProgress("big\u001b.csv", out);
    progress.update({ bytes: 45, totalBytes: 100, rows: 450_000 });
    progress.done();
    expect(written).toEqual(["\rreading big\\x1b.csv: 45% (450,000 rows)\u001b[K", "\r\u001b[K"]);
  });

  it("writes nothing into a pipe or a log", () => {
    const { out, written } = stream(false);
    const progress = readingProgress("big.csv", out);
    progress.update({ bytes: 45, totalBytes: 100, rows: 450_000 });
    progress.done();
    expect(written).toEqual([]);
  });
});
