/**
 * The Ready/advance contract (in the manner of etcd-io/raft). After any input, the
 * runtime asks for a Ready and handles it strictly in this order:
 *
 * 1. persist: write `hardState` (if present), drop durable records from
 *    `truncateFrom` (if present), append `records`, and fsync, all as one unit;
 * 2. send `messages` (they may depend on what was just persisted: a vote, a term,
 *    an acknowledged record; thesis §3.8 "persisted before responding");
 * 3. apply `committed` in order, and answer `readStates` once applied;
 * 4. call `advance(ready)`.
 *
 * No input may reach the core between `ready()` and `advance()`; the runtime queues
 * it (that queue is where group commit comes from).
 */
import type { Message } from "./messages.js";
import type { LogRecord, NodeId, RaftIndex, Term } from "./types.js";

/** Raft's durable per-node state (thesis §3.8): term and vote, plus the commit hint. */
export interface HardState {
  readonly term: Term;
  readonly vote: NodeId | undefined;
  /** Not needed for safety; lets a restart re-apply without waiting for a leader. */
  readonly commit: RaftIndex;
}

/** A confirmed read-index request: serve `ctx` once `index` is applied (§6.4). */
export interface ReadState {
  readonly ctx: string;
  readonly index: RaftIndex;
}

/** Everything the runtime must do after a batch of inputs. */
export interface Ready {
  /** Present when term, vote or commit changed; persist before sending anything. */
  readonly hardState: HardState | undefined;
  /** Present when a conflict was repaired: durable records with index >= this must go. */
  readonly truncateFrom: RaftIndex | undefined;
  /** New records to append (after the truncation), contiguous. */
  readonly records: readonly LogRecord[];
  /** Messages to send once the above is durable. */
  readonly messages: readonly Message[];
  /** Newly committed records to apply, in index order, contiguous with the last Ready's. */
  readonly committed: readonly LogRecord[];
  /** Confirmed read-index requests. */
  readonly readStates: readonly ReadState[];
}

/** Whether two hard states are equal. */
export function sameHardState(a: HardState, b: HardState): boolean {
  return a.term === b.term && a.vote === b.vote && a.commit === b.commit;
}
