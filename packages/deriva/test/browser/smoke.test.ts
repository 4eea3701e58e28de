/**
 * The library in a real browser (Debian's Chromium through playwright-core), bundled by esbuild
 * the way an app bundles it:
 * - an ES module page: the kernels' .wasm asset loaded by URL (one file, the variant the browser
 *   needs), then a gradient, the WebAssembly matmul checked against the JavaScript one, a
 *   minimization and a few CNN training steps;
 * - a Web Worker of a cross-origin-isolated page (COOP/COEP headers): the thread pool's browser
 *   path, with a product split across threads equal to the one-thread product;
 * - IIFE bundles (classic scripts, no import.meta): one that falls back to the JavaScript
 *   backend, and one with deriva/wasm-inline that runs WebAssembly with no .wasm file served.
 */
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserTestsRun, collectErrors, launchChromium } from "../../../../test/support/chromium.js";

const ROOT = resolve(import.meta.dirname, "../..");
const HERE = import.meta.dirname;
const GENERATED = join(ROOT, "src/backend/wasm/generated");

async function bundle(entry: string, format: "esm" | "iife"): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: "browser",
    format,
    conditions: ["@deriva/source"],
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0]!.text;
}

describe.runIf(browserTestsRun)("deriva in headless Chromium", () => {
  const files = new Map<string, [string | Buffer, string]>();
  const requested: string[] = [];
  let server: Server | undefined;
  let browser: Browser | undefined;
  let origin = "";

  beforeAll(async () => {
    const library = await bundle(join(ROOT, "src/index.ts"), "esm");
    files.set("/deriva.js", [library, "text/javascript"]);
    files.set("/iife.js", [await bundle(join(HERE, "iife-main.ts"), "iife"), "text/javascript"]);
    files.set("/iife-inline.js", [await bundle(join(HERE, "iife-inline-app.ts"), "iife"), "text/javascript"]);
    for (const page of ["smoke.html", "worker.html"])
      files.set(`/${page}`, [readFileSync(join(HERE, page)), "text/html"]);
    files.set("/worker.js", [readFileSync(join(HERE, "worker.js")), "text/javascript"]);
    for (const [name, script] of [
      ["iife.html", "iife.js"],
      ["iife-inline.html", "iife-inline.js"],
    ]) {
      files.set(`/${name}`, [
        `<!doctype html><pre id="out">pending</pre><script src="${script}"></script>`,
        "text/html",
      ]);
    }
    server = createServer((request, response) => {
      const path = new URL(request.url ?? "/", "http://localhost").pathname;
      // /isolated/… serves the same files with the headers that make a page cross-origin isolated
      const isolated = path.startsWith("/isolated/");
      const name = isolated ? path.slice("/isolated".length) : path;
      requested.push(path);
      if (path === "/favicon.ico") {
        response.writeHead(204);
        response.end();
        return;
      }
      const wasm = name.match(/^\/generated\/(kernels-[a-z-]+\.wasm)$/);
      const [body, type] = wasm
        ? [readFileSync(join(GENERATED, wasm[1]!)), "application/wasm"]
        : (files.get(name) ?? []);
      if (body === undefined) {
        response.writeHead(404);
        response.end();
        return;
      }
      const headers: Record<string, string> = { "content-type": type! };
      if (isolated) {
        headers["cross-origin-opener-policy"] = "same-origin";
        headers["cross-origin-embedder-policy"] = "require-corp";
      }
      response.writeHead(200, headers);
      response.end(body);
    });
    await new Promise<void>((done) => server!.listen(0, "127.0.0.1", done));
    const address = server.address();
    origin = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  });

  /** Opens a page, waits until it prints a result, and returns it with the console errors. */
  async function run(path: string): Promise<{ report: string; errors: string[] }> {
    const page = await browser!.newPage();
    const errors = collectErrors(page);
    await page.goto(`${origin}${path}`);
    await page.waitForFunction('document.getElementById("out").textContent !== "pending"', null, {
      timeout: 50_000,
    });
    const report = (await page.textContent("#out")) ?? "";
    await page.close();
    return { report, errors };
  }

  it("bundles with Node built-ins only behind a run-time check", () => {
    const library = files.get("/deriva.js")![0] as string;
    expect(library).not.toMatch(/from\s*["']node:|require\(["']node:(?!worker_threads"\)\.workerData)/);
    expect(library).not.toMatch(/INLINE_KERNELS/); // the embedded kernels stay out unless asked for
  });

  it("loads one .wasm asset by URL and runs grad, the wasm matmul, minimize and CNN training", async () => {
    requested.length = 0;
    const { report, errors } = await run("/smoke.html");
    expect(errors).toEqual([]);
    expect(report).toMatch(/^OK/);
    expect(report).toMatch(/^backend wasm threads 1$/m);
    expect(requested.filter((path) => path.endsWith(".wasm"))).toEqual(["/generated/kernels-relaxed.wasm"]);
    expect(report).toMatch(/^grad 12$/m);
    expect(Number(report.match(/max diff (\S+)/)?.[1])).toBeLessThan(1e-3);
    expect(report).toMatch(/^minimize 2\.000000 after 74$/m);
    const [first, last] = report
      .match(/cnn loss (\S+) -> (\S+)/)!
      .slice(1)
      .map(Number);
    expect(last!).toBeLessThan(first! / 2);
  });

  it("splits kernels across Web Workers in a cross-origin-isolated worker, bit-identically", async () => {
    requested.length = 0;
    const { report, errors } = await run("/isolated/worker.html");
    expect(errors).toEqual([]);
    expect(report).toMatch(/^OK/);
    expect(report).toMatch(/^isolated true$/m);
    expect(Number(report.match(/^backend wasm threads (\d+)$/m)?.[1])).toBeGreaterThan(1);
    expect(report).toMatch(/^threaded equals one thread true$/m);
    // still threaded after the calls: the workers started (a pool that gave up reports 1)
    expect(JSON.parse(report.match(/^info (.*)$/m)![1]!).threads).toBeGreaterThan(1);
    expect(requested.filter((path) => path.endsWith(".wasm"))).toEqual([
      "/isolated/generated/kernels-relaxed-threads.wasm",
    ]);
  });

  it("runs as an IIFE bundle: the JavaScript backend without import.meta, WebAssembly with deriva/wasm-inline", async () => {
    requested.length = 0;
    const plain = await run("/iife.html");
    expect(plain.errors).toEqual([]);
    expect(plain.report).toBe("OK\nbackend js\ngrad 12");
    const inline = await run("/iife-inline.html");
    expect(inline.errors).toEqual([]);
    expect(inline.report).toBe("OK\nbackend wasm\ngrad 12");
    expect(requested.filter((path) => path.endsWith(".wasm"))).toEqual([]);
  });
});
