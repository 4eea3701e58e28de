/**
 * Asks the worker for the latest inputs only: while one call runs, newer requests replace each
 * other, and the last one runs when the call returns (dragging a slider never queues up work).
 */
export function latestOnly<A, R>(
  run: (args: A) => Promise<R>,
  show: (result: R, args: A) => void,
  fail?: (error: Error) => void,
) {
  let running = false;
  let next: { args: A } | null = null;
  const pump = async () => {
    if (running || next === null) return;
    const { args } = next;
    next = null;
    running = true;
    try {
      show(await run(args), args);
    } catch (error) {
      if (fail) fail(error as Error);
      else console.error(error);
    } finally {
      running = false;
      void pump();
    }
  };
  return (args: A) => {
    next = { args };
    void pump();
  };
}
