/**
 * Reading CSV into columns (RFC 4180 quoting, parsed by papaparse, which runs in Node and in
 * browsers alike). Rows are kept as typed columns, not as strings: each cell as a float64 number
 * (NaN where it is not a decimal number) and, while a column has at most MAX_DISTINCT different
 * cells, as a code into its list of distinct cells. So a million rows of twenty columns hold about
 * 250 MB, not gigabytes of strings. Rows are numbered as lines of the file, the header being row 1,
 * as an editor or a spreadsheet shows them.
 */
import Papa from "papaparse";

/** Past this many different cells a column keeps only its numbers (too many to be categories). */
export const MAX_DISTINCT = 65_536;

/** One column of a CSV table. */
export interface CsvColumn {
  /** The column's name from the header row. */
  readonly name: string;
  /** Each cell as a number: NaN where it is not a decimal number, ±Infinity where it overflows. */
  readonly numbers: Float64Array;
  /** How many cells are decimal numbers (overflowing ones included). */
  readonly numberCount: number;
  /** Each cell as an index into `distinct`; null when the column has more than MAX_DISTINCT different cells. */
  readonly codes: Int32Array | null;
  /** The different cells in order of first appearance (null with codes). */
  readonly distinct: readonly string[] | null;
  /** The first cell that is neither a number nor empty, or null: for error messages. */
  readonly firstText: {
    /** The file line it is on (the header is line 1). */
    row: number;
    /** The cell as written. */
    text: string;
  } | null;
  /** The row of the first empty cell, or -1. */
  readonly firstEmpty: number;
  /** The first number beyond float64's range (such as 1e999), or null. */
  readonly firstOverflow: {
    /** The file line it is on (the header is line 1). */
    row: number;
    /** The cell as written. */
    text: string;
  } | null;
}

/** A CSV file read into columns. */
export interface CsvTable {
  /** The column names, in file order. */
  readonly header: readonly string[];
  /** The columns, in header order. */
  readonly columns: readonly CsvColumn[];
  /** Number of data rows. */
  readonly length: number;
  /** The line of the file on which each data row ends (the header is line 1). */
  readonly lines: Int32Array;
}

/** Options of the CSV readers. */
export interface CsvReadOptions {
  /** Field separator (default ","). */
  delimiter?: string;
}

/**
 * Reads CSV text with a header row into columns; refuses bad quoting, ragged rows, empty or
 * repeated column names, and a file without data rows, naming the row.
 * @example const table = data.readCsvTable("x,y\n1,a\n2,b\n"); // table.columns[0].numbers: [1, 2]
 */
export function readCsvTable(text: string, opts: CsvReadOptions = {}): CsvTable {
  const builder = new CsvTableBuilder();
  let failure: Error | null = null;
  Papa.parse<string[]>(text, {
    ...papaOptions(opts),
    step(results, parser) {
      failure = builder.step(results);
      if (failure !== null) parser.abort();
    },
  });
  if (failure !== null) throw failure;
  return builder.finish();
}

/** papaparse's options for a header row of our own and rows as arrays of strings. */
export function papaOptions(opts: CsvReadOptions): Papa.ParseConfig<string[]> {
  return { delimiter: opts.delimiter ?? ",", header: false, skipEmptyLines: false, dynamicTyping: false };
}

/** A decimal number, as a CSV cell writes one: no hex (0x10), no Infinity, no separators. */
export const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A growing column while the rows arrive. */
class ColumnBuilder {
  numbers = new Float64Array(16);
  numberCount = 0;
  codes: Int32Array | null = new Int32Array(16);
  dictionary: Map<string, number> | null = new Map();
  firstText: { row: number; text: string } | null = null;
  firstEmpty = -1;
  firstOverflow: { row: number; text: string } | null = null;

  constructor(readonly name: string) {}

  add(row: number, raw: string): void {
    const cell = trimmed(raw);
    if (row === this.numbers.length) this.grow();
    let value = Number.NaN;
    if (cell === "") {
      if (this.firstEmpty < 0) this.firstEmpty = row;
    } else if (DECIMAL.test(cell)) {
      value = Number(cell);
      this.numberCount++;
      if (!Number.isFinite(value) && this.firstOverflow === null) this.firstOverflow = { row, text: cell };
    } else if (this.firstText === null) {
      this.firstText = { row, text: cell };
    }
    this.numbers[row] = value;
    if (this.dictionary === null) return;
    let code = this.dictionary.get(cell);
    if (code === undefined) {
      code = this.dictionary.size;
      if (code === MAX_DISTINCT) {
        this.dictionary = null; // too many to be categories: the numbers are all that is kept
        this.codes = null;
        return;
      }
      this.dictionary.set(cell, code);
    }
    this.codes![row] = code;
  }

  grow(): void {
    const numbers = new Float64Array(this.numbers.length * 2);
    numbers.set(this.numbers);
    this.numbers = numbers;
    if (this.codes !== null) {
      const codes = new Int32Array(this.codes.length * 2);
      codes.set(this.codes);
      this.codes = codes;
    }
  }

  finish(rows: number): CsvColumn {
    return {
      name: this.name,
      // views, not copies: a copy would double the table's memory at its peak
      numbers: this.numbers.subarray(0, rows),
      numberCount: this.numberCount,
      codes: this.codes === null ? null : this.codes.subarray(0, rows),
      distinct: this.dictionary === null ? null : [...this.dictionary.keys()],
      firstText: this.firstText,
      firstEmpty: this.firstEmpty,
      firstOverflow: this.firstOverflow,
    };
  }
}

/** Builds a table from papaparse's rows, one step at a time (from a string or a stream). */
export class CsvTableBuilder {
  #header: string[] | null = null;
  #columns: ColumnBuilder[] = [];
  #lines = new Int32Array(16);
  #rows = 0;
  /** The line the next record starts on. */
  #line = 1;

  /** Takes one parsed record; returns the Error that stops reading, or null. */
  step(results: Papa.ParseStepResult<string[]>): Error | null {
    const record = results.data;
    const first = this.#line;
    let newlines = 0;
    for (const cell of record)
      if (cell.includes("\n") || cell.includes("\r")) newlines += countLineBreaks(cell);
    const line = first + newlines;
    this.#line = line + 1;
    const error = results.errors[0];
    if (error !== undefined) return new Error(`invalid CSV: row ${first}: ${error.message}`);
    if (record.length === 1 && trimmed(record[0]!) === "") return null; // a blank line
    if (this.#header === null) {
      const failure = checkHeader(record.map(trimmed));
      if (failure !== null) return failure;
      this.#header = record.map(trimmed);
      this.#columns = this.#header.map((name) => new ColumnBuilder(name));
      return null;
    }
    if (record.length !== this.#header.length) {
      return new Error(`row ${line} has ${record.length} fields, the header has ${this.#header.length}`);
    }
    const row = this.#rows++;
    if (row === this.#lines.length) {
      const lines = new Int32Array(this.#lines.length * 2);
      lines.set(this.#lines);
      this.#lines = lines;
    }
    this.#lines[row] = line;
    for (let c = 0; c < record.length; c++) this.#columns[c]!.add(row, record[c]!);
    return null;
  }

  /** Data rows so far. */
  get rows(): number {
    return this.#rows;
  }

  finish(): CsvTable {
    if (this.#header === null) throw new Error("the CSV is empty: it needs a header row and data rows");
    if (this.#rows === 0) throw new Error("the CSV has a header but no data rows");
    return {
      header: this.#header,
      columns: this.#columns.map((c) => c.finish(this.#rows)),
      length: this.#rows,
      lines: this.#lines.subarray(0, this.#rows),
    };
  }
}

function checkHeader(header: readonly string[]): Error | null {
  const seen = new Map<string, number>();
  for (const [column, name] of header.entries()) {
    if (name === "") return new Error(`column ${column + 1} has an empty name in the header (row 1)`);
    const earlier = seen.get(name);
    if (earlier !== undefined) {
      return new Error(
        `column '${name}' appears twice in the header (columns ${earlier + 1} and ${column + 1})`,
      );
    }
    seen.set(name, column);
  }
  return null;
}

/** The cell without surrounding whitespace (checked first: most cells have none). */
function trimmed(cell: string): string {
  return cell.length > 0 && (cell.charCodeAt(0) <= 32 || cell.charCodeAt(cell.length - 1) <= 32)
    ? cell.trim()
    : cell;
}

/** Line breaks inside a quoted cell (\r\n counts once). */
function countLineBreaks(cell: string): number {
  return cell.match(/\r\n|\r|\n/g)?.length ?? 0;
}
