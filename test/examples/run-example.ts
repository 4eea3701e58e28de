import { execFileSync } from "node:child_process";

/**
 * Runs an example script with tsx and returns what it printed. "deriva" resolves to the library's
 * sources (its "@deriva/source" export), so the examples are tested without a build.
 */
export function runExample(path: string): string {
  return execFileSync(process.execPath, ["--conditions=@deriva/source", "--import", "tsx", path], {
    encoding: "utf8",
  });
}
