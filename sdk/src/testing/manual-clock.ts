import type { Clock } from "../core/clock.js";
import type { Scheduler } from "../runtime.js";

interface PendingTimer {
  readonly atMs: number;
  readonly order: number;
  readonly fn: () => void;
}

/** Options of {@link ManualClock}. */
export interface ManualClockOptions {
  /** Starting time in ms. Default 0. */
  readonly startMs?: number;
  /**
   * When true, `sleep(ms)` moves time forward by `ms` at once (firing due
   * timers) and resolves, so backoffs cost no real time. Default false.
   */
  readonly autoAdvance?: boolean;
}

/**
 * A clock and scheduler that only move when told: pass it as `clock` and
 * `scheduler` to `createClient` and drive time with {@link advance}. Timers
 * fire in time order, each seeing `nowMs()` equal to its due time.
 */
export class ManualClock implements Clock, Scheduler {
  #nowMs: number;
  #order = 0;
  #timers: PendingTimer[] = [];
  readonly #autoAdvance: boolean;

  constructor(options: ManualClockOptions = {}) {
    this.#nowMs = options.startMs ?? 0;
    this.#autoAdvance = options.autoAdvance ?? false;
  }

  /** The current manual time in ms. */
  nowMs(): number {
    return this.#nowMs;
  }

  /** Moves time forward by `ms`, firing every timer that falls due, in order. */
  advance(ms: number): void {
    const target = this.#nowMs + Math.max(0, ms);
    for (;;) {
      const next = this.#timers.filter((t) => t.atMs <= target).sort((a, b) => a.atMs - b.atMs || a.order - b.order)[0];
      if (next === undefined) break;
      this.#timers = this.#timers.filter((t) => t !== next);
      this.#nowMs = Math.max(this.#nowMs, next.atMs);
      next.fn();
    }
    this.#nowMs = target;
  }

  /** Timers not yet fired or cancelled. */
  pendingTimers(): number {
    return this.#timers.length;
  }

  /** {@inheritDoc Scheduler.after} */
  after(ms: number, fn: () => void): () => void {
    const timer: PendingTimer = { atMs: this.#nowMs + Math.max(0, ms), order: this.#order++, fn };
    this.#timers.push(timer);
    return () => {
      this.#timers = this.#timers.filter((t) => t !== timer);
    };
  }

  /** {@inheritDoc Scheduler.sleep} */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#autoAdvance) {
      this.advance(ms);
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        cancel();
        reject(signal?.reason);
      };
      const cancel = this.after(ms, () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      });
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }
}
