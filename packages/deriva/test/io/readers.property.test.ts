/**
 * Property tests of the model-file readers: any bytes or JSON give a result or a plain Error with a
 * message, never another kind of exception, and nothing is allocated beyond what the file holds.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { tensor } from "../../src/index.js";
import { parseModelJson } from "../../src/io/model-file.js";
import { decodeSafetensors, encodeSafetensors, readSafetensorsHeader } from "../../src/io/safetensors.js";
import { checkWeightsFit } from "../../src/io/weights-fit.js";
import { checkTrainingRecord } from "../../src/train/run-record.js";
import { VERSION } from "../../src/version.js";
import { cleanly } from "../helpers/cleanly.js";

const validModel = {
  format: "deriva-model",
  derivaVersion: VERSION,
  task: "classification",
  architecture: { type: "Sequential", layers: [{ type: "Linear", in: 2, out: 3 }] },
  preprocessing: {
    kind: "tabular",
    columns: [
      { name: "a", kind: "numeric", mean: 1, std: 2 },
      { name: "b", kind: "categorical", categories: ["x"] },
    ],
    target: { column: "t", task: "classification", classes: ["p", "q", "r"] },
    featureNames: ["a", "b=x"],
  },
  inputShape: [2],
  classes: ["p", "q", "r"],
  training: { loss: "cross-entropy", epochs: 3, results: { valLoss: 0.5 } },
  files: { weights: { file: "weights-0123456789abcdef.safetensors", bytes: 10, sha256: "a".repeat(64) } },
};

/** A copy of `value` with the thing at a random path replaced by `replacement`. */
function replaceAt(value: unknown, path: number[], replacement: unknown): unknown {
  if (path.length === 0 || typeof value !== "object" || value === null) return replacement;
  const keys = Object.keys(value);
  if (keys.length === 0) return replacement;
  const key = keys[path[0]! % keys.length]!;
  const copy: Record<string, unknown> = Array.isArray(value) ? ([...value] as never) : { ...value };
  copy[key] = replaceAt((value as Record<string, unknown>)[key], path.slice(1), replacement);
  return copy;
}

const mutatedModel = fc
  .tuple(
    fc.array(fc.nat(), { maxLength: 6 }),
    fc.oneof(fc.jsonValue(), fc.constantFrom(null, -1, 0, 1e308, "", [], {})),
  )
  .map(([path, replacement]) => JSON.stringify(replaceAt(validModel, path, replacement)));

describe("the model.json reader on arbitrary input", () => {
  it("reads a valid model.json", () => {
    const model = parseModelJson(JSON.stringify(validModel));
    expect(checkTrainingRecord(model.training, model.task, model.classes, "m").epochs).toBe(3);
  });

  it("reads or refuses any text, any JSON, and model.json with any field replaced", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
          mutatedModel,
        ),
        (text) => {
          const model = cleanly(() => parseModelJson(text));
          if (model !== null)
            cleanly(() => checkTrainingRecord(model.training, model.task, model.classes, "m"));
        },
      ),
      { numRuns: 2000 },
    );
  });
});

const validWeights = encodeSafetensors(
  {
    "0.weight": tensor([
      [1, 2],
      [3, 4],
      [5, 6],
    ]),
    "0.bias": tensor([1, 2, 3], { dtype: "float64" }),
  },
  { format: "pt" },
);

/** The header JSON of a safetensors file, with a field replaced, and the data after it. */
function withHeader(header: unknown, data: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const { dataStart } = readSafetensorsHeader(validWeights);
const validHeader = JSON.parse(new TextDecoder().decode(validWeights.subarray(8, dataStart)));
const data = validWeights.subarray(dataStart);
const hostileValue = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom(-1, 2 ** 53, 1e300, "F16", "I64", [0, 2 ** 40], [1e12, 1e12], [2 ** 31, 2 ** 31], null),
);
const mutatedHeader = fc
  .tuple(fc.array(fc.nat(), { maxLength: 4 }), hostileValue)
  .map(([path, replacement]) => withHeader(replaceAt(validHeader, path, replacement), data));
const flippedBytes = fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })).map(([at, xor]) => {
  const copy = Uint8Array.from(validWeights);
  copy[at % copy.length]! ^= xor;
  return copy;
});

describe("the safetensors reader on arbitrary input", () => {
  it("reads or refuses any bytes, never allocating more than the file holds", () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 300 }), mutatedHeader, flippedBytes), (bytes) => {
        const content = cleanly(() => decodeSafetensors(bytes));
        if (content === null) return;
        const allocated = Object.values(content.tensors).reduce((n, t) => n + t.storage.byteLength, 0);
        expect(allocated).toBeLessThanOrEqual(bytes.length);
      }),
      { numRuns: 2000 },
    );
  });

  it("checks any architecture against a header without building it", () => {
    const { entries } = readSafetensorsHeader(validWeights);
    fc.assert(
      fc.property(fc.tuple(fc.array(fc.nat(), { maxLength: 5 }), hostileValue), ([path, replacement]) => {
        cleanly(() =>
          checkWeightsFit(replaceAt(validModel.architecture, path, replacement), entries, "model.json", "w"),
        );
      }),
      { numRuns: 2000 },
    );
  });
});
