/**
 * The libraries compared, in one process: deriva on its js and wasm backends (wasm at 1 thread
 * and at every core), and TensorFlow.js 4.22 on its cpu and wasm backends. TensorFlow.js is a
 * devDependency, loaded on demand; importing tfjs-layers registers its gradients in Node
 * (bench/ANCHORS.md), and its chained ops (t.square()) are absent there, so the workloads
 * use its functional forms.
 */
import { getNumThreads, listBackends, setBackend, setNumThreads } from "deriva";

export type Tf = typeof import("@tensorflow/tfjs-core");

export type Peer =
  | { readonly lib: "deriva"; readonly backend: "js" | "wasm"; readonly threads: number }
  | { readonly lib: "tfjs"; readonly backend: "cpu" | "wasm"; readonly threads: 1 };

export function peerName(peer: Peer): string {
  return `${peer.lib} ${peer.backend}`;
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
    return;
  }
  const tf = await loadTfjs();
  if (!(await tf.setBackend(peer.backend))) throw new Error(`tfjs backend ${peer.backend} failed to start`);
  await tf.ready();
}

/** The peers of a run: deriva js, deriva wasm at 1 and at `maxThreads` threads, tfjs cpu and wasm. */
export function allPeers(maxThreads: number, withTfjs: boolean): Peer[] {
  const peers: Peer[] = [{ lib: "deriva", backend: "js", threads: 1 }];
  if (listBackends().includes("wasm")) {
    peers.push({ lib: "deriva", backend: "wasm", threads: 1 });
    if (maxThreads > 1) peers.push({ lib: "deriva", backend: "wasm", threads: maxThreads });
  }
  if (withTfjs)
    peers.push({ lib: "tfjs", backend: "cpu", threads: 1 }, { lib: "tfjs", backend: "wasm", threads: 1 });
  return peers;
}

/** The number of threads deriva's wasm backend would use by default (the cores). */
export function defaultThreads(): number {
  return getNumThreads();
}
