import type { Clock, Random } from "./core/clock.js";

/**
 * Waiting, for the impure layer: backoff sleeps and the listen watchdog. Tests
 * pass a manual implementation (`@synod/sdk/testing`) so no real timer runs.
 */
export interface Scheduler {
  /**
   * Resolves after `ms`; rejects with the signal's reason if it aborts first.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * Calls `fn` once after `ms` unless cancelled.
   * @returns a function that cancels the timer.
   */
  after(ms: number, fn: () => void): () => void;
}

/** The clock of the running platform (monotonic where available). */
export const systemClock: Clock = {
  nowMs: () => (typeof performance !== "undefined" ? performance.now() : Date.now()),
};

/** `Math.random` as a {@link Random}. */
export const systemRandom: Random = { next: () => Math.random() };

/** Real timers. Timers are unref'd in Node so an idle client never keeps a process alive. */
export const systemScheduler: Scheduler = {
  sleep(ms, signal) {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  },
  after(ms, fn) {
    const timer: unknown = setTimeout(fn, ms);
    (timer as { unref?: () => void }).unref?.();
    return () => clearTimeout(timer as ReturnType<typeof setTimeout>);
  },
};

/** A fresh UUIDv7 source: the wall clock and `crypto.getRandomValues` (Node 20 and browsers). */
export function systemIdSource(): { unixMs: number; random: Uint8Array } {
  const random = new Uint8Array(10);
  crypto.getRandomValues(random);
  return { unixMs: Date.now(), random };
}
