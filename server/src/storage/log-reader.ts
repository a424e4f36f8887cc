/**
 * Reads of durable records by Raft index and by seq, with positional reads
 * of just the byte ranges needed (never whole segments). Reads only see what
 * the index has published, so appends in flight never show half-written data.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { LogRecord, Seq, StoredEntry } from "../raft/types.js";
import { CorruptLogError, quarantineCommand } from "./errors.js";
import type { FdCache } from "./fd-cache.js";
import type { LogIndex } from "./log-index.js";
import { decodeRecordLines } from "./record-codec.js";
import { readFully } from "./storage-fs.js";

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

/** Reads records and entries of one log. */
export class LogReader {
  constructor(
    private readonly config: ReaderConfig,
    private readonly index: LogIndex,
    private readonly files: FdCache,
  ) {}

  /**
   * Up to `maxCount` records from `fromIndex`, stopping before `maxBytes` of
   * encoded lines would be exceeded (at least one record is returned when
   * `fromIndex` is in the log). Empty when `fromIndex > lastIndex`.
   */
  async readRecords(fromIndex: bigint, maxCount: number, maxBytes: number): Promise<LogRecord[]> {
    assert(fromIndex >= this.index.firstIndex, `readRecords: index ${fromIndex} is before the first index ${this.index.firstIndex}`);
    const out: LogRecord[] = [];
    let next = fromIndex;
    let bytes = 0;
    const last = this.index.lastIndex;
    while (next <= last && out.length < maxCount) {
      const { segment, local } = this.index.locate(next);
      const start = segment.offsetOf(local);
      let end = start;
      let n = 0;
      while (local + n < segment.count && out.length + n < maxCount) {
        const lineEnd = segment.offsetOf(local + n + 1);
        if (out.length + n > 0 && bytes + (lineEnd - start) > maxBytes) break;
        end = lineEnd;
        n++;
      }
      if (n === 0) break;
      out.push(...(await this.readRange(segment.name, start, end)));
      bytes += end - start;
      next += BigInt(n);
    }
    return out;
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

  private async readRange(name: string, start: number, end: number): Promise<LogRecord[]> {
    const path = join(this.config.logDir, name);
    const buf = Buffer.allocUnsafe(end - start);
    const n = await this.files.withFile(path, (file) => readFully(file, buf, 0, buf.length, start));
    const corrupt = (offset: number, reason: string): never => {
      throw new CorruptLogError(path, start + offset, reason, quarantineCommand(this.config.dataDir, name));
    };
    if (n < buf.length) corrupt(n, "file is shorter than its index");
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
