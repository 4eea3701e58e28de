import { describe, expect, it } from "vitest";
import { parseModelJson } from "../../src/io/model-file.js";
import { VERSION } from "../../src/version.js";

const valid = {
  format: "deriva-model",
  derivaVersion: VERSION,
  task: "classification",
  architecture: { layers: [{ type: "Linear", in: 4, out: 3 }] },
  preprocessing: null,
  classes: ["a", "b", "c"],
};
const text = (changes: Record<string, unknown>) => JSON.stringify({ ...valid, ...changes });

describe("parseModelJson", () => {
  it("accepts a valid envelope and keeps the model's own JSON as it is", () => {
    const model = parseModelJson(JSON.stringify(valid));
    expect(model).toEqual(valid);
    const regression = parseModelJson(text({ task: "regression", classes: null, extra: { epochs: 3 } }));
    expect(regression.extra).toEqual({ epochs: 3 });
  });

  it("refuses corrupt, foreign, incomplete and other-version files with one clear line", () => {
    expect(() => parseModelJson('{"format": "deriva-mo', "m/model.json")).toThrow(
      /^m\/model.json is corrupt: not valid JSON/,
    );
    expect(() => parseModelJson("[1]")).toThrow("model.json is corrupt: it must hold a JSON object");
    expect(() => parseModelJson(text({ format: "keras" }))).toThrow(
      'model.json is not a deriva model: its format is "keras", not "deriva-model"',
    );
    const { architecture: _, ...incomplete } = valid;
    expect(() => parseModelJson(JSON.stringify(incomplete))).toThrow(
      "model.json is incomplete: the field 'architecture' is missing",
    );
    const major = Number(VERSION.split(".")[0]) + 1;
    expect(() => parseModelJson(text({ derivaVersion: `${major}.0.0` }))).toThrow(
      `model.json was saved by deriva ${major}.0.0, this is deriva ${VERSION}: models do not carry across major versions`,
    );
    expect(() => parseModelJson(text({ derivaVersion: "soon" }))).toThrow(/derivaVersion must be a version/);
    expect(() => parseModelJson(text({ task: "ranking" }))).toThrow(
      /task must be "classification" or "regression"/,
    );
    expect(() => parseModelJson(text({ classes: [] }))).toThrow(/needs 'classes', a non-empty array/);
    expect(() => parseModelJson(text({ task: "regression" }))).toThrow(
      /a regression model has 'classes': null/,
    );
    expect(() =>
      parseModelJson(text({ files: { weights: { file: "../x", bytes: 1, sha256: "0" } } })),
    ).toThrow(/'files' must be/);
  });
});
