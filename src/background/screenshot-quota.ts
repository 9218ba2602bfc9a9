/**
 * Chrome allows two captureVisibleTab calls per second per browser; a third
 * fails outright. Queueing calls at least `intervalMs` apart lets a volunteer
 * capture as fast as they click without ever hitting the limit.
 */
export function createRateGate(intervalMs: number, now: () => number = Date.now) {
  let nextFree = 0;
  return async function gate<T>(task: () => Promise<T>): Promise<T> {
    const start = Math.max(now(), nextFree);
    nextFree = start + intervalMs;
    const wait = start - now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    return task();
  };
}
