/** What a running call can do (report progress, see a stop request), and the worker's settings from the page. */

export interface TaskContext {
  /** Sends a progress event to the page. */
  emit(event: unknown): void;
  /** Whether the page asked this call to stop (seen between awaits). */
  stopped(): boolean;
}

let stopFlag: Int32Array | null = null;
let dataUrl = "";

/** Shared memory the page writes to ask for a stop while the worker is busy (cross-origin isolated pages only). */
export function setStopFlag(buffer: SharedArrayBuffer | null): void {
  stopFlag = buffer === null ? null : new Int32Array(buffer);
}

/** Whether the page has raised the shared stop flag (false where there is no shared memory). */
export function stopRequested(): boolean {
  return stopFlag !== null && Atomics.load(stopFlag, 0) !== 0;
}

/** Lowers the shared stop flag before a run. */
export function clearStopFlag(): void {
  if (stopFlag !== null) Atomics.store(stopFlag, 0, 0);
}

/** Where the datasets are served (the page's data/ folder). */
export function setDataUrl(url: string): void {
  dataUrl = url;
}

/** The URL of a dataset file. */
export function dataFileUrl(name: string): string {
  return new URL(name, dataUrl).href;
}

/** Lets queued messages (a stop, a prediction) in between steps. */
export function yieldToMessages(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });
}
