/**
 * Everything the store keeps in memory about the log, never its content:
 * segments with record offsets, term runs, seq -> index and the id index.
 * Roughly 4 (offset) + 8 (seq) + 12 (id) bytes per entry.
 */
import assert from "node:assert/strict";
import type { LogRecord } from "../raft/types.js";
import { IdIndex, type IdHash } from "./id-index.js";
import { Segment } from "./segment.js";
import { SeqIndex } from "./seq-index.js";
import { TermIndex } from "./term-index.js";

/** Where a record lives: its segment and its position in it. */
export interface RecordLocation {
  readonly segment: Segment;
  /** 0-based position of the record in `segment`. */
  readonly local: number;
}

/** Byte counts of the in-memory index (for memory reports). */
export interface IndexMemory {
  readonly offsetBytes: number;
  readonly seqBytes: number;
  readonly idBytes: number;
  readonly termRuns: number;
  readonly segments: number;
}

/** In-memory index of a log. Mutated only by recovery, the writer (on publish) and truncation. */
export class LogIndex {
  readonly segments: Segment[] = [];
  readonly terms = new TermIndex();
  readonly seqs = new SeqIndex();
  readonly ids: IdIndex;
  private last = 0n;
  private lastTermValue = 0n;

  constructor(hashId: IdHash) {
    this.ids = new IdIndex(hashId);
  }

  /** Index of the last durable record, 0 when the log is empty. */
  get lastIndex(): bigint {
    return this.last;
  }

  /** Term of the last durable record, 0 when the log is empty. */
  get lastTerm(): bigint {
    return this.lastTermValue;
  }

  /** Index of the first record, or `lastIndex + 1` when the log is empty. */
  get firstIndex(): bigint {
    return this.segments[0]?.firstIndex ?? this.last + 1n;
  }

  /** The segment appends go to, if any. */
  get lastSegment(): Segment | undefined {
    return this.segments.at(-1);
  }

  /** Adds an (empty) segment at the end; its first index must be `lastIndex + 1`. */
  addSegment(segment: Segment): void {
    assert(segment.count === 0, "a new segment must be empty");
    if (this.segments.length > 0) assert(segment.firstIndex === this.last + 1n, "segment index discontinuity");
    else this.last = segment.firstIndex - 1n;
    this.segments.push(segment);
  }

  /** Why `record` cannot come next, or undefined. */
  checkNext(record: LogRecord): string | undefined {
    if (record.index !== this.last + 1n) return `index ${record.index} where ${this.last + 1n} was expected`;
    if (record.term < this.lastTermValue) return `term ${record.term} below ${this.lastTermValue}`;
    return record.payload.kind === "entry" ? this.seqs.checkNext(record.payload.entry.seq) : undefined;
  }

  /** Appends a durable record of `lineBytes` to the last segment. */
  addRecord(record: LogRecord, lineBytes: number): void {
    const segment = this.lastSegment;
    assert(segment !== undefined, "no segment");
    const problem = this.checkNext(record);
    assert(problem === undefined, problem);
    segment.append(lineBytes);
    this.terms.append(record.index, record.term);
    if (record.payload.kind === "entry") {
      this.ids.add(this.seqs.count, record.payload.entry.id);
      this.seqs.push(record.payload.entry.seq, record.index);
    }
    this.last = record.index;
    this.lastTermValue = record.term;
  }

  /** The term of `index`: 0 for index 0, undefined outside the log. */
  termAt(index: bigint): bigint | undefined {
    if (index === 0n) return 0n;
    if (index < this.firstIndex || index > this.last) return undefined;
    return this.terms.termAt(index);
  }

  /** Where record `index` is; asserts it is in the log. */
  locate(index: bigint): RecordLocation {
    assert(index >= this.firstIndex && index <= this.last, `index ${index} not in log`);
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.segments[mid]!.firstIndex <= index) lo = mid;
      else hi = mid - 1;
    }
    const segment = this.segments[lo]!;
    return { segment, local: Number(index - segment.firstIndex) };
  }

  /**
   * Forgets records above `index` (files are the caller's business). Segments
   * that would become empty are dropped, except that the log keeps no empty
   * segment at all. Returns the dropped segments.
   */
  truncateAfter(index: bigint): Segment[] {
    assert(index >= this.firstIndex - 1n, `cannot truncate below the first index ${this.firstIndex}`);
    if (index >= this.last) return [];
    const dropped: Segment[] = [];
    while (this.segments.length > 0 && this.lastSegment!.firstIndex > index) dropped.push(this.segments.pop()!);
    this.lastSegment?.truncate(Number(index - this.lastSegment.firstIndex) + 1);
    this.terms.truncateAfter(index);
    const entries = this.seqs.countThrough(index);
    this.seqs.truncate(entries);
    this.ids.truncate(entries);
    this.last = index;
    this.lastTermValue = index === 0n || this.segments.length === 0 ? 0n : this.terms.termAt(index);
    return dropped;
  }

  /** Sizes of the index structures. */
  memory(): IndexMemory {
    return {
      offsetBytes: this.segments.reduce((sum, s) => sum + s.indexBytes, 0),
      seqBytes: this.seqs.capacityBytes,
      idBytes: this.ids.capacityBytes,
      termRuns: this.terms.runs,
      segments: this.segments.length,
    };
  }
}
