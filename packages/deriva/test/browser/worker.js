// Runs in a module Web Worker: loads deriva, waits for the kernels and their threads, then checks
// that a product split across threads equals the one-thread product bit for bit.
try {
  const d = await import("./deriva.js");
  const lines = [`isolated ${self.crossOriginIsolated}`];
  const name = await d.ready();
  lines.push(`backend ${name} threads ${d.getNumThreads()}`);
  d.manualSeed(1);
  const a = d.randn([512, 512]);
  const b = d.randn([512, 512]);
  const threaded = d.matmul(a, b).data();
  const threads = d.getNumThreads();
  d.setNumThreads(1);
  const single = d.matmul(a, b).data();
  d.setNumThreads(threads);
  let same = threaded.length === single.length;
  for (let i = 0; same && i < single.length; i++) same = threaded[i] === single[i];
  lines.push(`threaded equals one thread ${same}`);
  lines.push(`info ${JSON.stringify(d.wasmInfo())}`);
  postMessage(`OK\n${lines.join("\n")}`);
} catch (e) {
  postMessage(`FAILED ${e.message}\n${e.stack}`);
}
