/**
 * Waits until `condition` holds, checking after each turn of the event loop,
 * so tests synchronise on outcomes instead of fixed sleeps.
 * @param timeoutMs a generous bound on real time. Default 5000.
 * @throws Error naming `what` when the bound passes first.
 */
export async function waitFor(condition: () => boolean, what = "condition", timeoutMs = 5_000): Promise<void> {
  const startMs = Date.now();
  while (!condition()) {
    if (Date.now() - startMs > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise<void>((resolve) => setTimeout(resolve, 1));
  }
}
