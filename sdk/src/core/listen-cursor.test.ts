import { describe, expect, it } from "vitest";
import { ListenCursor, silenceLimitMs } from "./listen-cursor.js";
import { isSynodError } from "./synod-error.js";

const msg = (afterSeq: bigint, throughSeq: bigint, entrySeqs: bigint[] = []) => ({ afterSeq, throughSeq, entrySeqs });

function invariant(fn: () => unknown): boolean {
  try {
    fn();
    return false;
  } catch (error) {
    return isSynodError(error, "invariant") && error.retryable === false;
  }
}

describe("ListenCursor", () => {
  it("accepts contiguous messages, heartbeats and filtered ranges", () => {
    const c = new ListenCursor(0n);
    expect(c.accept(msg(0n, 3n, [1n, 2n, 3n]))).toBe("deliver");
    expect(c.accept(msg(3n, 3n))).toBe("deliver");
    expect(c.accept(msg(3n, 10n, [7n]))).toBe("deliver");
    expect(c.seq).toBe(10n);
  });

  it("drops a replay wholly at or below the cursor", () => {
    const c = new ListenCursor(5n);
    expect(c.accept(msg(2n, 5n, [3n]))).toBe("duplicate");
    expect(c.accept(msg(4n, 4n))).toBe("duplicate");
    expect(c.seq).toBe(5n);
  });

  it("raises an invariant error on a gap", () => {
    const c = new ListenCursor(5n);
    expect(invariant(() => c.accept(msg(6n, 8n)))).toBe(true);
    expect(c.seq).toBe(5n);
  });

  it("raises an invariant error on a backwards or overlapping range", () => {
    expect(invariant(() => new ListenCursor(5n).accept(msg(3n, 7n, [6n])))).toBe(true);
    expect(invariant(() => new ListenCursor(5n).accept(msg(5n, 4n)))).toBe(true);
  });

  it("raises an invariant error on entries outside the range or out of order", () => {
    expect(invariant(() => new ListenCursor(0n).accept(msg(0n, 2n, [3n])))).toBe(true);
    expect(invariant(() => new ListenCursor(0n).accept(msg(0n, 3n, [2n, 1n])))).toBe(true);
    expect(invariant(() => new ListenCursor(0n).accept(msg(0n, 3n, [0n])))).toBe(true);
  });

  it("gives a silence limit of three heartbeats by default", () => {
    expect(silenceLimitMs(1_000)).toBe(3_000);
    expect(silenceLimitMs(500, 4)).toBe(2_000);
    expect(silenceLimitMs(500, 1)).toBe(1_000);
  });
});
