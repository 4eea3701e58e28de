/**
 * The library's version, written into saved models (kept equal to package.json by a test).
 *
 * @example VERSION // "0.1.0"
 */
export const VERSION = "0.1.0";
