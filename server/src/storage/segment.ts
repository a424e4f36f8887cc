/**
 * In-memory description of one segment file: its first index, size and the
 * byte offset of every record in it (4 bytes per record).
 */
import assert from "node:assert/strict";
import { GrowableArray } from "./growable-array.js";

/** Segment file names are the first Raft index, zero-padded to 20 digits, plus this suffix. */
export const SEGMENT_SUFFIX = ".seg";
const NAME = /^([0-9]{20})\.seg$/;

/** The file name of a segment whose first record has `firstIndex`. */
export function segmentName(firstIndex: bigint): string {
  return `${firstIndex.toString().padStart(20, "0")}${SEGMENT_SUFFIX}`;
}

/** The first index encoded in a segment file name, or undefined if `name` is not a segment. */
export function parseSegmentName(name: string): bigint | undefined {
  const match = NAME.exec(name);
  return match === null ? undefined : BigInt(match[1]!);
}

/** Segment names in `names`, sorted by first index. */
export function sortSegmentNames(names: readonly string[]): string[] {
  return names.filter((n) => parseSegmentName(n) !== undefined).sort();
}

/**
 * One segment: records `firstIndex .. firstIndex + count - 1`, stored back to
 * back from byte 0. Offsets are 32-bit, so a segment is at most 4 GiB.
 */
export class Segment {
  /** Bytes of complete, durable records (the file may be longer during a write). */
  sizeBytes = 0;
  private readonly offsets = new GrowableArray("u32", 256);

  constructor(
    /** File name, see {@link segmentName}. */
    readonly name: string,
    /** Raft index of the first record (also of a future first record when empty). */
    readonly firstIndex: bigint,
  ) {}

  /** Number of records. */
  get count(): number {
    return this.offsets.length;
  }

  /** Index of the last record (`firstIndex - 1` when empty). */
  get lastIndex(): bigint {
    return this.firstIndex + BigInt(this.count) - 1n;
  }

  /** Bytes held by the offset index. */
  get indexBytes(): number {
    return this.offsets.capacityBytes;
  }

  /** Records a line of `lineBytes` appended at the end. */
  append(lineBytes: number): void {
    assert(this.sizeBytes + lineBytes <= 0xffffffff, "segment over 4 GiB");
    this.offsets.push(this.sizeBytes);
    this.sizeBytes += lineBytes;
  }

  /** Byte offset where record number `local` (0-based) starts; `count` gives the end. */
  offsetOf(local: number): number {
    return local === this.count ? this.sizeBytes : this.offsets.get(local);
  }

  /** Keeps the first `count` records. */
  truncate(count: number): void {
    this.sizeBytes = this.offsetOf(count);
    this.offsets.truncate(count);
  }
}
