/**
 * The values of an ONNX TensorProto (an initializer or a Constant), checked before anything is
 * allocated: the data must be inside the file (no external data), and its size must be what the
 * dims declare, so a tensor that claims more than the file holds is refused unread.
 */
import { bfloat16ToNumber, float16ToNumber, widenHalfFloats } from "../io/half-float.js";
import { OnnxError, quote } from "./errors.js";
import { type TensorProto, TensorProto_DataLocation, TensorProto_DataType } from "./protobuf.js";

/** A float tensor read from the file: its shape and its values widened or narrowed to float32. */
export interface FloatValues {
  dims: number[];
  values: Float32Array;
}

const Type = TensorProto_DataType;
/** Bytes per value in raw_data, for the float types deriva reads. */
const FLOAT_BYTES = new Map<number, number>([
  [Type.FLOAT, 4],
  [Type.DOUBLE, 8],
  [Type.FLOAT16, 2],
  [Type.BFLOAT16, 2],
]);

/** The float values of `t` (FLOAT, DOUBLE, FLOAT16 or BFLOAT16) as float32. `where` names it in errors. */
export function readFloats(t: TensorProto, where: string): FloatValues {
  const { dims, size } = checkedDims(t, where);
  const itemBytes = FLOAT_BYTES.get(t.dataType);
  if (itemBytes === undefined) {
    throw new OnnxError(`${where}: holds ${typeName(t.dataType)} values, deriva reads float tensors here`);
  }
  if (t.rawData.length > 0 || size === 0) {
    checkCount(t.rawData.length, size * itemBytes, where, "bytes");
    return { dims, values: fromRaw(t.rawData, t.dataType) };
  }
  if (t.dataType === Type.FLOAT) {
    checkCount(t.floatData.length, size, where, "values");
    return { dims, values: Float32Array.from(t.floatData) };
  }
  if (t.dataType === Type.DOUBLE) {
    checkCount(t.doubleData.length, size, where, "values");
    return { dims, values: Float32Array.from(t.doubleData) };
  }
  // 16-bit floats without raw_data sit one per int32_data entry, as their bit patterns
  checkCount(t.int32Data.length, size, where, "values");
  const widen = t.dataType === Type.FLOAT16 ? float16ToNumber : bfloat16ToNumber;
  return { dims, values: Float32Array.from(t.int32Data, (bits) => widen(bits & 0xffff)) };
}

/** The values of an INT64 tensor (a Reshape's shape) as numbers, which must be safe integers. */
export function readInt64s(t: TensorProto, where: string): number[] {
  const { size } = checkedDims(t, where);
  if (t.dataType !== Type.INT64) {
    throw new OnnxError(`${where}: holds ${typeName(t.dataType)} values, expected INT64`);
  }
  let values: bigint[];
  if (t.rawData.length > 0 || size === 0) {
    checkCount(t.rawData.length, size * 8, where, "bytes");
    const view = new DataView(t.rawData.buffer, t.rawData.byteOffset, t.rawData.byteLength);
    values = Array.from({ length: size }, (_, i) => view.getBigInt64(8 * i, true));
  } else {
    checkCount(t.int64Data.length, size, where, "values");
    values = t.int64Data;
  }
  return values.map((v) => {
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new OnnxError(`${where}: the value ${v} is out of range`);
    }
    return Number(v);
  });
}

/** Refuses data kept outside the file, and dims that are negative or multiply past 2⁵³. */
function checkedDims(t: TensorProto, where: string): { dims: number[]; size: number } {
  if (t.dataLocation === TensorProto_DataLocation.EXTERNAL || t.externalData.length > 0) {
    const file = t.externalData.find((e) => e.key === "location")?.value;
    throw new OnnxError(
      `${where}: its data is in an external file${file ? ` (${quote(file)})` : ""}; deriva reads self-contained files (save the model with its tensors inside: onnx.save(model, path, save_as_external_data=False))`,
    );
  }
  if (t.segment !== undefined)
    throw new OnnxError(`${where}: a segmented tensor, which deriva does not read`);
  let size = 1;
  const dims = t.dims.map((d) => {
    if (d < 0n || d > BigInt(Number.MAX_SAFE_INTEGER))
      throw new OnnxError(`${where}: dimension ${d} is invalid`);
    const n = Number(d);
    if (n !== 0 && size > Number.MAX_SAFE_INTEGER / n) {
      throw new OnnxError(
        `${where}: declares dims [${t.dims.join(", ")}], far more values than any file holds`,
      );
    }
    size *= n;
    return n;
  });
  return { dims, size };
}

function checkCount(actual: number, expected: number, where: string, unit: string): void {
  if (actual !== expected) {
    throw new OnnxError(
      `${where}: its dims need ${expected} ${unit} of data but the file holds ${actual}: truncated or corrupt`,
    );
  }
}

function fromRaw(raw: Uint8Array, dataType: TensorProto_DataType): Float32Array {
  if (dataType === Type.FLOAT16) return widenHalfFloats(raw, "float16");
  if (dataType === Type.BFLOAT16) return widenHalfFloats(raw, "bfloat16");
  // copy into an aligned buffer first: raw_data may start at any byte of the file
  const copy = new Uint8Array(raw);
  return dataType === Type.FLOAT
    ? new Float32Array(copy.buffer)
    : Float32Array.from(new Float64Array(copy.buffer));
}

function typeName(dataType: TensorProto_DataType): string {
  return Type[dataType] ?? `data type ${dataType}`;
}
