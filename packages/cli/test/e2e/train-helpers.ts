/** Shared bits of the training end-to-end tests: temp folders, reading a model folder and its history. */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { expect } from "vitest";
import type { CliRun } from "./cli.js";

export const IRIS = resolve(import.meta.dirname, "../../../../examples/data/iris.csv");

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `deriva-${prefix}-`));
}

export function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
}

/** history.jsonl as objects, one per epoch. */
export function readHistoryLines(dir: string): Record<string, number>[] {
  return readFileSync(join(dir, "history.jsonl"), "utf8")
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, number>);
}

/** The losses of each epoch, without the timings (which differ run to run). */
export function lossesOf(dir: string): number[][] {
  return readHistoryLines(dir).map((e) => [e.epoch!, e.loss!, e.valLoss ?? Number.NaN]);
}

/** The exit code 0, nothing on stderr (warnings aside when allowed). */
export function expectSuccess(run: CliRun): void {
  expect(run.stderr, run.stderr).toBe("");
  expect(run.status).toBe(0);
}

/** The last epoch line's validation accuracy, as a fraction. */
export function lastValAccuracy(stdout: string): number {
  const matches = [...stdout.matchAll(/val_acc (\d+\.\d+)%/g)];
  expect(matches.length).toBeGreaterThan(0);
  return Number(matches.at(-1)![1]) / 100;
}
