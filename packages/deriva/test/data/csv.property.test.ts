/**
 * Property tests of the CSV reader: any text gives a table (or a data set) or a plain Error with a
 * message, never another kind of exception, and the table's memory stays proportional to the text.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CsvTable, readCsvTable } from "../../src/data/csv.js";
import { parseCsv } from "../../src/data/csv-dataset.js";
import { cleanly } from "../helpers/cleanly.js";

/** The bytes held by a table's typed arrays. */
function tableBytes(table: CsvTable): number {
  let bytes = table.lines.buffer.byteLength;
  for (const column of table.columns)
    bytes += column.numbers.buffer.byteLength + (column.codes?.buffer.byteLength ?? 0);
  return bytes;
}

/** Characters that matter to CSV: separators, quotes, line breaks, spaces, digits, signs, letters. */
const csvChar = fc.constantFrom(
  ",",
  '"',
  "\n",
  "\r",
  " ",
  "0",
  "1",
  "9",
  ".",
  "-",
  "e",
  "x",
  "a",
  "\u001b",
  "é",
  "\t",
);
const csvText = fc.array(csvChar, { maxLength: 300 }).map((chars) => chars.join(""));

/** Well-formed tables of numbers and words, some cells quoted. */
const cell = fc.oneof(
  fc.double({ noNaN: true }).map(String),
  fc.integer({ min: -5, max: 5 }).map(String),
  fc.constantFrom("red", "blue", "", "0x10", "1e999", "Infinity", '"a, b"', '"x\ny"'),
);
const table = fc
  .tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 30 }))
  .chain(([columns, rows]) =>
    fc
      .array(fc.array(cell, { minLength: columns, maxLength: columns }), { minLength: rows, maxLength: rows })
      .map((body) =>
        [Array.from({ length: columns }, (_, i) => `c${i}`).join(","), ...body.map((r) => r.join(","))].join(
          "\n",
        ),
      ),
  );

describe("the CSV reader on arbitrary input", () => {
  it("reads or refuses any text with a plain Error, in memory proportional to the text", () => {
    fc.assert(
      fc.property(fc.oneof(csvText, fc.string({ unit: "binary", maxLength: 200 })), (text) => {
        const read = cleanly(() => readCsvTable(text));
        if (read !== null) expect(tableBytes(read)).toBeLessThanOrEqual(4096 + 64 * text.length);
        cleanly(() => parseCsv(text));
      }),
      { numRuns: 1000 },
    );
  });

  it("reads or refuses tables of numbers, words and odd cells, fitting a preprocessing the reader accepts", () => {
    fc.assert(
      fc.property(table, (text) => {
        const data = cleanly(() => parseCsv(text));
        if (data === null) return;
        expect(Array.from(data.x.data()).every(Number.isFinite)).toBe(true);
        const prep = data.preprocessing!;
        // what was fitted re-applies to the same rows
        expect(
          cleanly(() => parseCsv(text, { preprocessing: JSON.parse(JSON.stringify(prep)) })),
        ).not.toBeNull();
      }),
      { numRuns: 500 },
    );
  });

  it("a header of many columns costs little per column", () => {
    const header = Array.from({ length: 20_000 }, (_, i) => `c${i}`).join(",");
    const read = readCsvTable(`${header}\n${"1,".repeat(19_999)}1\n`);
    expect(tableBytes(read)).toBeLessThan(20_000 * 16 * 12 + 4096);
  });
});
