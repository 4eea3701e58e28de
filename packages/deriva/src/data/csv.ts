/**
 * Reading CSV text into a header and rows of strings (RFC 4180 quoting, through csv-parse's
 * self-contained browser build, which runs in Node and in browsers alike). Rows are numbered as
 * lines of the file, the header being row 1, as an editor or a spreadsheet shows them.
 */
import { parse } from "csv-parse/browser/esm/sync";

export interface CsvTable {
  readonly header: readonly string[];
  /** Data rows: as many cells as the header, trimmed. */
  readonly rows: readonly (readonly string[])[];
  /** The line of the file on which each data row ends (the header is line 1). */
  readonly lines: readonly number[];
}

export interface CsvReadOptions {
  /** Field separator (default ","). */
  delimiter?: string;
}

interface ParsedRecord {
  record: string[];
  info: { lines: number };
}

/** Parses CSV text with a header row; refuses ragged rows, empty or repeated column names. */
export function readCsvTable(text: string, opts: CsvReadOptions = {}): CsvTable {
  let records: ParsedRecord[];
  try {
    records = parse(text, {
      bom: true,
      delimiter: opts.delimiter ?? ",",
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as ParsedRecord[];
  } catch (error) {
    throw new Error(`invalid CSV: ${(error as Error).message}`);
  }
  const [head, ...body] = records;
  if (head === undefined) throw new Error("the CSV is empty: it needs a header row and data rows");
  const header = head.record;
  checkHeader(header);
  if (body.length === 0) throw new Error("the CSV has a header but no data rows");
  for (const { record, info } of body) {
    if (record.length !== header.length) {
      throw new Error(`row ${info.lines} has ${record.length} fields, the header has ${header.length}`);
    }
  }
  return { header, rows: body.map((r) => r.record), lines: body.map((r) => r.info.lines) };
}

function checkHeader(header: readonly string[]): void {
  const seen = new Map<string, number>();
  header.forEach((name, column) => {
    if (name === "") throw new Error(`column ${column + 1} has an empty name in the header (row 1)`);
    const earlier = seen.get(name);
    if (earlier !== undefined) {
      throw new Error(
        `column '${name}' appears twice in the header (columns ${earlier + 1} and ${column + 1})`,
      );
    }
    seen.set(name, column);
  });
}
