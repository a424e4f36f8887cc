/**
 * Polling state that lives in other processes (a node's Status, a cluster's leader),
 * which cannot notify the runner. The one place that pauses between tries; waits on
 * the runner's own recorders use ConditionWaiters instead.
 */
import { setTimeout as sleep } from "node:timers/promises";

/** Pause between tries unless a caller says otherwise, ms. */
export const pollIntervalMs = 50;

/** Options of {@link pollUntil}. */
export interface PollOptions {
  /** Give up after this long, ms (the probe still runs at least once). */
  readonly timeoutMs: number;
  /** Pause between tries, ms; default {@link pollIntervalMs}. */
  readonly intervalMs?: number;
  /** Stops the polling at once. */
  readonly signal?: AbortSignal;
}

/**
 * Runs `probe` until it returns true.
 * @returns true when it did; false once `timeoutMs` has passed or `signal` aborted.
 */
export async function pollUntil(probe: () => Promise<boolean> | boolean, o: PollOptions): Promise<boolean> {
  const deadline = performance.now() + o.timeoutMs;
  for (;;) {
    if (await probe()) return true;
    if (performance.now() >= deadline || o.signal?.aborted) return false;
    try {
      await sleep(o.intervalMs ?? pollIntervalMs, undefined, o.signal ? { signal: o.signal } : {});
    } catch {
      return false; // aborted during the pause
    }
  }
}
