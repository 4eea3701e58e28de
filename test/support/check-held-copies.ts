/**
 * Every test runs with the WebAssembly arena comparing each held copy it reuses with its array
 * (backend/wasm/heap.ts): a kernel input written outside the backend then fails the test that
 * wrote it, instead of silently reading stale values.
 */
import { checkHeldCopies } from "../../packages/deriva/src/backend/wasm/heap.js";

checkHeldCopies(true);
