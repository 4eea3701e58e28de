/** The built playground served by `deriva playground` on a free port of 127.0.0.1, for the browser test and the scripts that drive it in Chromium. */
import { spawn } from "node:child_process";
import { resolve } from "node:path";

const CLI = resolve(import.meta.dirname, "../../cli/bin/deriva.js");

/** Starts the server; resolves with its origin (http://127.0.0.1:port) and a function that stops it. */
export async function servePlayground(): Promise<{ origin: string; stop: () => void }> {
  const server = spawn(process.execPath, [CLI, "playground", "--port", "0", "--host", "127.0.0.1"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const origin = await new Promise<string>((done, fail) => {
    let text = "";
    server.stdout.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      const url = /http:\/\/127\.0\.0\.1:\d+/.exec(text);
      if (url) done(url[0]);
    });
    server.once("exit", (code) => fail(new Error(`deriva playground exited with ${code}: ${text}`)));
  });
  return { origin, stop: () => server.kill() };
}
