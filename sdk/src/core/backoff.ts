import type { Random } from "./clock.js";

/** Backoff settings, in milliseconds. */
export interface BackoffOptions {
  /** The first retry waits up to this long. Default 50. */
  readonly baseMs: number;
  /** No single wait exceeds this (unless the server pushes back for longer). Default 5000. */
  readonly capMs: number;
}

/** Defaults for {@link BackoffOptions}. */
/** Short first steps, since a failover takes well under a second; capped so a dead cluster is not hammered. */
export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 25, capMs: 2_000 };

/**
 * "Full jitter" exponential backoff: a uniform wait in [0, min(cap, base·2^retry)),
 * so clients that failed together do not retry together. Server pushback
 * (RetryInfo.retry_after_ms, DESIGN §6) is a floor: never retry sooner than told.
 *
 * @param retry 0 for the first retry, 1 for the second, …
 * @param retryAfterMs the server's pushback, if any.
 * @returns the wait in whole milliseconds.
 */
export function backoffDelayMs(
  retry: number,
  options: BackoffOptions,
  random: Random,
  retryAfterMs?: number,
): number {
  const exponent = Math.min(Math.max(0, retry), 30);
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** exponent);
  const jittered = Math.floor(random.next() * ceiling);
  return Math.max(jittered, retryAfterMs ?? 0);
}
