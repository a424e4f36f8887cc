import type { Clock } from "./clock.js";

/**
 * One deadline per call, spanning every attempt, backoff and redirect of it
 * (DESIGN §7: "a per-call deadline that spans all attempts"). Attempts and their
 * timers run in whole milliseconds, so less than 1 ms left counts as expired: a
 * timer that ends the last attempt marginally early cannot start another one.
 */
export class Deadline {
  readonly #clock: Clock;
  readonly #atMs: number;

  /**
   * @param clock the injected time source.
   * @param timeoutMs budget for the whole call in ms; `Infinity` means none.
   */
  constructor(clock: Clock, timeoutMs: number) {
    this.#clock = clock;
    this.#atMs = clock.nowMs() + Math.max(0, timeoutMs);
  }

  /** Milliseconds left, never negative; `Infinity` when the call has no deadline. */
  remainingMs(): number {
    return Math.max(0, this.#atMs - this.#clock.nowMs());
  }

  /** True once less than 1 ms is left. */
  expired(): boolean {
    return this.remainingMs() < 1;
  }

  /**
   * How long the next attempt may run, in whole ms, at least 1: the attempt
   * timeout cut to what is left of the call, so an attempt never outlives the
   * call and the last one ends with it. Abandoning a silent peer after this
   * long, not at the call's end, is what lets a call move on from a frozen
   * node (gRPC's per-attempt timeout; Kafka's request.timeout.ms within
   * delivery.timeout.ms).
   *
   * @param attemptTimeoutMs the client's per-attempt limit in ms (a positive integer).
   */
  attemptMs(attemptTimeoutMs: number): number {
    return Math.max(1, Math.ceil(Math.min(attemptTimeoutMs, this.remainingMs())));
  }
}
