/**
 * Keeps the memory of freed op results mapped on Linux, where Node allocates typed arrays with
 * glibc's malloc. At first glibc gives a freed block of 128 KB or more straight back to the
 * system, and trims the top of its heap beyond 128 KB free, so that the next result of that size
 * gets fresh pages, and each page faults in on first write. On this project's VM a fault costs
 * 5–12 µs: a 256 KB result took 0.3–0.7 ms to fill, as long as the n = 256 matrix product that
 * wrote it.
 *
 * glibc raises both limits by itself when it frees a mapped block of up to 32 MB: the mapping
 * limit to that block's size, the trim limit to twice that (its "dynamic mmap threshold"). One
 * buffer of just under 32 MB, allocated and dropped when the engine starts, gets that done
 * early instead of by chance. Measured on 14 × 190 products at n = 256 (one thread): 40–44 thousand
 * page faults instead of 88–102 thousand, and 42–43 GFLOP/s from the second batch of 190 on
 * instead of 21–31 until the fifth to tenth. The buffer is never written, so it never becomes
 * resident; the price is that up to 62 MB of freed heap stays with the process for reuse.
 * Other allocators (macOS, browsers) simply map and unmap the buffer.
 */

/** Just under glibc's largest dynamic threshold (32 MB on 64-bit systems). */
const PRIME_BYTES = 31 * 1024 * 1024;

let primed = false;

/** Once per process, under Node: allocates and drops the buffer described above. */
export function primeHostAllocator(): void {
  if (primed) return;
  primed = true;
  const host = globalThis as { process?: { versions?: { node?: string } } };
  if (!host.process?.versions?.node) return;
  try {
    new ArrayBuffer(PRIME_BYTES);
  } catch {
    // no memory to spare for it: results are allocated as before
  }
}
