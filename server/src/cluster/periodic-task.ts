/**
 * Runs an async round every period, never two at once, logging (not throwing)
 * a failed round: the base of the node's background duties.
 */
import type { Logger } from "../logger.js";

/** A background duty that runs `round` now and then. */
export abstract class PeriodicTask {
  #timer: ReturnType<typeof setInterval> | undefined;
  #busy = false;

  constructor(
    protected readonly logger: Logger,
    private readonly what: string,
  ) {}

  /** One round of the duty. */
  protected abstract round(): Promise<void>;

  /** Runs a round every `periodMs`. */
  start(periodMs: number): void {
    this.#timer = setInterval(() => void this.runOnce(), periodMs);
  }

  /** Stops the rounds. */
  stop(): void {
    clearInterval(this.#timer);
  }

  /** One round now, unless one is running; failures are logged and retried next period. */
  async runOnce(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      await this.round();
    } catch (err) {
      this.logger.warn(`${this.what} failed; will retry`, { error: (err as Error).message });
    } finally {
      this.#busy = false;
    }
  }
}
