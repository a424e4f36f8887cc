/**
 * Callers waiting for a log position: "the record at index I with term T is
 * committed" (or durable, for write concern LEADER). A record replaced by
 * another term's record (truncated) fails its waiters: the outcome of that
 * append is then unknown to the client, which retries with the same id.
 */
import type { LogRecord, RaftIndex, Term } from "../raft/types.js";

interface Waiter {
  readonly term: Term;
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
}

/** Waiters by index, resolved or rejected as records are made durable, applied or dropped. */
export class IndexWaiters {
  readonly #byIndex = new Map<bigint, Waiter[]>();

  /** Number of waiting callers. */
  get size(): number {
    let n = 0;
    for (const w of this.#byIndex.values()) n += w.length;
    return n;
  }

  /** Resolves once `settle` sees the record at `index` with `term`. */
  wait(index: RaftIndex, t: Term): Promise<void> {
    return new Promise((resolve, reject) => {
      const list = this.#byIndex.get(index) ?? [];
      list.push({ term: t, resolve, reject });
      this.#byIndex.set(index, list);
    });
  }

  /** Settles the waiters of these records: resolved when the term matches, rejected otherwise. */
  settle(records: readonly LogRecord[], mismatch: () => Error): void {
    for (const r of records) {
      const list = this.#byIndex.get(r.index);
      if (!list) continue;
      this.#byIndex.delete(r.index);
      for (const w of list) (w.term === r.term ? w.resolve() : w.reject(mismatch()));
    }
  }

  /** Rejects every waiter at `from` or later (their records were truncated or never persisted). */
  failFrom(from: RaftIndex, err: () => Error): void {
    for (const [index, list] of this.#byIndex) {
      if (index < from) continue;
      this.#byIndex.delete(index);
      for (const w of list) w.reject(err());
    }
  }

  /** Rejects every waiter. */
  failAll(err: () => Error): void {
    this.failFrom(0n as RaftIndex, err);
  }
}
