/**
 * Reads of durable records by Raft index and by seq, with positional reads
 * of just the byte ranges needed (never whole segments), both awaited and
 * blocking. Reads only see what the index has published, so appends in flight
 * never show half-written data.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { LogRecord, Seq, StoredEntry } from "../raft/types.js";
import { CorruptLogError, quarantineCommand } from "./errors.js";
import type { FdCache } from "./fd-cache.js";
import type { LogIndex } from "./log-index.js";
import { decodeRecordLines } from "./record-codec.js";
import { readFully } from "./storage-fs.js";
import type { SyncFdCache } from "./sync-fd-cache.js";

/** Which entries `readEntries` returns; an absent list matches everything. */
export interface EntryFilter {
  readonly types?: readonly string[];
  readonly origins?: readonly string[];
}

/** Options of `readEntries`. */
export interface ReadEntriesOptions {
  /** Entries returned at most (>= 1). */
  readonly limit: number;
  /** Highest seq that may be examined: the caller's commit seq, so uncommitted entries are never served. */
  readonly throughSeqMax: Seq;
  readonly filter?: EntryFilter;
}

/** A page of entries. */
export interface EntryPage {
  /** Matching entries in seq order. */
  readonly entries: StoredEntry[];
  /** Highest seq examined (matching or not), or `afterSeq` when none was: the next cursor. */
  readonly throughSeq: Seq;
}

/** Reader limits. */
export interface ReaderConfig {
  readonly dataDir: string;
  readonly logDir: string;
  /** Entries examined per `readEntries` call at most (bounds the work of a very selective filter). */
  readonly scanEntriesMax: number;
  /** Bytes read per internal chunk in `readEntries`. */
  readonly readChunkBytes: number;
}

/** Bytes `[start, end)` of segment file `name`: `count` whole records. */
interface ByteRange {
  readonly name: string;
  readonly start: number;
  readonly end: number;
  readonly count: number;
}

/** Reads records and entries of one log. */
export class LogReader {
  constructor(
    private readonly config: ReaderConfig,
    private readonly index: LogIndex,
    private readonly files: FdCache,
    /** Handles for the blocking reads. */
    private readonly syncFiles: SyncFdCache,
  ) {}

  /**
   * Up to `maxCount` records from `fromIndex`, stopping before `maxBytes` of
   * encoded lines would be exceeded (at least one record is returned when
   * `fromIndex` is in the log). Empty when `fromIndex > lastIndex`.
   */
  async readRecords(fromIndex: bigint, maxCount: number, maxBytes: number): Promise<LogRecord[]> {
    this.checkFrom(fromIndex);
    const out: LogRecord[] = [];
    let bytes = 0;
    for (;;) {
      // Planned again after every await: the index may have grown or been truncated meanwhile.
      const range = this.nextRange(fromIndex, maxCount, maxBytes, out.length, bytes);
      if (range === undefined) return out;
      out.push(...(await this.readRange(range)));
      bytes += range.end - range.start;
    }
  }

  /**
   * Blocking {@link readRecords} (for the Raft core, which reads synchronously):
   * same bounds, same result, through `syncFiles`. Only durable records are
   * ever indexed, so only durable records are returned.
   */
  readRecordsSync(fromIndex: bigint, maxCount: number, maxBytes: number): LogRecord[] {
    this.checkFrom(fromIndex);
    const out: LogRecord[] = [];
    let bytes = 0;
    for (;;) {
      const range = this.nextRange(fromIndex, maxCount, maxBytes, out.length, bytes);
      if (range === undefined) return out;
      out.push(...this.readRangeSync(range));
      bytes += range.end - range.start;
    }
  }

  /** Blocking {@link readRecord}. */
  readRecordSync(index: bigint): LogRecord {
    const [record] = this.readRecordsSync(index, 1, 0);
    assert(record !== undefined && record.index === index, `record ${index} not read`);
    return record;
  }

  private checkFrom(fromIndex: bigint): void {
    assert(fromIndex >= this.index.firstIndex, `readRecords: index ${fromIndex} is before the first index ${this.index.firstIndex}`);
  }

  /**
   * The next run of records to read, within one segment, for a read from
   * `fromIndex` that already has `readCount` records of `readBytes`: at most
   * `maxCount` records in all, within `maxBytes` (the first record of a read is
   * always taken). Undefined when there is nothing (more) to read.
   */
  private nextRange(fromIndex: bigint, maxCount: number, maxBytes: number, readCount: number, readBytes: number): ByteRange | undefined {
    const next = fromIndex + BigInt(readCount);
    if (next > this.index.lastIndex || readCount >= maxCount) return undefined;
    const { segment, local } = this.index.locate(next);
    const start = segment.offsetOf(local);
    let end = start;
    let count = 0;
    while (local + count < segment.count && readCount + count < maxCount) {
      const lineEnd = segment.offsetOf(local + count + 1);
      if (readCount + count > 0 && readBytes + (lineEnd - start) > maxBytes) break;
      end = lineEnd;
      count++;
    }
    return count === 0 ? undefined : { name: segment.name, start, end, count };
  }

  /** The record at `index`; asserts it is in the log. */
  async readRecord(index: bigint): Promise<LogRecord> {
    const [record] = await this.readRecords(index, 1, 0);
    assert(record !== undefined && record.index === index, `record ${index} not read`);
    return record;
  }

  /** Entries with `afterSeq < seq <= throughSeqMax` matching the filter; see {@link EntryPage}. */
  async readEntries(afterSeq: bigint, options: ReadEntriesOptions): Promise<EntryPage> {
    const upper = min(options.throughSeqMax, this.index.seqs.lastSeq);
    const entries: StoredEntry[] = [];
    let through = afterSeq;
    if (afterSeq >= upper) return { entries, throughSeq: through as Seq };
    const ordinal = this.index.seqs.ordinalOf(afterSeq + 1n);
    assert(ordinal !== undefined, `readEntries: seq ${afterSeq + 1n} is not in the log (first seq ${this.index.seqs.firstSeq})`);
    const match = matcher(options.filter);
    let next = this.index.seqs.indexAt(ordinal);
    let examined = 0;
    while (entries.length < options.limit && through < upper && examined < this.config.scanEntriesMax) {
      const records = await this.readRecords(next, this.config.scanEntriesMax - examined, this.config.readChunkBytes);
      if (records.length === 0) break;
      for (const record of records) {
        if (record.payload.kind !== "entry") continue;
        const entry = record.payload.entry;
        if (entry.seq > upper || entries.length >= options.limit) break;
        through = entry.seq;
        examined++;
        if (match(entry)) entries.push(entry);
      }
      next = records.at(-1)!.index + 1n;
    }
    return { entries, throughSeq: through as Seq };
  }

  private async readRange(range: ByteRange): Promise<LogRecord[]> {
    const path = join(this.config.logDir, range.name);
    const buf = Buffer.allocUnsafe(range.end - range.start);
    const n = await this.files.withFile(path, (file) => readFully(file, buf, 0, buf.length, range.start));
    return this.decode(range, buf, n);
  }

  private readRangeSync(range: ByteRange): LogRecord[] {
    const buf = Buffer.allocUnsafe(range.end - range.start);
    const n = this.syncFiles.readFully(join(this.config.logDir, range.name), buf, range.start);
    return this.decode(range, buf, n);
  }

  /** Decodes a range read into `buf` (`bytesRead` of it filled); throws `CorruptLogError` on damage. */
  private decode(range: ByteRange, buf: Buffer, bytesRead: number): LogRecord[] {
    const corrupt = (offset: number, reason: string): never => {
      const path = join(this.config.logDir, range.name);
      throw new CorruptLogError(path, range.start + offset, reason, quarantineCommand(this.config.dataDir, range.name));
    };
    if (bytesRead < buf.length) corrupt(bytesRead, "file is shorter than its index");
    return decodeRecordLines(buf, corrupt);
  }
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

function matcher(filter: EntryFilter | undefined): (entry: StoredEntry) => boolean {
  const types = filter?.types === undefined ? undefined : new Set(filter.types);
  const origins = filter?.origins === undefined ? undefined : new Set(filter.origins);
  return (entry) => (types === undefined || types.has(entry.type)) && (origins === undefined || origins.has(entry.origin));
}
