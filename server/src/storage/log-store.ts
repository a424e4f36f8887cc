/**
 * The durable Raft log of a hub node (DESIGN §4): segmented JSON-lines files
 * under `<dataDir>/log/` (format in record-codec.ts), group-committed appends,
 * conflict truncation, reads by index and by seq, the id dedup index and
 * Raft's hard state. Only an index is kept in memory, never the content.
 *
 * Reads come in two flavours: awaited ones (`readRecords`, `lookupId`) for
 * request handlers, and blocking ones (`readRecordsSync`, `lookupIdSync`,
 * `lastSeqAtOrBefore`) for the Raft core, which is synchronous and reads the
 * log while it handles an input. Blocking reads go through
 * `StorageFs.openReadSync`, see only durable records, and cost a page-cache
 * read of just the bytes returned.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { LogRecord, RaftIndex, Seq, Term } from "../raft/types.js";
import { StorageError } from "./errors.js";
import { FdCache } from "./fd-cache.js";
import { loadHardState, saveHardState, type HardState } from "./hard-state.js";
import { defaultIdHash, type IdHash } from "./id-index.js";
import type { IndexMemory, LogIndex } from "./log-index.js";
import { LogReader, type EntryPage, type ReadEntriesOptions } from "./log-reader.js";
import { recoverLog, type StorageLog } from "./log-recovery.js";
import { LogWriter, type WriterState, type WriterStats } from "./log-writer.js";
import { nodeStorageFs, type StorageFs } from "./storage-fs.js";
import { SyncFdCache } from "./sync-fd-cache.js";

/** Options of {@link LogStore.open}; all optional. */
export interface LogStoreOptions {
  /** File system; defaults to the real one. Tests inject failures here. */
  readonly fs?: StorageFs;
  /** Roll to a new segment before a segment would exceed this (bytes; default 64 MiB, max 2 GiB). */
  readonly segmentBytesMax?: number;
  /** Bytes of appends queued behind the one in flight before `append` rejects with `overloaded` (default 256 MiB). */
  readonly pendingBytesMax?: number;
  /** Open read handles kept for reads (default 8), for awaited and for blocking reads each. */
  readonly readFilesMax?: number;
  /** Entries `readEntries` examines per call at most (default 10,000). */
  readonly scanEntriesMax?: number;
  /** Id hash for the dedup index; see {@link IdHash}. */
  readonly hashId?: IdHash;
  /** Warnings (a torn last record was cut); defaults to `console.warn`. */
  readonly log?: StorageLog;
  /** Called after every successful fsync with its latency in ms (for a histogram). */
  readonly onFsync?: (latencyMs: number) => void;
  /** Monotonic clock in ms for fsync latency; defaults to `performance.now`. */
  readonly nowMs?: () => number;
  /** Sees every record found by the start-up scan, in log order. */
  readonly onRecoveredRecord?: (record: LogRecord) => void;
}

/** Where an entry with a given id is. */
export interface IdLocation {
  readonly seq: Seq;
  readonly index: RaftIndex;
}

/** Counters and sizes for metrics. */
export interface LogStoreStats extends WriterStats {
  readonly state: WriterState;
  readonly memory: IndexMemory;
}

const MIB = 1024 * 1024;

/** Where `record` is, when it is the entry with `id`. */
function locationIfId(record: LogRecord, id: string): IdLocation | undefined {
  return record.payload.kind === "entry" && record.payload.entry.id === id ? { seq: record.payload.entry.seq, index: record.index } : undefined;
}

/** The log store. Create with {@link LogStore.open}; one instance per data directory. */
export class LogStore {
  private truncating = false;
  private closed = false;

  private constructor(
    /** The data directory. */
    readonly dataDir: string,
    private readonly fs: StorageFs,
    private readonly index: LogIndex,
    private readonly writer: LogWriter,
    private readonly reader: LogReader,
    private readonly files: FdCache,
    private readonly syncFiles: SyncFdCache,
  ) {}

  /**
   * Opens (creating if needed) the log in `dataDir`, scanning and verifying
   * every segment. Cuts a torn last record (with a warning). Throws
   * `CorruptLogError` for any other damage.
   */
  static async open(dataDir: string, options: LogStoreOptions = {}): Promise<LogStore> {
    const fs = options.fs ?? nodeStorageFs;
    const logDir = join(dataDir, "log");
    const segmentBytesMax = options.segmentBytesMax ?? 64 * MIB;
    assert(segmentBytesMax >= 1 && segmentBytesMax <= 2048 * MIB, "segmentBytesMax must be in 1 B .. 2 GiB");
    await fs.mkdir(logDir);
    await fs.syncDir(dataDir); // the log directory itself must survive a crash
    const log = options.log ?? { warn: (message: string) => console.warn(message) };
    const recovered = await recoverLog({ fs, dataDir, logDir, hashId: options.hashId ?? defaultIdHash, log, onRecord: options.onRecoveredRecord });
    const nowMs = options.nowMs ?? (() => performance.now());
    const writerConfig = { fs, logDir, segmentBytesMax, nowMs, onFsync: options.onFsync, pendingBytesMax: options.pendingBytesMax ?? 256 * MIB };
    const writer = new LogWriter(writerConfig, recovered.index, recovered.active);
    const readFilesMax = Math.max(1, options.readFilesMax ?? 8);
    const files = new FdCache(fs, readFilesMax);
    const openReadSync = fs.openReadSync;
    const syncFiles = new SyncFdCache(openReadSync === undefined ? undefined : (path) => openReadSync.call(fs, path), readFilesMax);
    const readerConfig = { dataDir, logDir, scanEntriesMax: options.scanEntriesMax ?? 10_000, readChunkBytes: 1 * MIB };
    const reader = new LogReader(readerConfig, recovered.index, files, syncFiles);
    return new LogStore(dataDir, fs, recovered.index, writer, reader, files, syncFiles);
  }

  /** Index of the last durable record (0 when empty). */
  get lastIndex(): RaftIndex {
    return this.index.lastIndex as RaftIndex;
  }

  /** Term of the last durable record (0 when empty). */
  get lastTerm(): Term {
    return this.index.lastTerm as Term;
  }

  /** Seq of the last durable entry (0 when there is none). */
  get lastSeq(): Seq {
    return this.index.seqs.lastSeq as Seq;
  }

  /** Index of the first record (1 for a log that was never compacted). */
  get firstIndex(): RaftIndex {
    return this.index.firstIndex as RaftIndex;
  }

  /** `ok`, `failed` (last write failed; the next append repairs) or `poisoned` (restart needed). */
  get state(): WriterState {
    return this.writer.state;
  }

  /**
   * Appends records durably; resolves once they (and everything before them)
   * are fdatasynced. Concurrent calls are group-committed in call order.
   * Throws AssertionError (synchronously) when `records` do not continue the
   * log: index `lastIndex + 1` (counting queued appends), non-decreasing term,
   * entry seqs `lastSeq + 1`. Rejects with `StorageError` (`full`, `io`,
   * `overloaded`); then none of this call's records are in the log.
   */
  append(records: readonly LogRecord[]): Promise<void> {
    assert(!this.closed, "append on a closed log store");
    assert(!this.truncating, "append while truncateAfter is in progress: await it first");
    return this.writer.append(records);
  }

  /** The term of `index` (0 for index 0), or undefined when it is not in the log. */
  termAt(index: RaftIndex): Term | undefined {
    return this.index.termAt(index) as Term | undefined;
  }

  /** See `LogReader.readRecords`: up to `maxCount` records from `fromIndex`, within `maxBytes` (at least one). */
  readRecords(fromIndex: RaftIndex, maxCount: number, maxBytes: number): Promise<LogRecord[]> {
    return this.reader.readRecords(fromIndex, maxCount, maxBytes);
  }

  /**
   * Blocking {@link readRecords} for the Raft core: the same records for the
   * same arguments, read with `StorageFs.openReadSync` (positional reads of
   * just the bytes returned; handles are cached, see `readFilesMax`). Durable
   * records only: an append in flight is invisible until its fdatasync is
   * done. Empty when `fromIndex > lastIndex`. Asserts `fromIndex >= firstIndex`
   * and that the store is open; throws `CorruptLogError` when a file does not
   * match the index, and system errors (EIO) as they come.
   */
  readRecordsSync(fromIndex: RaftIndex, maxCount: number, maxBytes: number): LogRecord[] {
    assert(!this.closed, "readRecordsSync on a closed log store");
    return this.reader.readRecordsSync(fromIndex, maxCount, maxBytes);
  }

  /** Data entries with `afterSeq < seq <= throughSeqMax`, filtered; see `EntryPage` for `throughSeq`. */
  readEntries(afterSeq: Seq, options: ReadEntriesOptions): Promise<EntryPage> {
    return this.reader.readEntries(afterSeq, options);
  }

  /** The Raft index of entry `seq`, or undefined when it is not in the log. */
  indexOfSeq(seq: Seq): RaftIndex | undefined {
    const ordinal = this.index.seqs.ordinalOf(seq);
    return ordinal === undefined ? undefined : (this.index.seqs.indexAt(ordinal) as RaftIndex);
  }

  /**
   * Finds the entry with `id` anywhere in the log, committed or not, including
   * appends still in flight. Hash hits are confirmed by reading the record.
   */
  async lookupId(id: string): Promise<IdLocation | undefined> {
    const pending = this.writer.pendingIds.get(id);
    if (pending !== undefined) return { seq: pending.seq as Seq, index: pending.index as RaftIndex };
    for (const ordinal of this.index.ids.candidates(id)) {
      if (ordinal >= this.index.seqs.count) continue;
      const found = locationIfId(await this.reader.readRecord(this.index.seqs.indexAt(ordinal)), id);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /**
   * Blocking {@link lookupId} for the Raft core, over durable entries only
   * (an append in flight is not found until it is durable). Each hash hit is
   * confirmed by a blocking read of the record, so a collision costs a read,
   * never a false match. Errors as {@link readRecordsSync}.
   */
  lookupIdSync(id: string): IdLocation | undefined {
    assert(!this.closed, "lookupIdSync on a closed log store");
    for (const ordinal of this.index.ids.candidates(id)) {
      if (ordinal >= this.index.seqs.count) continue;
      const found = locationIfId(this.reader.readRecordSync(this.index.seqs.indexAt(ordinal)), id);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /**
   * The seq of the last durable data entry at or before Raft index `index`,
   * 0 when there is none. A binary search over the seq -> index map: no I/O.
   */
  lastSeqAtOrBefore(index: RaftIndex): Seq {
    const entries = this.index.seqs.countThrough(index);
    return (entries === 0 ? 0n : this.index.seqs.seqAt(entries - 1)) as Seq;
  }

  /**
   * Drops every record above `index` (Raft conflict repair, thesis §3.5),
   * durably: later segments are deleted (newest first), the directory synced,
   * then the containing segment cut and synced. Waits for queued appends first;
   * do not append until it resolves. Asserts `index >= committedIndex` (a
   * committed record is never removed) and `index >= firstIndex - 1`.
   * A failure poisons the store (restart to recover from disk).
   */
  async truncateAfter(index: RaftIndex, committedIndex: RaftIndex): Promise<void> {
    assert(index >= committedIndex, `truncateAfter(${index}) is below the committed index ${committedIndex}`);
    assert(!this.truncating && !this.closed, "truncateAfter: concurrent truncation or closed store");
    this.truncating = true;
    try {
      await this.writer.drain();
      if (this.writer.state === "poisoned") throw new StorageError("io", "log store is poisoned; the node must restart", { poisoned: true });
      if (index >= this.index.lastIndex) return;
      await this.writer.closeActive();
      await this.truncateFiles(index).catch((e: unknown) => {
        const error = e instanceof StorageError && e.poisoned ? e : StorageError.fromSync(`truncation after ${index}`, e);
        this.writer.poison(error);
        throw error;
      });
      await this.writer.resetAfterTruncation();
    } finally {
      this.truncating = false;
    }
  }

  private async truncateFiles(index: bigint): Promise<void> {
    const logDir = join(this.dataDir, "log");
    const location = index >= this.index.firstIndex ? this.index.locate(index) : undefined;
    const cutBytes = location === undefined ? 0 : location.segment.offsetOf(location.local + 1);
    const dropped = this.index.truncateAfter(index);
    // Before any await: a later segment may reuse a dropped one's name, and a
    // cached blocking handle would keep reading the unlinked file.
    for (const segment of dropped) this.syncFiles.evict(join(logDir, segment.name));
    for (const segment of dropped) {
      const path = join(logDir, segment.name);
      await this.files.evict(path);
      await this.fs.unlink(path);
    }
    if (dropped.length > 0) await this.fs.syncDir(logDir);
    const kept = this.index.lastSegment;
    if (kept === undefined || location === undefined || location.segment !== kept) return;
    const file = await this.fs.open(join(logDir, kept.name), "update");
    try {
      await file.truncate(cutBytes);
      await file.datasync();
    } finally {
      await file.close();
    }
  }

  /** Saves Raft's term/vote/commit atomically in `<dataDir>/raft-state.json`. Throws `StorageError`. */
  saveHardState(state: HardState): Promise<void> {
    return saveHardState(this.fs, this.dataDir, state);
  }

  /** Loads the hard state, or undefined when none was saved. Throws `CorruptLogError` when unreadable. */
  loadHardState(): Promise<HardState | undefined> {
    return loadHardState(this.fs, this.dataDir);
  }

  /** Counters (fsyncs, records, bytes, ...), state and index sizes. */
  stats(): LogStoreStats {
    return { ...this.writer.stats, state: this.writer.state, memory: this.index.memory() };
  }

  /** Waits for queued appends to settle, then closes every file. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writer.drain();
    await this.writer.closeActive();
    await this.files.closeAll();
    this.syncFiles.closeAll();
  }
}
