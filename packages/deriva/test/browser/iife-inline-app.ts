/** The same app with the kernels embedded (deriva/wasm-inline): a single file that still runs WebAssembly. */
import "deriva/wasm-inline";
import { runApp } from "./iife-app.js";

runApp();
