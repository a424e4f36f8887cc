/**
 * seq -> Raft index for data entries. Seqs are dense (DESIGN §3), so entry
 * number `k` (its ordinal) has seq `firstSeq + k` and only its Raft index is
 * stored: 8 bytes per entry. Raft indexes stay below 2^53 (checked), which is
 * why a Float64Array can hold them.
 */
import assert from "node:assert/strict";
import { GrowableArray } from "./growable-array.js";

const INDEX_MAX = BigInt(Number.MAX_SAFE_INTEGER);

/** Dense seq -> Raft index map with truncation. */
export class SeqIndex {
  private first: bigint | undefined;
  private readonly indexes = new GrowableArray("f64", 1024);

  /** Number of entries. */
  get count(): number {
    return this.indexes.length;
  }

  /** Seq of the first entry, or undefined when empty. */
  get firstSeq(): bigint | undefined {
    return this.count === 0 ? undefined : this.first;
  }

  /** Seq of the last entry, or 0 when there is none. */
  get lastSeq(): bigint {
    return this.first === undefined || this.count === 0 ? 0n : this.first + BigInt(this.count) - 1n;
  }

  /** Bytes held (for memory reports). */
  get capacityBytes(): number {
    return this.indexes.capacityBytes;
  }

  /** Why entry `seq` cannot come next, or undefined if it can. */
  checkNext(seq: bigint): string | undefined {
    if (this.count === 0) return seq >= 1n ? undefined : `seq ${seq} is below 1`;
    const expected = this.lastSeq + 1n;
    return seq === expected ? undefined : `seq ${seq} where ${expected} was expected`;
  }

  /** Appends entry `seq` at Raft index `index`; asserts density. */
  push(seq: bigint, index: bigint): void {
    const problem = this.checkNext(seq);
    assert(problem === undefined, problem);
    assert(index <= INDEX_MAX, `raft index ${index} over 2^53`);
    if (this.count === 0) this.first = seq;
    this.indexes.push(Number(index));
  }

  /** Ordinal (0-based position) of `seq`, or undefined when not in the log. */
  ordinalOf(seq: bigint): number | undefined {
    if (this.first === undefined || seq < this.first || seq > this.lastSeq) return undefined;
    return Number(seq - this.first);
  }

  /** Raft index of entry number `ordinal`. */
  indexAt(ordinal: number): bigint {
    return BigInt(this.indexes.get(ordinal));
  }

  /** Seq of entry number `ordinal`. */
  seqAt(ordinal: number): bigint {
    assert(this.first !== undefined && ordinal < this.count, `no entry ${ordinal}`);
    return this.first + BigInt(ordinal);
  }

  /** Number of entries whose Raft index is `<= index`. */
  countThrough(index: bigint): number {
    return this.indexes.upperBound(index > INDEX_MAX ? Number.MAX_SAFE_INTEGER : Number(index));
  }

  /** Keeps the first `count` entries. */
  truncate(count: number): void {
    this.indexes.truncate(count);
  }
}
