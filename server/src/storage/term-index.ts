/**
 * Terms of the log as run-length ranges: terms change rarely (once per
 * election), so this is a handful of entries for any log length.
 */
import assert from "node:assert/strict";

/** Maps Raft indexes to terms; indexes must be appended in order, terms never decrease. */
export class TermIndex {
  private readonly starts: bigint[] = [];
  private readonly terms: bigint[] = [];

  /** Number of runs (for memory reports). */
  get runs(): number {
    return this.starts.length;
  }

  /** The term of the last run, or undefined when empty. */
  get lastTerm(): bigint | undefined {
    return this.terms.at(-1);
  }

  /** Notes that record `index` has `term`. Asserts terms do not decrease (thesis §3.5). */
  append(index: bigint, term: bigint): void {
    const last = this.terms.at(-1);
    if (last === term) return;
    assert(last === undefined || term > last, `term ${term} at index ${index} is below ${last}`);
    this.starts.push(index);
    this.terms.push(term);
  }

  /** The term of `index`; the caller guarantees the index is in the log. */
  termAt(index: bigint): bigint {
    let lo = 0;
    let hi = this.starts.length - 1;
    assert(hi >= 0 && index >= this.starts[0]!, `no term for index ${index}`);
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.starts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return this.terms[lo]!;
  }

  /** Forgets every index above `index`. */
  truncateAfter(index: bigint): void {
    while (this.starts.length > 0 && this.starts.at(-1)! > index) {
      this.starts.pop();
      this.terms.pop();
    }
  }
}
