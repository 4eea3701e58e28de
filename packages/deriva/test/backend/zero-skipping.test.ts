/**
 * The matrix product's zero skipping (assembly/gemm.ts): packed panels whose depth steps are
 * mostly zero are walked by a list of their nonzero steps. Checked against the JavaScript
 * reference on sparse operands of every layout, bit for bit against the dense walk, and for
 * IEEE's 0·Inf = NaN, which a skipped step must not lose.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import "../../src/index.js";
import type { MatmulParams } from "../../src/backend/backend.js";
import { jsBackend } from "../../src/backend/js/index.js";
import { createWasmBackend, wasmRuntime } from "../../src/backend/wasm/index.js";
import type { FloatArray } from "../../src/tensor/dtype.js";
import { Generator } from "../../src/tensor/random.js";
import { relativeError, toleranceFor } from "./cases.js";
import { forceWasmKernels } from "./force-wasm.js";

type FloatDType = "float32" | "float64";
const gen = new Generator(77);

/** Values in [-1, 1), each zero with probability `zeros`. */
function sparse(dtype: FloatDType, size: number, zeros: number): FloatArray {
  const out = dtype === "float32" ? new Float32Array(size) : new Float64Array(size);
  for (let i = 0; i < size; i++) out[i] = gen.uniform() < zeros ? 0 : 2 * gen.uniform() - 1;
  return out;
}

function params(m: number, k: number, n: number, transA: boolean, transB: boolean): MatmulParams {
  const zero = Int32Array.of(0);
  return { batch: 1, m, k, n, transA, transB, aOffsets: zero, bOffsets: zero };
}

describe.runIf(wasmRuntime() !== null)("the wasm matrix product skips zero depth steps exactly", () => {
  let restore: () => void = () => {};
  beforeAll(() => {
    restore = forceWasmKernels();
  });
  afterAll(() => restore());
  const wasm = createWasmBackend(wasmRuntime()!);

  function product(backend: typeof jsBackend, a: FloatArray, b: FloatArray, p: MatmulParams): FloatArray {
    const out = a instanceof Float32Array ? new Float32Array(p.m * p.n) : new Float64Array(p.m * p.n);
    backend.matmul(a, b, out, p);
    return out;
  }

  // [m, k, n]: k across a packed block (256) and m across a block of packed rows (128)
  const shapes: [number, number, number][] = [
    [64, 784, 128],
    [128, 64, 784],
    [133, 300, 21],
    [5, 517, 9],
  ];
  const layouts = [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ] as const;
  for (const dtype of ["float32", "float64"] as const) {
    for (const [m, k, n] of shapes) {
      for (const [transA, transB] of layouts) {
        for (const [zerosA, zerosB] of [
          [0.9, 0],
          [0, 0.9],
          [0.8, 0.8],
        ] as const) {
          const label = `${dtype} ${m}×${k}×${n} ${transA ? "Aᵀ" : "A"}${transB ? "Bᵀ" : "B"}, zeros ${zerosA}/${zerosB}`;
          it(`agrees with the reference: ${label}`, () => {
            const a = sparse(dtype, m * k, zerosA);
            const b = sparse(dtype, k * n, zerosB);
            const p = params(m, k, n, transA, transB);
            expect(relativeError(product(wasm, a, b, p), product(jsBackend, a, b, p))).toBeLessThanOrEqual(
              toleranceFor(`matmul ${dtype}`),
            );
          });
        }
      }
    }
  }

  it.each(["float32", "float64"] as const)(
    "gives a sparse row the same bits as the dense walk (%s)",
    (dtype) => {
      const k = 600;
      const n = 24;
      const rows = sparse(dtype, 4 * k, 0.9);
      const b = sparse(dtype, k * n, 0);
      const alone = product(wasm, rows, b, params(4, k, n, false, false));
      // row 0 again, in a panel with three dense rows: its panel has no zero step to skip
      const mixed = sparse(dtype, 4 * k, 0);
      mixed.set(rows.subarray(0, k));
      const dense = product(wasm, mixed, b, params(4, k, n, false, false));
      expect(Array.from(alone.subarray(0, n))).toEqual(Array.from(dense.subarray(0, n)));
    },
  );

  it.each(["float32", "float64"] as const)(
    "gives a sparse column the same bits as the dense walk (%s)",
    (dtype) => {
      const [m, k, n] = [12, 300, 8];
      const a = sparse(dtype, m * k, 0);
      const columns = sparse(dtype, k * n, 0.9);
      const alone = product(wasm, a, columns, params(m, k, n, false, false));
      // column 0 again beside seven dense columns
      const mixed = sparse(dtype, k * n, 0);
      for (let p = 0; p < k; p++) mixed[p * n] = columns[p * n]!;
      const dense = product(wasm, a, mixed, params(m, k, n, false, false));
      for (let i = 0; i < m; i++) expect(Object.is(alone[i * n], dense[i * n]), `row ${i}`).toBe(true);
    },
  );

  it.each([
    ["A", Number.POSITIVE_INFINITY],
    ["A", Number.NaN],
    ["B", Number.NEGATIVE_INFINITY],
    ["B", Number.NaN],
  ] as const)("keeps 0·x = NaN for x = %s's other operand holding %s", (sparseSide, value) => {
    const [m, k, n] = [16, 400, 16];
    const a = sparse("float32", m * k, sparseSide === "A" ? 0.95 : 0);
    const b = sparse("float32", k * n, sparseSide === "B" ? 0.95 : 0);
    // the non-finite value meets only zeros of the sparse side: in column 3 of B, or row 2 of A
    if (sparseSide === "A") {
      for (let i = 0; i < m; i++) a[i * k + 10] = 0;
      b[10 * n + 3] = value;
    } else {
      for (let j = 0; j < n; j++) b[20 * n + j] = 0;
      a[2 * k + 20] = value;
    }
    const p = params(m, k, n, false, false);
    const actual = product(wasm, a, b, p);
    const expected = product(jsBackend, a, b, p);
    const nanAt = (c: FloatArray) => [...c.keys()].filter((i) => Number.isNaN(c[i]!));
    expect(nanAt(expected).length).toBe(sparseSide === "A" ? m : n);
    expect(nanAt(actual)).toEqual(nanAt(expected));
  });
});
