/**
 * Wakes waiters when the commit seq moves past the point they wait for.
 * Used by Listen (live tail) and by Read's `min_seq`.
 */
import type { Seq } from "../raft/types.js";

interface Waiter {
  readonly beyond: Seq;
  readonly resolve: () => void;
}

/** A monotonic commit seq with waiters. */
export class CommitSignal {
  #seq: Seq;
  #waiters = new Set<Waiter>();

  constructor(initial: Seq) {
    this.#seq = initial;
  }

  /** The highest committed seq. */
  get seq(): Seq {
    return this.#seq;
  }

  /** Number of parked waiters (for metrics and tests). */
  get waiting(): number {
    return this.#waiters.size;
  }

  /** Advances the commit seq (never backwards) and wakes those now satisfied. */
  advance(to: Seq): void {
    if (to <= this.#seq) return;
    this.#seq = to;
    for (const w of this.#waiters) {
      if (to > w.beyond) {
        this.#waiters.delete(w);
        w.resolve();
      }
    }
  }

  /**
   * Resolves true once seq > beyond; false when `signal` aborts or after
   * `timeoutMs` (the caller decides what a timeout means, e.g. a heartbeat).
   */
  waitBeyond(beyond: Seq, signal: AbortSignal, timeoutMs: number): Promise<boolean> {
    if (this.#seq > beyond) return Promise.resolve(true);
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (ok: boolean): void => {
        clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        this.#waiters.delete(waiter);
        resolve(ok);
      };
      const onAbort = (): void => done(false);
      const waiter: Waiter = { beyond, resolve: () => done(true) };
      const timer = setTimeout(() => done(false), timeoutMs);
      signal.addEventListener("abort", onAbort, { once: true });
      this.#waiters.add(waiter);
    });
  }
}
