import type { Clock } from "./clock.js";

/**
 * One deadline per call, spanning every attempt, backoff and redirect of it
 * (DESIGN §7: "a per-call deadline that spans all attempts").
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

  /** True once the deadline has passed. */
  expired(): boolean {
    return this.remainingMs() <= 0;
  }
}
