import type { Clock } from "./clock.js";

/** Retry budget settings (a token bucket shared by every call of one client). */
export interface RetryBudgetOptions {
  /** Bucket size: retries allowed in a burst. Default 20. */
  readonly maxTokens: number;
  /** Tokens added per second of wall time. Default 2. */
  readonly refillPerSecond: number;
  /** Tokens added by each successful call, so a healthy client earns retries. Default 0.1. */
  readonly creditPerSuccess: number;
  /**
   * Retries within this many ms of the client's last success are free: the
   * cluster answered moments ago, so this is a failover, not a dead cluster.
   * Default 2000; 0 charges every retry.
   */
  readonly graceMs?: number;
}

/**
 * Defaults for {@link RetryBudgetOptions}. Sized so that eight busy writers
 * ride out one ordinary failover (about a second of NotLeader and refused
 * connections, ~6 backed-off retries each) without an error reaching the
 * application, while a dead cluster sees at most 10 retries a second per client.
 */
export const DEFAULT_RETRY_BUDGET: RetryBudgetOptions = {
  maxTokens: 100,
  refillPerSecond: 10,
  creditPerSuccess: 0.1,
  graceMs: 2_000,
};

/**
 * A token bucket that every retry (not first attempts) must draw from, so a dead
 * cluster does not turn into a retry storm (DESIGN §7). Refills with time and
 * with successes; never exceeds `maxTokens`.
 */
export class RetryBudget {
  readonly #clock: Clock;
  readonly #options: RetryBudgetOptions;
  #tokens: number;
  #updatedMs: number;
  #lastSuccessMs = Number.NEGATIVE_INFINITY;

  constructor(clock: Clock, options: RetryBudgetOptions = DEFAULT_RETRY_BUDGET) {
    this.#clock = clock;
    this.#options = options;
    this.#tokens = options.maxTokens;
    this.#updatedMs = clock.nowMs();
  }

  /** Tokens available now (fractional). */
  available(): number {
    this.#refill();
    return this.#tokens;
  }

  /**
   * Takes one token for a retry; false (and nothing taken) when the bucket is
   * empty. Free during the grace period after a success (see `graceMs`).
   */
  tryWithdraw(): boolean {
    this.#refill();
    if (this.#clock.nowMs() - this.#lastSuccessMs < (this.#options.graceMs ?? 0)) return true;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /** Milliseconds until one whole token is available (0 when one is). */
  msUntilToken(): number {
    this.#refill();
    if (this.#tokens >= 1) return 0;
    if (this.#options.refillPerSecond <= 0) return Number.POSITIVE_INFINITY;
    return Math.ceil(((1 - this.#tokens) * 1000) / this.#options.refillPerSecond);
  }

  /** Credits a successful call. */
  recordSuccess(): void {
    this.#refill();
    this.#lastSuccessMs = this.#clock.nowMs();
    this.#tokens = Math.min(this.#options.maxTokens, this.#tokens + this.#options.creditPerSuccess);
  }

  #refill(): void {
    const now = this.#clock.nowMs();
    const elapsedMs = Math.max(0, now - this.#updatedMs);
    this.#updatedMs = now;
    const added = (elapsedMs / 1000) * this.#options.refillPerSecond;
    this.#tokens = Math.min(this.#options.maxTokens, this.#tokens + added);
  }
}
