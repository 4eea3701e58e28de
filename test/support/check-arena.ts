/**
 * Every test runs with the WebAssembly arena checking itself (backend/wasm/heap.ts, checkArena):
 * each held copy it reuses is compared with its array, so a kernel input written outside the
 * backend fails the test that wrote it instead of silently reading stale values; and each block
 * a call allocates is followed by a guard, so a kernel writing past its block (its scratch
 * sized smaller than it uses) fails the test instead of corrupting a neighbour.
 */
import { checkArena } from "../../packages/deriva/src/backend/wasm/heap.js";

checkArena(true);
