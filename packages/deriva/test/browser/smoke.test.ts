/**
 * The core in a real browser: the library bundled for the browser platform, loaded by headless
 * Chromium from a local server, computing a gradient, a matrix product on the WebAssembly backend
 * (checked against the JavaScript one), a minimization and a few CNN training steps
 * (smoke.html). Chromium comes from Debian (`apt-get install chromium`; .ci/run installs it).
 * Without it the test is skipped locally but fails in CI (CI=1), so it cannot pass silently there.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((path) => existsSync(path));
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--virtual-time-budget=30000",
];

/** Runs Chromium on `url` and returns the page's DOM once its scripts are done. */
async function dumpDom(url: string): Promise<string> {
  const userData = mkdtempSync(join(tmpdir(), "deriva-chromium-"));
  // asynchronously: the test process also serves the page
  const chromium = spawn(CHROMIUM!, [...FLAGS, `--user-data-dir=${userData}`, "--dump-dom", url]);
  let dom = "";
  chromium.stdout.on("data", (chunk) => {
    dom += chunk;
  });
  await new Promise((done) => chromium.on("close", done));
  return dom;
}

describe.skipIf(!CHROMIUM && !process.env.CI)("deriva in headless Chromium", () => {
  let bundle = "";
  let server: Server | undefined;
  let url = "";

  beforeAll(async () => {
    const result = await build({
      entryPoints: [join(ROOT, "src/index.ts")],
      bundle: true,
      platform: "browser",
      format: "esm",
      write: false,
      logLevel: "silent",
    });
    bundle = result.outputFiles[0]!.text;
    const page = readFileSync(join(import.meta.dirname, "smoke.html"), "utf8");
    server = createServer((request, response) => {
      const [body, type] = request.url === "/deriva.js" ? [bundle, "text/javascript"] : [page, "text/html"];
      response.writeHead(200, { "content-type": type });
      response.end(body);
    });
    await new Promise<void>((done) => server!.listen(0, "127.0.0.1", done));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/`;
  });

  afterAll(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

  it("bundles with Node built-ins only behind a run-time check", () => {
    expect(bundle).not.toMatch(/from\s*["']node:|require\(["']node:(?!worker_threads"\)\.workerData)/);
  });

  it("runs grad, the wasm matmul, minimize and CNN training in the page", async () => {
    expect(CHROMIUM, "Chromium is required in CI (apt-get install chromium)").toBeDefined();
    const dom = await dumpDom(url);
    const report = dom.match(/<pre id="out">([\s\S]*?)<\/pre>/)?.[1] ?? dom;
    expect(report).toMatch(/^OK/);
    expect(report).toMatch(/^backend wasm threads 1$/m);
    expect(report).toMatch(/^grad 12$/m);
    expect(Number(report.match(/max diff (\S+)/)?.[1])).toBeLessThan(1e-3);
    expect(report).toMatch(/^minimize 2\.000000 after 74$/m);
    const [first, last] = report
      .match(/cnn loss (\S+) -&gt; (\S+)/)!
      .slice(1)
      .map(Number);
    expect(last!).toBeLessThan(first! / 2);
  });
});
