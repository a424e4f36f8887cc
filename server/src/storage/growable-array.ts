/**
 * A growable typed array of numbers: the building block of the in-memory
 * indexes, which must stay a few bytes per record (no objects per record).
 */
import assert from "node:assert/strict";

type NumberArray = Float64Array | Uint32Array;

/** Element type: `f64` holds integers up to 2^53, `u32` up to 2^32 - 1. */
export type GrowableKind = "f64" | "u32";

/** An append-only (with truncation) array of numbers backed by a typed array that doubles when full. */
export class GrowableArray {
  private data: NumberArray;
  private size = 0;

  constructor(
    private readonly kind: GrowableKind,
    initialCapacity = 64,
  ) {
    this.data = this.allocate(Math.max(1, initialCapacity));
  }

  /** Number of elements. */
  get length(): number {
    return this.size;
  }

  /** Bytes held by the backing store (for memory reports). */
  get capacityBytes(): number {
    return this.data.byteLength;
  }

  /** Appends `value`. */
  push(value: number): void {
    if (this.size === this.data.length) {
      const next = this.allocate(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.size++] = value;
  }

  /** The element at `i`; asserts `0 <= i < length`. */
  get(i: number): number {
    assert(i >= 0 && i < this.size, `index ${i} out of range 0..${this.size - 1}`);
    return this.data[i]!;
  }

  /** The last element; asserts the array is not empty. */
  last(): number {
    return this.get(this.size - 1);
  }

  /** Keeps the first `length` elements. */
  truncate(length: number): void {
    assert(length >= 0 && length <= this.size, `cannot truncate ${this.size} elements to ${length}`);
    this.size = length;
  }

  /** First position whose element is `> value` (elements must be sorted ascending). */
  upperBound(value: number): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.data[mid]! <= value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private allocate(capacity: number): NumberArray {
    return this.kind === "f64" ? new Float64Array(capacity) : new Uint32Array(capacity);
  }
}
