/**
 * `deriva playground [--port 8080] [--host 127.0.0.1] [--open]`: serves the built playground
 * (the @deriva/playground package's dist/) with the two headers that make a page cross-origin
 * isolated, so deriva's WebAssembly kernels can use threads there:
 *   Cross-Origin-Opener-Policy: same-origin
 *   Cross-Origin-Embedder-Policy: require-corp
 * The page is a static site and works from any server; without these headers it runs on one thread.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createRequire } from "node:module";
import { dirname, extname, join, normalize, sep } from "node:path";
import { gzipSync } from "node:zlib";
import type { Command } from "commander";
import { UserError } from "../errors.js";

const EXAMPLES = `
Examples:
  $ deriva playground                          http://127.0.0.1:8080/
  $ deriva playground --port 3000 --open       on another port, opened in the browser
  $ deriva playground --host 0.0.0.0           reachable from other machines (a phone on the same network)`;

/** The headers that make the page cross-origin isolated (SharedArrayBuffer, so threads). */
export const ISOLATION_HEADERS = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
  "Cross-Origin-Resource-Policy": "same-origin",
} as const;

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".bin": "application/octet-stream",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

interface PlaygroundFlags {
  port: string;
  host: string;
  open?: boolean;
}

/** The folder of the built page: the @deriva/playground package's dist/. */
function builtPage(): string {
  let manifest: string;
  try {
    manifest = createRequire(import.meta.url).resolve("@deriva/playground/package.json");
  } catch {
    throw new UserError(
      "the playground is not installed: install @deriva/playground (in the deriva repository, npm ci installs and builds it)",
    );
  }
  const dist = join(dirname(manifest), "dist");
  if (!existsSync(join(dist, "index.html"))) {
    throw new UserError(`the playground is not built (${dist} has no index.html): run npm run build`);
  }
  return dist;
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535)
    throw new UserError(`--port must be a whole number from 0 to 65535, got '${text}'`);
  return port;
}

/** A request handler serving `root`'s files (GET and HEAD), gzipped where the client accepts it. */
export function staticFiles(root: string): (request: IncomingMessage, response: ServerResponse) => void {
  const gzipped = new Map<string, Buffer>();
  return (request, response) => {
    const headers: Record<string, string> = { ...ISOLATION_HEADERS };
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, { ...headers, Allow: "GET, HEAD" }).end();
      return;
    }
    let path: string;
    try {
      path = decodeURIComponent(new URL(request.url ?? "/", "http://localhost").pathname);
    } catch {
      response.writeHead(400, headers).end();
      return;
    }
    let file = normalize(join(root, path));
    if (file !== root && !file.startsWith(root + sep)) {
      response.writeHead(404, headers).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404, { ...headers, "Content-Type": "text/plain" }).end("not found\n");
      return;
    }
    const type = TYPES[extname(file)] ?? "application/octet-stream";
    headers["Content-Type"] = type;
    // content-hashed assets never change; the page itself is checked each time
    headers["Cache-Control"] = file.includes(`${sep}assets${sep}`)
      ? "public, max-age=31536000, immutable"
      : "no-cache";
    let body: Buffer = readFileSync(file);
    const compressible = !/^image\/png|^image\/x-icon/.test(type);
    if (compressible && /\bgzip\b/.test(String(request.headers["accept-encoding"] ?? ""))) {
      const cached = gzipped.get(file) ?? gzipSync(body);
      gzipped.set(file, cached);
      body = cached;
      headers["Content-Encoding"] = "gzip";
      headers.Vary = "Accept-Encoding";
    }
    headers["Content-Length"] = String(body.length);
    response.writeHead(200, headers);
    response.end(request.method === "HEAD" ? undefined : body);
  };
}

/** Opens a URL in the default browser (best effort: a failure is reported, not fatal). */
function openBrowser(url: string): void {
  const [command, args] =
    process.platform === "darwin"
      ? ["open", [url]]
      : process.platform === "win32"
        ? ["cmd", ["/c", "start", "", url]]
        : ["xdg-open", [url]];
  const child = spawn(command, args, { stdio: "ignore", detached: true });
  child.on("error", () =>
    process.stderr.write(`could not open a browser (${command}): open ${url} yourself\n`),
  );
  child.unref();
}

/** Adds `deriva playground` to the program. */
export function registerPlayground(program: Command): void {
  program
    .command("playground")
    .description(
      "serve the playground (the founding document's path, live in the browser), cross-origin isolated",
    )
    .option("--port <n>", "the port to listen on (0: any free port)", "8080")
    .option("--host <address>", "the address to listen on", "127.0.0.1")
    .option("--open", "open the page in the default browser")
    .addHelpText("after", EXAMPLES)
    .action(async (flags: PlaygroundFlags) => {
      const port = parsePort(flags.port);
      const root = builtPage();
      const server = createServer(staticFiles(root));
      await new Promise<void>((resolve, reject) => {
        server.once("error", (error: NodeJS.ErrnoException) => {
          const why =
            error.code === "EADDRINUSE"
              ? `port ${port} is in use on ${flags.host}: choose another with --port`
              : `cannot listen on ${flags.host}:${port}: ${error.message}`;
          reject(new UserError(why));
        });
        server.listen(port, flags.host, resolve);
      });
      const address = server.address();
      const actual = typeof address === "object" && address !== null ? address.port : port;
      const host = flags.host.includes(":") ? `[${flags.host}]` : flags.host;
      const url = `http://${host}:${actual}/`;
      process.stdout.write(
        `deriva playground at ${url} (cross-origin isolated: COOP same-origin, COEP require-corp); Ctrl-C stops it\n`,
      );
      if (flags.open) openBrowser(url);
      const stop = () => {
        server.close(() => process.exit(0));
        server.closeAllConnections();
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
      await new Promise<void>((resolve) => server.once("close", resolve));
    });
}
