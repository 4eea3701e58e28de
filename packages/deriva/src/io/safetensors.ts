/**
 * The safetensors format (github.com/huggingface/safetensors), read and written by our own code:
 *
 *   [8 bytes: N, unsigned little-endian] [N bytes: JSON header, padded with spaces to 8-byte alignment]
 *   [data: the tensors' bytes, little-endian, row-major, back to back]
 *
 * The header maps each tensor name to { dtype, shape, data_offsets: [begin, end] } (offsets into the
 * data part) and may hold "__metadata__": { string: string }. We write tensors in the order the
 * reference implementation (and so PyTorch's `safetensors.torch.save_file`) does: by dtype, widest
 * first, then by name; `safetensors.torch.load_file` reads our files. We read F32, F64, I32 and what
 * PyTorch users save besides: F16 and BF16 (widened to float32) and I64 (narrowed to int32, checked).
 * Reading validates the whole header before allocating anything, so a hostile file cannot make us
 * allocate what it does not hold.
 */
import { allocate, type DType, type TypedArray } from "../tensor/dtype.js";
import { formatShape } from "../tensor/shape.js";
import { fromValues } from "../tensor/storage.js";
import { Tensor } from "../tensor/tensor.js";
import { widenHalfFloats } from "./half-float.js";

/** The header cap of the reference implementation: larger headers are refused unread. */
export const MAX_HEADER_BYTES = 100_000_000;

/**
 * The stored dtypes read, each with the dtype it becomes and its bytes per value: PyTorch's float16
 * and bfloat16 weights are widened to float32, its int64 counters (num_batches_tracked) narrowed to int32.
 */
const STORED: Record<string, { dtype: DType; itemBytes: number }> = {
  F64: { dtype: "float64", itemBytes: 8 },
  F32: { dtype: "float32", itemBytes: 4 },
  I32: { dtype: "int32", itemBytes: 4 },
  F16: { dtype: "float32", itemBytes: 2 },
  BF16: { dtype: "float32", itemBytes: 2 },
  I64: { dtype: "int32", itemBytes: 8 },
};
const CODE_OF: Record<DType, string> = { float64: "F64", float32: "F32", int32: "I32" };
const ITEM_BYTES: Record<DType, number> = { float64: 8, float32: 4, int32: 4 };
/** Rank in the reference implementation's dtype order (its files list higher ranks first). */
const RANK: Record<DType, number> = { float64: 2, float32: 1, int32: 0 };
const OTHER_CODES = new Set(["BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "U32", "U64"]);
const METADATA_KEY = "__metadata__";

/** A decoded safetensors file: its tensors and its metadata. */
export interface SafetensorsContent {
  /** The tensors by name (as in a state dict: `0.weight`, `1.running_mean`). */
  tensors: Record<string, Tensor>;
  /** The string-to-string "__metadata__" of the header ({} when absent). */
  metadata: Record<string, string>;
}

/** Limits a decoder applies before allocating anything, so a hostile file cannot exhaust memory. */
export interface DecodeOptions {
  /** Refuse headers longer than this (default MAX_HEADER_BYTES, 100 MB). */
  maxHeaderBytes?: number;
  /** Refuse files whose tensors hold more bytes than this in all (default: no limit beyond the file). */
  maxBytes?: number;
}

/**
 * The bytes of a safetensors file holding `tensors` (float32 → F32, float64 → F64, int32 → I32)
 * and an optional string-to-string `metadata`.
 * @example
 * const bytes = io.encodeSafetensors({ "0.weight": ones([2, 3]), "0.bias": zeros([2]) }, { format: "pt" });
 * io.decodeSafetensors(bytes).tensors["0.weight"]!.shape; // [2, 3]
 */
export function encodeSafetensors(
  tensors: Record<string, Tensor>,
  metadata?: Record<string, string>,
): Uint8Array {
  checkHostEndianness();
  const names = Object.keys(tensors).sort((a, b) => {
    const ta = tensors[a]!;
    const tb = tensors[b]!;
    return RANK[tb.dtype] - RANK[ta.dtype] || compareCodePoints(a, b);
  });
  const entries: string[] = [];
  if (metadata !== undefined && Object.keys(metadata).length > 0) {
    for (const [key, value] of Object.entries(metadata)) {
      if (typeof value !== "string") {
        throw new Error(`safetensors: metadata '${key}' must be a string, got ${typeof value}`);
      }
    }
    entries.push(`${JSON.stringify(METADATA_KEY)}:${JSON.stringify(metadata)}`);
  }
  let offset = 0;
  const arrays = new Map<string, TypedArray>();
  for (const name of names) {
    const t = tensors[name]!;
    if (!(t instanceof Tensor)) throw new Error(`safetensors: '${name}' is not a Tensor`);
    if (name === "" || name === METADATA_KEY) {
      throw new Error(`safetensors: ${JSON.stringify(name)} cannot name a tensor`);
    }
    const values = t.data();
    arrays.set(name, values);
    const end = offset + values.byteLength;
    const info = { dtype: CODE_OF[t.dtype], shape: t.shape, data_offsets: [offset, end] };
    entries.push(`${JSON.stringify(name)}:${JSON.stringify(info)}`);
    offset = end;
  }
  // keys written by hand: a JS object would move integer-like names to the front
  const json = new TextEncoder().encode(`{${entries.join(",")}}`);
  const headerLength = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLength + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, headerLength, true);
  view.setUint32(4, 0, true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  let cursor = 8 + headerLength;
  for (const name of names) {
    const values = arrays.get(name)!;
    out.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), cursor);
    cursor += values.byteLength;
  }
  return out;
}

/** One tensor as a safetensors header describes it (offsets into the data part, in bytes). */
export interface SafetensorsEntry {
  /** The tensor's name in the header. */
  name: string;
  /** The dtype of the tensor read (float32 for F16 and BF16, int32 for I64). */
  dtype: DType;
  /** The dtype as stored: F32, F64, I32, F16, BF16 or I64. */
  stored: string;
  /** The tensor's shape. */
  shape: number[];
  /** Where its bytes start in the data part (an offset in bytes from dataStart). */
  begin: number;
  /** Where its bytes end in the data part (exclusive, in bytes from dataStart). */
  end: number;
}

/** A checked safetensors header: the tensors it describes, its metadata, and where the data starts. */
export interface SafetensorsHeader {
  /** The tensors the header lists, in the header's order (checked to tile the data part without gaps or overlaps). */
  entries: SafetensorsEntry[];
  /** The string-to-string "__metadata__" ({} when absent). */
  metadata: Record<string, string>;
  /** The byte offset of the data part in the file. */
  dataStart: number;
}

/**
 * Reads and checks a safetensors file's header without allocating any tensor: the header length
 * against the file and the cap, UTF-8 and JSON, every entry's dtype, shape (non-negative integer
 * dims, no overflow) and byte size against its data_offsets, and the offsets tiling the data part
 * exactly (in range, no overlap, no gap). Each refusal is an Error saying what is wrong.
 */
export function readSafetensorsHeader(bytes: Uint8Array, opts: DecodeOptions = {}): SafetensorsHeader {
  checkHostEndianness();
  const maxHeader = opts.maxHeaderBytes ?? MAX_HEADER_BYTES;
  if (bytes.length < 8) {
    throw new Error(
      `safetensors: the file is ${bytes.length} bytes long, too short for the 8-byte header length`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;
  if (headerLength > maxHeader) {
    throw new Error(`safetensors: the header length ${headerLength} exceeds the limit of ${maxHeader} bytes`);
  }
  if (8 + headerLength > bytes.length) {
    throw new Error(
      `safetensors: the header length ${headerLength} runs past the end of the file (${bytes.length} bytes): truncated or corrupt`,
    );
  }
  const header = parseHeader(bytes.subarray(8, 8 + headerLength));
  const dataLength = bytes.length - 8 - headerLength;
  if (opts.maxBytes !== undefined && dataLength > opts.maxBytes) {
    throw new Error(
      `safetensors: the tensors hold ${dataLength} bytes, more than the limit of ${opts.maxBytes}`,
    );
  }
  let metadata: Record<string, string> = {};
  const entries: SafetensorsEntry[] = [];
  for (const [name, value] of Object.entries(header)) {
    if (name === METADATA_KEY) metadata = checkMetadata(value);
    else entries.push(checkEntry(name, value));
  }
  checkTiling(entries, dataLength);
  return { entries, metadata, dataStart: 8 + headerLength };
}

/**
 * The tensors and metadata of a safetensors file. The whole header is checked first (see
 * readSafetensorsHeader), so nothing is allocated that the file does not hold.
 */
export function decodeSafetensors(bytes: Uint8Array, opts: DecodeOptions = {}): SafetensorsContent {
  const { entries, metadata, dataStart } = readSafetensorsHeader(bytes, opts);
  const data = bytes.subarray(dataStart);
  const tensors = entries.map((e): [string, Tensor] => [
    e.name,
    fromValues(storedValues(e, data.subarray(e.begin, e.end)), e.shape),
  ]);
  // fromEntries defines own properties, so a tensor named "__proto__" cannot touch the prototype
  return { tensors: Object.fromEntries(tensors), metadata };
}

function parseHeader(raw: Uint8Array): Record<string, unknown> {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(raw);
  } catch {
    throw new Error("safetensors: the header is not valid UTF-8");
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (error) {
    throw new Error(`safetensors: the header is not valid JSON (${(error as Error).message})`);
  }
  if (!isPlainObject(header)) throw new Error("safetensors: the header must be a JSON object");
  return header;
}

function checkMetadata(value: unknown): Record<string, string> {
  if (!isPlainObject(value)) throw new Error(`safetensors: ${METADATA_KEY} must be an object of strings`);
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== "string") {
      throw new Error(
        `safetensors: ${METADATA_KEY} entry '${key}' must be a string, got ${JSON.stringify(item)}`,
      );
    }
  }
  return value as Record<string, string>;
}

function checkEntry(name: string, value: unknown): SafetensorsEntry {
  const where = `safetensors: tensor '${name}'`;
  if (!isPlainObject(value)) throw new Error(`${where}: its header entry must be an object`);
  const { dtype: code, shape, data_offsets: offsets } = value;
  if (typeof code !== "string")
    throw new Error(`${where}: dtype must be a string, got ${JSON.stringify(code)}`);
  const stored = Object.hasOwn(STORED, code) ? STORED[code]! : undefined;
  if (stored === undefined) {
    throw new Error(
      OTHER_CODES.has(code)
        ? `${where}: dtype ${code} is not supported (deriva reads F32, F64, I32, F16, BF16 and I64)`
        : `${where}: unknown dtype ${JSON.stringify(code)}`,
    );
  }
  const dtype = stored.dtype;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new Error(
      `${where}: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`,
    );
  }
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) ||
    offsets[0] > offsets[1]
  ) {
    throw new Error(
      `${where}: data_offsets must be [begin, end] with 0 ≤ begin ≤ end, got ${JSON.stringify(offsets)}`,
    );
  }
  let byteSize = stored.itemBytes;
  for (const d of shape as number[]) {
    if (d !== 0 && byteSize > Number.MAX_SAFE_INTEGER / d) {
      throw new Error(`${where}: shape ${formatShape(shape)} is too large (its byte size overflows)`);
    }
    byteSize *= d;
  }
  const [begin, end] = offsets as [number, number];
  if (byteSize !== end - begin) {
    throw new Error(
      `${where}: shape ${formatShape(shape)} of ${code} needs ${byteSize} bytes, but data_offsets [${begin}, ${end}] hold ${end - begin}`,
    );
  }
  return { name, dtype, stored: code, shape: shape as number[], begin, end };
}

/** A tensor's bytes as the typed array of its dtype: copied, or widened (F16, BF16), or narrowed (I64). */
function storedValues(e: SafetensorsEntry, bytes: Uint8Array) {
  if (e.stored === "F16") return widenHalfFloats(bytes, "float16");
  if (e.stored === "BF16") return widenHalfFloats(bytes, "bfloat16");
  if (e.stored === "I64") {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return Int32Array.from({ length: bytes.length / 8 }, (_, i) => {
      const value = view.getBigInt64(8 * i, true);
      if (value > 2147483647n || value < -2147483648n) {
        throw new Error(
          `safetensors: tensor '${e.name}': the I64 value ${value} does not fit deriva's int32`,
        );
      }
      return Number(value);
    });
  }
  const values = allocate(e.dtype, bytes.length / ITEM_BYTES[e.dtype]);
  new Uint8Array(values.buffer).set(bytes);
  return values;
}

/** The entries' byte ranges must cover [0, dataLength) exactly: in range, no overlap, no gap. */
function checkTiling(entries: SafetensorsEntry[], dataLength: number): void {
  for (const e of entries) {
    if (e.end > dataLength) {
      throw new Error(
        `safetensors: tensor '${e.name}': data_offsets [${e.begin}, ${e.end}] run past the end of the data (${dataLength} bytes): truncated or corrupt`,
      );
    }
  }
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  let previous: SafetensorsEntry | null = null;
  for (const e of sorted) {
    if (e.begin < covered) {
      throw new Error(`safetensors: tensors '${previous!.name}' and '${e.name}' overlap in the data`);
    }
    if (e.begin > covered) {
      throw new Error(`safetensors: the data bytes [${covered}, ${e.begin}) belong to no tensor`);
    }
    covered = e.end;
    previous = e;
  }
  if (covered !== dataLength) {
    throw new Error(`safetensors: the data bytes [${covered}, ${dataLength}) belong to no tensor`);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Orders strings by Unicode code point, which is the byte order of their UTF-8 (the reference's order). */
function compareCodePoints(a: string, b: string): number {
  const ca = [...a];
  const cb = [...b];
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const d = ca[i]!.codePointAt(0)! - cb[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return ca.length - cb.length;
}

function checkHostEndianness(): void {
  // safetensors data is little-endian and we copy bytes as they are: every platform Node and
  // browsers run on is little-endian, but say so rather than read garbage
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
    throw new Error("safetensors: this platform is big-endian, which deriva does not support");
  }
}
