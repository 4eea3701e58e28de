/**
 * `deriva playground`: the built page served with the cross-origin-isolation headers, gzipped,
 * nothing outside the page's folder, and one-line refusals of a bad port. (What the page does is
 * tested in packages/playground/test/browser.test.ts.)
 */
import { type ChildProcess, spawn } from "node:child_process";
import { request } from "node:http";
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, deriva, ensureBuilt } from "./cli.js";

/** A raw GET (the path sent as written, `..` included), with the response's status, headers and body size. */
function get(origin: string, path: string, headers: Record<string, string> = {}) {
  const { hostname, port } = new URL(origin);
  return new Promise<{
    status: number;
    headers: Record<string, string | string[] | undefined>;
    bytes: number;
  }>((done, fail) => {
    const req = request({ hostname, port, path, headers }, (response) => {
      let bytes = 0;
      response.on("data", (chunk: Buffer) => {
        bytes += chunk.length;
      });
      response.on("end", () => done({ status: response.statusCode ?? 0, headers: response.headers, bytes }));
    });
    req.on("error", fail);
    req.end();
  });
}

describe("deriva playground", () => {
  let server: ChildProcess | undefined;
  let origin = "";

  beforeAll(async () => {
    ensureBuilt();
    server = spawn(process.execPath, [CLI, "playground", "--port", "0"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    origin = await new Promise<string>((done, fail) => {
      let text = "";
      server!.stdout!.on("data", (chunk: Buffer) => {
        text += chunk.toString();
        const url = /http:\/\/127\.0\.0\.1:\d+/.exec(text);
        if (url) done(url[0]);
      });
      server!.once("exit", (code) => fail(new Error(`exited with ${code}: ${text}`)));
    });
  }, 600_000);

  afterAll(() => {
    server?.kill();
  });

  it("serves the page cross-origin isolated, gzipped where asked", async () => {
    const page = await get(origin, "/");
    expect(page.status).toBe(200);
    expect(page.headers["cross-origin-opener-policy"]).toBe("same-origin");
    expect(page.headers["cross-origin-embedder-policy"]).toBe("require-corp");
    expect(page.headers["content-type"]).toMatch(/^text\/html/);
    const plain = await get(origin, "/data/mnist.bin");
    const gzipped = await get(origin, "/data/mnist.bin", { "accept-encoding": "gzip" });
    expect(gzipped.headers["content-encoding"]).toBe("gzip");
    expect(gzipped.headers["cross-origin-embedder-policy"]).toBe("require-corp");
    expect(gzipped.bytes).toBeLessThan(plain.bytes / 2);
  });

  it("serves nothing outside the page's folder, and only GET and HEAD", async () => {
    expect((await get(origin, "/../package.json")).status).toBe(404);
    expect((await get(origin, "/%2e%2e/%2e%2e/package.json")).status).toBe(404);
    expect((await get(origin, "/no-such-file.js")).status).toBe(404);
  });

  it("refuses a bad port, or one in use, in one line", async () => {
    const bad = deriva(["playground", "--port", "99999"]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toBe("error: --port must be a whole number from 0 to 65535, got '99999'\n");
    const busy = createServer();
    await new Promise<void>((done) => busy.listen(0, "127.0.0.1", done));
    const port = (busy.address() as { port: number }).port;
    const inUse = deriva(["playground", "--port", String(port)]);
    busy.close();
    expect(inUse.status).toBe(1);
    expect(inUse.stderr).toBe(`error: port ${port} is in use on 127.0.0.1: choose another with --port\n`);
  });
});
