/**
 * The slice of the WebAssembly JavaScript API the backend uses, typed here: the project's Node
 * configuration has no DOM library (where TypeScript declares WebAssembly), and the browser one
 * has no Node types, so neither declaration can be relied on in both.
 */

export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(pages: number): number;
}

/** A compiled module (opaque; workers receive it to instantiate the same code). */
export interface WasmModule {
  readonly __wasmModule?: never;
}

export interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => WasmModule;
  compile?: (bytes: Uint8Array) => Promise<WasmModule>;
  Instance: new (module: WasmModule, imports: object) => { readonly exports: object };
  validate(bytes: Uint8Array): boolean;
}

/** The host's WebAssembly object, or undefined where there is none. */
export const wasmApi: WasmApi | undefined = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
