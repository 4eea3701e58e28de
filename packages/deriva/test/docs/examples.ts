/**
 * Runs documentation code as a user would: the @example blocks of the library's doc comments and
 * the README's TypeScript snippets. An example is a module; one that imports nothing from deriva
 * gets every public name of "deriva" and "deriva/node" in scope. A line that ends in a comment holding
 * a JSON value (`x.sum().item(); // 6`, `t.shape; // [2, 3]`) is checked against it: numbers
 * within half a unit of the last digit written (and 1e-5 relative), tensors by their values.
 */
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as deriva from "deriva";
import * as derivaNode from "deriva/node";

const SRC = fileURLToPath(new URL("../../src/", import.meta.url));

/** The public entry points an example may import, and the sources they resolve to here. */
const ENTRY_POINTS: Record<string, string> = {
  deriva: join(SRC, "index.ts"),
  "deriva/node": join(SRC, "node/index.ts"),
  "deriva/onnx": join(SRC, "onnx/index.ts"),
  "deriva/wasm-inline": join(SRC, "wasm-inline.ts"),
};

/** A piece of documentation code and where it was written. */
export interface Example {
  /** `file:line` of the example, for the test's name and its errors. */
  where: string;
  code: string;
}

/** Every @example block of the doc comments under packages/deriva/src, in file order. */
export function sourceExamples(): Example[] {
  const examples: Example[] = [];
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, "utf8");
    for (const comment of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
      const lines = comment[0]
        .slice(3, -2)
        .split("\n")
        .map((line) => line.replace(/^\s*\* ?/, ""));
      const firstLine = text.slice(0, comment.index).split("\n").length;
      lines.forEach((line, i) => {
        const start = /^\s*@example\b ?(.*)$/.exec(line);
        if (!start) return;
        const body = [start[1]!];
        for (const next of lines.slice(i + 1)) {
          if (/^\s*@\w+/.test(next)) break;
          body.push(next);
        }
        const code = body
          .filter((l) => !/^\s*```/.test(l))
          .join("\n")
          .trim();
        examples.push({ where: `${relative(join(SRC, "../../.."), file)}:${firstLine + i}`, code });
      });
    }
  }
  return examples;
}

/** The ```ts blocks of a Markdown section (from its heading to the next heading of its level or above), joined. */
export function markdownSection(markdown: string, heading: string): string {
  const lines = markdown.split("\n");
  const start = lines.findIndex((line) => line.trim() === heading);
  if (start < 0) throw new Error(`no heading "${heading}"`);
  const level = heading.indexOf(" ");
  const end = lines.findIndex((line, i) => i > start && /^#+ /.test(line) && line.indexOf(" ") <= level);
  const section = lines.slice(start + 1, end < 0 ? undefined : end).join("\n");
  return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]).join("\n");
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === "generated" ? [] : sourceFiles(path);
      return entry.name.endsWith(".ts") ? [path] : [];
    })
    .sort();
}

/** The module an example runs as: its imports pointed at the sources, its result comments checked. */
export function exampleModule(code: string): string {
  let body = code.replace(
    /from "(deriva(?:\/[\w-]+)?)"|import "(deriva(?:\/[\w-]+)?)"/g,
    (_match, from, bare) => {
      const target = ENTRY_POINTS[from ?? bare];
      if (!target) throw new Error(`an example imports ${from ?? bare}, which is not a public entry point`);
      return from ? `from ${JSON.stringify(target)}` : `import ${JSON.stringify(target)}`;
    },
  );
  body = body.split("\n").map(withCheck).join("\n");
  const prelude = /^\s*import\b.*"deriva(\/[\w-]+)?"/m.test(code) ? "" : publicNamesImport();
  return `import { checkResult as __check } from ${JSON.stringify(fileURLToPath(import.meta.url))};\n${prelude}\n${body}\n`;
}

/** A line `expression; // <JSON>` or `const name = expression; // <JSON>` followed by its check. */
function withCheck(line: string): string {
  const match = /^(\s*)(.*?);?\s*\/\/\s*(.+)$/.exec(line);
  if (!match || match[2]!.trim() === "") return line;
  const [, indent, statement, comment] = match as unknown as [string, string, string, string];
  const shown = jsonPrefix(comment);
  if (shown === null) return line;
  const expected = JSON.parse(shown);
  const tolerance = JSON.stringify(toleranceOf(shown));
  const declared = /^(?:const|let)\s+([A-Za-z_$][\w$]*)\s*=/.exec(statement);
  if (declared)
    return `${line}\n${indent}await __check(${declared[1]}, ${JSON.stringify(expected)}, ${tolerance}, ${JSON.stringify(line.trim())});`;
  if (/^(?:const|let|var|import|export|return|if|for|while|\}|\{)\b/.test(statement)) return line;
  return `${indent}await __check((${statement}), ${JSON.stringify(expected)}, ${tolerance}, ${JSON.stringify(line.trim())});`;
}

/** The comment itself, or its part before ", " or ": " (`12, since f′(x) = 2x − 4`), when that is a JSON value. */
function jsonPrefix(comment: string): string | null {
  const candidates = [comment, ...[...comment.matchAll(/[,:] /g)].map((m) => comment.slice(0, m.index))];
  for (const text of candidates) {
    try {
      JSON.parse(text);
      return text;
    } catch {}
  }
  return null;
}

/** Half a unit of the last decimal written (0 for whole numbers). */
function toleranceOf(text: string): number {
  const decimals = Math.max(0, ...[...text.matchAll(/\d\.(\d+)/g)].map((m) => m[1]!.length));
  return decimals === 0 ? 0 : 0.5 * 10 ** -decimals;
}

/** Imports every public name of "deriva" and of "deriva/node" (the library's first where both have one). */
function publicNamesImport(): string {
  const core = Object.keys(deriva).filter((name) => name !== "default");
  const node = Object.keys(derivaNode).filter((name) => !core.includes(name));
  return [
    `import { ${core.join(", ")} } from ${JSON.stringify(ENTRY_POINTS.deriva)};`,
    `import { ${node.join(", ")} } from ${JSON.stringify(ENTRY_POINTS["deriva/node"])};`,
  ].join("\n");
}

/** Throws unless `actual` (a value, a promise of one, or a tensor) matches what the example's comment shows. */
export async function checkResult(
  actual: unknown,
  expected: unknown,
  tolerance: number,
  line: string,
): Promise<void> {
  let value = await actual;
  if (value instanceof deriva.Tensor) value = value.toArray();
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) value = Array.from(value as Float64Array);
  if (!matches(value, expected, tolerance)) {
    throw new Error(`${line}\n  gives ${JSON.stringify(value)}, not ${JSON.stringify(expected)}`);
  }
}

function matches(actual: unknown, expected: unknown, tolerance: number): boolean {
  if (typeof expected === "number" && typeof actual === "number") {
    return Math.abs(actual - expected) <= tolerance + 1e-5 * Math.max(1, Math.abs(expected));
  }
  if (Array.isArray(expected)) {
    const list = ArrayBuffer.isView(actual) ? Array.from(actual as Float64Array) : actual;
    return (
      Array.isArray(list) &&
      list.length === expected.length &&
      expected.every((e, i) => matches(list[i], e, tolerance))
    );
  }
  if (expected !== null && typeof expected === "object") {
    if (actual === null || typeof actual !== "object") return false;
    return Object.entries(expected).every(([key, e]) =>
      matches((actual as Record<string, unknown>)[key], e, tolerance),
    );
  }
  return actual === expected;
}

/**
 * Runs an example as a module in a fresh working directory (holding copies of `files`, by name, and
 * whatever the example writes), then removes both and puts the backend back as it was.
 */
export async function runExample(code: string, files: Record<string, string> = {}): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "deriva-example-"));
  const cwd = process.cwd();
  const backend = deriva.getBackend(); // an example may switch it: the next one starts as this one did
  try {
    const work = join(dir, "work");
    mkdirSync(work);
    for (const [name, source] of Object.entries(files)) copyFileSync(source, join(work, name));
    const file = join(dir, "example.ts");
    writeFileSync(file, exampleModule(code));
    process.chdir(work);
    await import(/* @vite-ignore */ pathToFileURL(file).href);
  } finally {
    await deriva.setBackend(backend);
    process.chdir(cwd);
    rmSync(dir, { recursive: true, force: true });
  }
}
