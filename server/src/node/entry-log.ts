/**
 * The slice of the log store that the node runtime uses. Narrow on purpose:
 * the runtime never sees files, only records, seqs and ids.
 */
import type { LogRecord, RaftIndex, Seq, StoredEntry } from "../raft/types.js";

/** Selects entries by type and origin; empty lists match everything. */
export interface EntryFilter {
  readonly types: readonly string[];
  readonly origins: readonly string[];
}

/** A page of committed entries and how far it covers. */
export interface EntryPage {
  /** Matching entries with afterSeq < seq <= throughSeq, in seq order. */
  readonly entries: StoredEntry[];
  /** Every seq up to here was examined, matching or not. */
  readonly throughSeq: Seq;
}

/** The durable log as the runtime sees it. */
export interface EntryLog {
  readonly lastIndex: RaftIndex;
  readonly lastSeq: Seq;
  /** Appends records durably (resolves after fdatasync). Indexes must follow lastIndex. */
  append(records: readonly LogRecord[]): Promise<void>;
  /** Where an id sits in the log, committed or not. */
  lookupId(id: string): Promise<{ readonly seq: Seq } | undefined>;
  /** Entries with seq in (afterSeq, throughSeqMax], at most `limit` matching ones. */
  readEntries(afterSeq: Seq, opts: { limit: number; throughSeqMax: Seq; filter: EntryFilter }): Promise<EntryPage>;
}
