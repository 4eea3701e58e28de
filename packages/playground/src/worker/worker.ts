/**
 * The playground's Web Worker: deriva runs here, never on the page, so the page keeps drawing at
 * 60 fps while a model trains. It answers the calls of protocol.ts; a long call reports progress
 * as events and checks for a stop request between steps.
 */

import { setDataUrl, setStopFlag, type TaskContext } from "./context";
import { handlers } from "./handlers";
import type { Method, Methods, Reply, Request } from "./protocol";

interface WorkerScope {
  postMessage(message: Reply, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<Request>) => void) | null;
}
const scope = self as unknown as WorkerScope;

/** The ids of calls asked to stop. */
const stopped = new Set<number>();

/** Typed arrays in a reply travel without copying. */
function transferables(value: unknown, found: Transferable[] = [], depth = 0): Transferable[] {
  if (ArrayBuffer.isView(value) && value.buffer instanceof ArrayBuffer) {
    if (!found.includes(value.buffer)) found.push(value.buffer);
  } else if (value !== null && typeof value === "object" && depth < 4) {
    for (const item of Object.values(value)) transferables(item, found, depth + 1);
  }
  return found;
}

async function run(id: number, method: Method, args: unknown): Promise<void> {
  const context: TaskContext = {
    emit: (event) => scope.postMessage({ kind: "event", id, event }),
    stopped: () => stopped.has(id),
  };
  try {
    const handler = handlers[method] as (a: unknown, c: TaskContext) => Promise<Methods[Method]["result"]>;
    const value = await handler(args, context);
    scope.postMessage({ kind: "result", id, value }, transferables(value));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    scope.postMessage({ kind: "error", id, message });
  } finally {
    stopped.delete(id);
  }
}

scope.onmessage = ({ data: request }) => {
  if (request.kind === "init") {
    setStopFlag(request.stop);
    setDataUrl(request.dataUrl);
  } else if (request.kind === "stop") stopped.add(request.id);
  else void run(request.id, request.method, request.args);
};
