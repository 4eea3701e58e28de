/**
 * Convolution and pooling geometry arrive as a block of i32 in memory (written by the loader),
 * in the order of the TypeScript Conv2dParams / Pool2dParams records.
 */

// conv: n, cIn, h, w, cOut, kh, kw, strideH, strideW, padH, padW, outH, outW
export const C_N = 0, C_CIN = 1, C_H = 2, C_W = 3, C_COUT = 4, C_KH = 5, C_KW = 6;
export const C_SH = 7, C_SW = 8, C_PH = 9, C_PW = 10, C_OH = 11, C_OW = 12;
// pool: n, c, h, w, kh, kw, strideH, strideW, padH, padW, outH, outW
export const P_N = 0, P_C = 1, P_H = 2, P_W = 3, P_KH = 4, P_KW = 5;
export const P_SH = 6, P_SW = 7, P_PH = 8, P_PW = 9, P_OH = 10, P_OW = 11;

// @ts-ignore: decorator
@inline export function field(geometry: usize, index: i32): i32 {
  return load<i32>(geometry + (<usize>index << 2));
}
