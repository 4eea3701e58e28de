/**
 * The libraries compared: deriva on its js and wasm backends (wasm at 1 thread and at every core),
 * TensorFlow.js 4.22 on its cpu and wasm backends and jax-js on its wasm device, all in this
 * process, and PyTorch in a child process at 1 thread and at every core (lib/torch.ts).
 * TensorFlow.js and jax-js are devDependencies, loaded on demand. Importing tfjs-layers registers
 * tfjs's gradients in Node (bench/ANCHORS.md), and its chained ops (t.square()) are absent there,
 * so the workloads use its functional forms. jax-js's wasm device runs one thread in Node (its
 * worker pool needs a global Worker), and it must be started with init("wasm") there.
 */
import { listBackends, setBackend, setNumThreads } from "deriva";
import { loadJax } from "./jax.js";
import type { TorchRunner } from "./torch.js";

export type Tf = typeof import("@tensorflow/tfjs-core");

/** The libraries a run can compare (`--peers`). */
export const LIBRARIES = ["deriva", "tfjs", "jax", "torch"] as const;
export type Library = (typeof LIBRARIES)[number];

/** deriva's two ways to train: modules and optimizers, or valueAndGrad and a plain SGD update. */
export type DerivaApi = "nn" | "functional";

export type Peer =
  | {
      readonly lib: "deriva";
      readonly backend: "js" | "wasm";
      readonly threads: number;
      /** Set in the training workloads (W2, W3), which report both APIs. */
      readonly api?: DerivaApi;
    }
  | { readonly lib: "tfjs"; readonly backend: "cpu" | "wasm"; readonly threads: 1 }
  | { readonly lib: "jax"; readonly backend: "wasm"; readonly threads: 1 }
  | {
      readonly lib: "torch";
      readonly backend: "cpu";
      readonly threads: number;
      readonly runner: TorchRunner;
    };

/** A deriva peer (backend, threads, API). */
export type DerivaPeer = Extract<Peer, { lib: "deriva" }>;
/** A PyTorch peer (its child process and thread count). */
export type TorchPeer = Extract<Peer, { lib: "torch" }>;

export function peerName(peer: Peer): string {
  if (peer.lib === "torch") return "pytorch";
  if (peer.lib === "jax") return "jax-js wasm";
  return `${peer.lib} ${peer.backend}${peer.lib === "deriva" && peer.api ? ` ${peer.api}` : ""}`;
}

/** "deriva wasm (2 threads)": how check failures name a peer. */
export function peerLabel(peer: Peer): string {
  return `${peerName(peer)} (${peer.threads} thread${peer.threads === 1 ? "" : "s"})`;
}

let tfjs: Tf | null = null;

/** TensorFlow.js with its cpu and wasm backends and its gradients, or an Error when it is not installed. */
export async function loadTfjs(): Promise<Tf> {
  if (tfjs) return tfjs;
  const tf = await import("@tensorflow/tfjs-core");
  await import("@tensorflow/tfjs-backend-cpu");
  await import("@tensorflow/tfjs-backend-wasm");
  await import("@tensorflow/tfjs-layers");
  // production mode: no debug checks, and no greeting about tfjs-node in the middle of the tables
  tf.enableProdMode();
  tfjs = tf;
  return tf;
}

/** Makes `peer` the one that computes from now on (deriva's backend and threads, or tfjs's backend). */
export async function activate(peer: Peer): Promise<void> {
  if (peer.lib === "deriva") {
    setBackend(peer.backend);
    setNumThreads(peer.threads);
  } else if (peer.lib === "tfjs") {
    const tf = await loadTfjs();
    if (!(await tf.setBackend(peer.backend))) throw new Error(`tfjs backend ${peer.backend} failed to start`);
    await tf.ready();
  } else if (peer.lib === "jax") {
    await loadJax();
  }
}

/**
 * The peers of a run, from the libraries present: deriva js, deriva wasm at 1 and at `maxThreads`
 * threads, tfjs cpu and wasm, jax-js wasm, PyTorch at 1 and at `maxThreads` threads.
 */
export function allPeers(maxThreads: number, libs: ReadonlySet<Library>, torch: TorchRunner | null): Peer[] {
  const peers: Peer[] = [];
  const threadCounts = maxThreads > 1 ? [1, maxThreads] : [1];
  if (libs.has("deriva")) {
    peers.push({ lib: "deriva", backend: "js", threads: 1 });
    if (listBackends().includes("wasm"))
      for (const threads of threadCounts) peers.push({ lib: "deriva", backend: "wasm", threads });
  }
  if (libs.has("tfjs"))
    peers.push({ lib: "tfjs", backend: "cpu", threads: 1 }, { lib: "tfjs", backend: "wasm", threads: 1 });
  if (libs.has("jax")) peers.push({ lib: "jax", backend: "wasm", threads: 1 });
  if (torch)
    for (const threads of threadCounts) peers.push({ lib: "torch", backend: "cpu", threads, runner: torch });
  return peers;
}

/** The training workloads' peers: each deriva peer once per API (nn + optim, then valueAndGrad + SGD). */
export function withBothApis(peers: readonly Peer[]): Peer[] {
  return peers.flatMap((peer): Peer[] =>
    peer.lib === "deriva"
      ? [
          { ...peer, api: "nn" },
          { ...peer, api: "functional" },
        ]
      : [peer],
  );
}

/** The slow paths the quick run leaves out of the training workloads (deriva js, tfjs cpu). */
export function isSlowPath(peer: Peer): boolean {
  return (peer.lib === "deriva" && peer.backend === "js") || (peer.lib === "tfjs" && peer.backend === "cpu");
}
