/**
 * Training runs into model folders: resume a saved model where it stopped, save a run with its
 * history (`history.jsonl`, one JSON object per epoch), or do all of it in one call, as
 * `deriva train --out` and `--resume` do.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Dataset } from "../data/dataset.js";
import type { ModelFile } from "../io/model-file.js";
import { prepareRun, type RunOptions, type RunResult, type TrainingRun } from "../train/run.js";
import type { Callbacks, EpochLog } from "../train/types.js";
import { writeFileAtomic } from "./atomic-write.js";
import { type FolderLock, lockFolder } from "./folder-lock.js";
import { memoryLimit, RAISE_LIMIT } from "./memory-limit.js";
import { type LoadedModel, loadModel, saveModel } from "./saved-model.js";

/** The training history beside the model: one JSON object per epoch. */
export const HISTORY_FILE = "history.jsonl";

/** Options of saveRun. */
export interface SaveRunOptions {
  /** The folder's lock when the caller holds it already. */
  lock?: FolderLock;
  /** The model the run resumed (its earlier epochs begin the history); default: none. */
  resumedFrom?: string;
  /** Called before each change on disk (see saveModelFolder). */
  onStep?: (step: string) => void;
}

/**
 * Saves a finished run as a model folder: history.jsonl (the resumed model's epochs, then this
 * run's up to the epoch whose weights are kept), then the model, atomically (see saveModelFolder).
 * The history is written first: a save interrupted before the commit leaves the old model with a
 * history whose later epochs a resumed run ignores. Refuses a run whose loss diverged before any
 * epoch of its own (there is nothing new to save).
 * @example
 * import { writeFileSync } from "node:fs";
 * import { train } from "deriva";
 * import { loadCsv, saveRun } from "deriva/node";
 * writeFileSync("points.csv", ["x,y,side", ...Array.from({ length: 40 }, (_, i) => `${i % 8},${i % 5},${i % 8 < 4 ? "left" : "right"}`)].join("\n"));
 * const run = train.prepareRun(await loadCsv("points.csv"), { epochs: 2 });
 * await saveRun("model", run, await run.fit());
 */
export async function saveRun(
  dir: string,
  run: TrainingRun,
  result: RunResult,
  opts: SaveRunOptions = {},
): Promise<ModelFile> {
  if (!result.saveable) throw new Error(`${result.history.message}; nothing was saved`);
  const lock = opts.lock ?? (await lockFolder(dir));
  try {
    const { initialEpoch } = run.settings;
    const earlier = opts.resumedFrom === undefined ? [] : await readHistory(opts.resumedFrom);
    const logs = [
      ...earlier.filter((log) => log.epoch <= initialEpoch),
      ...result.history.epochs.filter((log) => log.epoch <= result.history.weightsEpoch),
    ];
    await writeFileAtomic(join(dir, HISTORY_FILE), logs.map((log) => `${JSON.stringify(log)}\n`).join(""), {
      onStep: opts.onStep,
    });
    const { data } = run;
    return await saveModel(
      dir,
      {
        module: run.model,
        task: data.task,
        classes: data.classNames,
        preprocessing: data.preprocessing,
        training: result.record,
        optimizer: result.history.optimizer.stateDict(),
      },
      { lock, onStep: opts.onStep },
    );
  } finally {
    if (opts.lock === undefined) await lock.release();
  }
}

/** The epochs of a model folder's history.jsonl ([] when it has none). */
export async function readHistory(dir: string): Promise<EpochLog[]> {
  const path = join(dir, HISTORY_FILE);
  const text = await readFile(path, "utf8").catch(() => null);
  if (text === null) return [];
  const logs: EpochLog[] = [];
  for (const [i, line] of text.split("\n").entries()) {
    if (line.trim() === "") continue;
    let log: unknown;
    try {
      log = JSON.parse(line);
    } catch {
      throw new Error(`${path}: line ${i + 1} is not JSON`);
    }
    const epoch = (log as { epoch?: unknown } | null)?.epoch;
    if (!Number.isSafeInteger(epoch)) throw new Error(`${path}: line ${i + 1} has no epoch number`);
    logs.push(log as EpochLog);
  }
  return logs;
}

/** Options of trainModelFolder: a run's options, and whether to resume the folder's model. */
export interface FolderRunOptions extends Omit<RunOptions, "resume"> {
  /** Continue training the model saved in the folder, with its optimizer state and settings. */
  resume?: boolean;
  /** Progress reports of train.fit. */
  callbacks?: Callbacks | Callbacks[];
  /** Called before each change on disk (see saveModelFolder). */
  onStep?: (step: string) => void;
}

/**
 * Trains a model on `data` and saves it into `dir` as `deriva train --out dir` does (or, with
 * `resume`, continues the model saved there as `deriva train --resume dir`), holding the folder's
 * lock from start to end. Returns the run's result.
 * @example
 * import { writeFileSync } from "node:fs";
 * import { loadCsv, trainModelFolder } from "deriva/node";
 * writeFileSync("points.csv", ["x,y,side", ...Array.from({ length: 40 }, (_, i) => `${i % 8},${i % 5},${i % 8 < 4 ? "left" : "right"}`)].join("\n"));
 * const points = await loadCsv("points.csv");
 * await trainModelFolder("points-model", points, { epochs: 3 });
 * await trainModelFolder("points-model", points, { epochs: 2, resume: true }); // two more epochs
 */
export async function trainModelFolder(
  dir: string,
  data: Dataset,
  opts: FolderRunOptions = {},
): Promise<RunResult> {
  const lock = await lockFolder(dir);
  try {
    const { resume, callbacks, onStep, ...options } = opts;
    const resumed: LoadedModel | null = resume === true ? await loadModel(dir) : null;
    const run = prepareRun(data, {
      maxMemory: memoryLimit(),
      raiseLimit: RAISE_LIMIT,
      ...options,
      resume: resumed,
    });
    const result = await run.fit(callbacks);
    await saveRun(dir, run, result, { lock, onStep, ...(resumed === null ? {} : { resumedFrom: dir }) });
    return result;
  } finally {
    await lock.release();
  }
}
