/**
 * The durable log as the core sees it. The runtime owns the storage and writes to it
 * only while handling a Ready; the core only reads, synchronously. An on-disk store
 * can answer these from an in-memory index without holding every record in memory.
 */
import type { ConfigChange, LogRecord, RaftIndex, Seq, Term } from "./types.js";

/** A membership-change record's position, for rebuilding the configuration (§4.1). */
export interface ConfigAt {
  readonly index: RaftIndex;
  readonly change: ConfigChange;
}

/** Where an entry with a given id sits in the log (DESIGN §3, idempotency). */
export interface EntryAt {
  readonly index: RaftIndex;
  readonly seq: Seq;
}

/** Read access to the records that have been made durable (fsynced). */
export interface LogStorage {
  /** Index of the last durable record; 0 when the log is empty. */
  lastIndex(): RaftIndex;
  /** Term of the record at `index`; `term(0)` is 0; undefined past the end. */
  term(index: RaftIndex): Term | undefined;
  /**
   * Records from `from` on, at most `maxCount` of them and stopping before `maxBytes`
   * is exceeded (at least one record is returned when any exists). Never past the end.
   */
  records(from: RaftIndex, maxCount: number, maxBytes: number): readonly LogRecord[];
  /** The position of the entry with this id, if the log holds one. */
  findEntry(id: string): EntryAt | undefined;
  /** The seq of the last data entry at or before `index`; 0 when there is none. */
  lastSeqAtOrBefore(index: RaftIndex): Seq;
  /** Every `config` record, in index order. */
  configChanges(): readonly ConfigAt[];
}

/**
 * The approximate encoded size of a record in bytes, used for message batching
 * limits. Content dominates; a fixed overhead covers the envelope.
 */
export function recordBytes(record: LogRecord): number {
  const p = record.payload;
  if (p.kind === "entry") return 64 + p.entry.id.length + p.entry.type.length + p.entry.content.length;
  return 64;
}
