/**
 * Matrix multiply in plain TypeScript: both operands are packed into 4-wide panels (so the inner
 * loop reads memory sequentially whatever the transposition), then a 4×4 register tile of double
 * accumulators runs over k. About 3-4 GFLOP/s on one core: the WebAssembly backend is the fast path.
 */
import type { FloatArray } from "../arrays.js";
import type { MatmulParams } from "../backend.js";

const TILE = 4;
/** Scratch for a tile that sticks out of the matrix (reused: kernels run one at a time). */
const edgeTile = new Float64Array(TILE * TILE);

/**
 * Packing buffers reused across calls: a fresh Float64Array costs more than a small product.
 * Up to 64 Ki doubles each (512 KB) are kept; larger products allocate, their work dwarfs it.
 */
const KEPT_SCRATCH = 1 << 16;
const scratchBuffers = [new Float64Array(256), new Float64Array(256)];

/** At least `size` doubles of scratch buffer `which` (its contents are garbage). */
function scratch(which: 0 | 1, size: number): Float64Array {
  const kept = scratchBuffers[which]!;
  if (size <= kept.length) return kept;
  if (size > KEPT_SCRATCH) return new Float64Array(size);
  const grown = new Float64Array(Math.min(KEPT_SCRATCH, Math.max(size, 2 * kept.length)));
  scratchBuffers[which] = grown;
  return grown;
}

/**
 * Packs rows [r0, r0+4) of a matrix whose element (row, col) sits at base + row·rs + col·cs into
 * panel[col·4 + lane], zero-padding past `rows`.
 */
function packPanel(
  src: FloatArray,
  base: number,
  rs: number,
  cs: number,
  r0: number,
  rows: number,
  cols: number,
  panel: Float64Array,
): void {
  for (let lane = 0; lane < TILE; lane++) {
    const r = r0 + lane;
    if (r >= rows) {
      for (let c = 0; c < cols; c++) panel[c * TILE + lane] = 0;
      continue;
    }
    let si = base + r * rs;
    for (let c = 0; c < cols; c++, si += cs) panel[c * TILE + lane] = src[si]!;
  }
}

export function matmul(a: FloatArray, b: FloatArray, out: FloatArray, p: MatmulParams): void {
  const { m, k, n } = p;
  // element strides of op(A)[i, kk] and op(B)[kk, j] in storage
  const aRow = p.transA ? 1 : k;
  const aCol = p.transA ? m : 1;
  const bRow = p.transB ? 1 : n; // step in kk
  const bCol = p.transB ? k : 1; // step in j
  if (n === 1 || m === 1) {
    // a matrix times a vector (either side): packing into 4×4 tiles would waste most of the work
    for (let batch = 0; batch < p.batch; batch++) {
      const aBase = p.aOffsets[batch]!;
      const bBase = p.bOffsets[batch]!;
      const cBase = batch * m * n;
      if (n === 1) matrixVector(a, aBase, aRow, aCol, b, bBase, bRow, out, cBase, m, k);
      else matrixVector(b, bBase, bCol, bRow, a, aBase, aCol, out, cBase, n, k);
    }
    return;
  }
  const jBlocks = Math.ceil(n / TILE);
  const packedB = scratch(0, jBlocks * k * TILE);
  const packedA = scratch(1, k * TILE);
  for (let batch = 0; batch < p.batch; batch++) {
    const aBase = p.aOffsets[batch]!;
    const bBase = p.bOffsets[batch]!;
    const cBase = batch * m * n;
    // B's columns j.. j+3 become a panel indexed [kk][lane]: rows of op(Bᵀ)
    for (let jb = 0; jb < jBlocks; jb++) {
      packPanel(b, bBase, bCol, bRow, jb * TILE, n, k, packedB.subarray(jb * k * TILE, (jb + 1) * k * TILE));
    }
    for (let i0 = 0; i0 < m; i0 += TILE) {
      packPanel(a, aBase, aRow, aCol, i0, m, k, packedA);
      for (let jb = 0; jb < jBlocks; jb++) {
        microKernel(packedA, packedB, jb * k * TILE, k, out, cBase, i0, jb * TILE, m, n);
      }
    }
  }
}

/**
 * out[c + i] = Σ_kk M[i, kk]·v[kk] for i < rows, with M[i, kk] at mBase + i·mRow + kk·mCol and v[kk]
 * at vBase + kk·vStep; accumulated in doubles, walking M in memory order whichever way it is stored.
 */
function matrixVector(
  mat: FloatArray,
  mBase: number,
  mRow: number,
  mCol: number,
  v: FloatArray,
  vBase: number,
  vStep: number,
  out: FloatArray,
  c: number,
  rows: number,
  k: number,
): void {
  if (mCol === 1 || rows === 1) {
    for (let i = 0; i < rows; i++) {
      let sum = 0;
      for (let kk = 0, mi = mBase + i * mRow, vi = vBase; kk < k; kk++, mi += mCol, vi += vStep)
        sum += mat[mi]! * v[vi]!;
      out[c + i] = sum;
    }
    return;
  }
  // rows are strided (M stored transposed): sweep it column by column into double accumulators
  const acc = scratch(0, rows).fill(0, 0, rows);
  for (let kk = 0; kk < k; kk++) {
    const vk = v[vBase + kk * vStep]!;
    for (let i = 0, mi = mBase + kk * mCol; i < rows; i++, mi += mRow) acc[i]! += mat[mi]! * vk;
  }
  for (let i = 0; i < rows; i++) out[c + i] = acc[i]!;
}

/** C[i0..i0+4, j0..j0+4] = A panel · B panel, written back only inside the matrix. */
// biome-ignore format: the 4×4 tile is easier to check laid out as a grid
function microKernel(
  pa: Float64Array,
  pb: Float64Array,
  pbBase: number,
  k: number,
  out: FloatArray,
  cBase: number,
  i0: number,
  j0: number,
  m: number,
  n: number,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let kk = 0, ai = 0, bi = pbBase; kk < k; kk++, ai += TILE, bi += TILE) {
    const a0 = pa[ai]!, a1 = pa[ai + 1]!, a2 = pa[ai + 2]!, a3 = pa[ai + 3]!;
    const b0 = pb[bi]!, b1 = pb[bi + 1]!, b2 = pb[bi + 2]!, b3 = pb[bi + 3]!;
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
  }
  const rows = Math.min(TILE, m - i0);
  const cols = Math.min(TILE, n - j0);
  if (rows === TILE && cols === TILE) {
    let o = cBase + i0 * n + j0;
    out[o] = c00; out[o + 1] = c01; out[o + 2] = c02; out[o + 3] = c03; o += n;
    out[o] = c10; out[o + 1] = c11; out[o + 2] = c12; out[o + 3] = c13; o += n;
    out[o] = c20; out[o + 1] = c21; out[o + 2] = c22; out[o + 3] = c23; o += n;
    out[o] = c30; out[o + 1] = c31; out[o + 2] = c32; out[o + 3] = c33;
    return;
  }
  const tile = edgeTile;
  tile[0] = c00; tile[1] = c01; tile[2] = c02; tile[3] = c03;
  tile[4] = c10; tile[5] = c11; tile[6] = c12; tile[7] = c13;
  tile[8] = c20; tile[9] = c21; tile[10] = c22; tile[11] = c23;
  tile[12] = c30; tile[13] = c31; tile[14] = c32; tile[15] = c33;
  for (let r = 0; r < rows; r++) {
    const row = cBase + (i0 + r) * n + j0;
    for (let c = 0; c < cols; c++) out[row + c] = tile[r * TILE + c]!;
  }
}
