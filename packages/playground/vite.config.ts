/**
 * The playground's build: a static site (relative URLs, so it can be served from any folder), the
 * chapters and the worker as separate chunks. `vite` (dev) serves it cross-origin isolated, as
 * `deriva playground` does, so the wasm backend can use threads.
 */
import { defineConfig } from "vite";

const isolation = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
};

export default defineConfig({
  base: "./",
  build: {
    target: "es2022",
    outDir: "dist",
    emptyOutDir: true,
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
  worker: { format: "es" },
  server: { headers: isolation },
  preview: { headers: isolation },
});
