/**
 * PyTorch as a peer: bench/pytorch/peer.py (Debian's python3-torch) in a child process per thread
 * count, serving the workloads one request at a time (torch is imported once per process). The
 * suite writes each workload's arrays (data, data order, initial weights: the ones the JavaScript
 * peers use) as raw files into a folder of its own, the script times the work and answers with
 * its raw results as JSON, and the workload applies its usual check. The children run with
 * OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (bench/WORKLOADS.md).
 */
import { type ChildProcessByStdio, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(new URL("../pytorch/peer.py", import.meta.url));

/** An array passed to the script: its values (row-major) and shape. */
export interface TorchInput {
  readonly values: Float32Array | Int32Array;
  readonly shape: readonly number[];
}

/** An array the script wrote back (float32). */
export interface TorchOutput {
  readonly file: string;
  readonly dtype: "float32";
  readonly shape: readonly number[];
}

/** What peer.py reports about the BLAS that torch's matmul called. */
interface BlasInfo {
  readonly libraries: readonly string[];
  readonly name?: string;
  readonly version?: string;
  readonly threading?: string;
  readonly architecture?: string;
  readonly threads?: number;
}

/** What every result carries besides the workload's own fields. */
export interface TorchMeta {
  readonly torch: string;
  /** torch.get_num_threads() after the script set it. */
  readonly threads: number;
  readonly blas: BlasInfo;
}

/** "OpenBLAS 0.3.21 (pthreads, Cooperlake kernels)", or the library's file when it is not OpenBLAS. */
export function describeBlas(blas: BlasInfo): string {
  if (blas.name === "openblas") {
    const details = [blas.threading, blas.architecture && `${blas.architecture} kernels`].filter(Boolean);
    return `OpenBLAS ${blas.version ?? ""}${details.length > 0 ? ` (${details.join(", ")})` : ""}`;
  }
  const files = blas.libraries.join(", ") || "none found";
  return blas.libraries.some((l) => l.includes("openblas"))
    ? `OpenBLAS (${files}; python3-threadpoolctl gives its version and kernels)`
    : `not OpenBLAS: ${files} (install libopenblas0-pthread)`;
}

/**
 * The child's environment: OpenBLAS free to pick its kernels for this CPU (WORKLOADS.md), and its
 * pool sized to `threads` from the start, which holds even where threadpoolctl is not installed.
 */
function environment(threads: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: String(threads) };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return env;
}

/** A peer.py process serving one thread count: its replies, one JSON line per request, in order. */
class Server {
  private readonly child: ChildProcessByStdio<Writable, Readable, Readable>;
  private readonly replies: ((line: string | Error) => void)[] = [];
  private stderr = "";

  constructor(python: string, threads: number) {
    this.child = spawn(python, [SCRIPT, "--threads", String(threads)], {
      env: environment(threads),
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.child.stderr.on("data", (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-4000);
    });
    createInterface({ input: this.child.stdout }).on("line", (line) => this.replies.shift()?.(line));
    const fail = (why: string) => {
      const error = new Error(why);
      for (const reply of this.replies.splice(0)) reply(error);
    };
    this.child.on("error", (error) => fail(`PyTorch peer: cannot run ${python}: ${error.message}`));
    this.child.on("close", (code) => {
      const last = this.stderr.trim().split("\n").at(-1) || `exit code ${code}`;
      fail(`PyTorch peer (${threads} threads) stopped: ${last}`);
    });
  }

  /** The next line the process prints (its greeting, then one per request). */
  next(request?: object): Promise<unknown> {
    const line = new Promise<string | Error>((resolve) => this.replies.push(resolve));
    if (request) this.child.stdin.write(`${JSON.stringify(request)}\n`);
    return line.then((reply) => {
      if (reply instanceof Error) throw reply;
      const parsed = JSON.parse(reply) as { error?: string };
      if (parsed.error) throw new Error(`PyTorch peer: ${parsed.error}`);
      return parsed;
    });
  }

  close(): void {
    this.child.stdin.end();
  }
}

/** What a peer.py process says first: torch's version, its threads and the BLAS it calls. */
async function greeting(server: Server, threads: number): Promise<TorchMeta> {
  const meta = (await server.next()) as TorchMeta;
  const blasThreads = meta.blas.threads;
  if (meta.threads !== threads || (blasThreads !== undefined && blasThreads !== threads)) {
    server.close();
    throw new Error(
      `PyTorch peer: asked for ${threads} threads, torch uses ${meta.threads} and its BLAS ${blasThreads}`,
    );
  }
  return meta;
}

/** Runs the workloads of bench/pytorch/peer.py: a process per thread count, one folder of inputs. */
export class TorchRunner {
  /** "torch 1.13.0a0, OpenBLAS 0.3.21 (pthreads, Cooperlake kernels)". */
  readonly description: string;
  private readonly folder = mkdtempSync(join(tmpdir(), "deriva-bench-torch-"));
  /** Arrays already written, by file name: the same array is written once per run of the suite. */
  private readonly written = new Map<string, TorchInput["values"]>();
  private readonly servers = new Map<number, Promise<Server>>();

  private constructor(
    private readonly python: string,
    first: Server,
    meta: TorchMeta,
  ) {
    this.description = `torch ${meta.torch}, ${describeBlas(meta.blas)}`;
    this.servers.set(1, Promise.resolve(first));
  }

  /**
   * A runner (its 1-thread process started), or why PyTorch cannot run here: no interpreter at
   * `python`, or no torch in it. Any other failure is an Error.
   */
  static async start(python: string): Promise<TorchRunner | string> {
    const first = new Server(python, 1);
    try {
      return new TorchRunner(python, first, await greeting(first, 1));
    } catch (error) {
      const message = (error as Error).message;
      if (message.includes("ENOENT")) return `no Python interpreter at ${python}`;
      if (message.includes("No module named 'torch'"))
        return `${python} cannot import torch (Debian: apt-get install python3-torch)`;
      throw error;
    }
  }

  private server(threads: number): Promise<Server> {
    let server = this.servers.get(threads);
    if (!server) {
      const started = new Server(this.python, threads);
      server = greeting(started, threads).then(() => started);
      this.servers.set(threads, server);
    }
    return server;
  }

  /** Runs `workload` on `threads` threads with `settings` and `arrays`; the script's JSON result. */
  async run<R>(
    workload: string,
    threads: number,
    settings: Record<string, unknown>,
    arrays: Record<string, TorchInput>,
  ): Promise<R & TorchMeta> {
    const described: Record<string, { file: string; dtype: string; shape: readonly number[] }> = {};
    for (const [name, { values, shape }] of Object.entries(arrays)) {
      const file = `${name}.bin`;
      if (this.written.get(file) !== values) {
        writeFileSync(
          join(this.folder, file),
          new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
        );
        this.written.set(file, values);
      }
      const dtype = values instanceof Float32Array ? "float32" : "int32";
      described[name] = { file, dtype, shape };
    }
    writeFileSync(join(this.folder, "spec.json"), JSON.stringify({ ...settings, arrays: described }));
    const server = await this.server(threads);
    return (await server.next({ workload, folder: this.folder })) as R & TorchMeta;
  }

  /** An array the script wrote back. */
  read(output: TorchOutput): Float32Array {
    const bytes = readFileSync(join(this.folder, output.file));
    return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  }

  /** Ends the processes and removes the folder of inputs and outputs. */
  async close(): Promise<void> {
    for (const server of this.servers.values()) (await server.catch(() => null))?.close();
    rmSync(this.folder, { recursive: true, force: true });
  }
}
