import { describe, expect, it } from "vitest";
import { checkListener, checkStreamContinuity, type ListenObservation } from "./check-listener.js";
import type { LoggedEntry } from "./logged-entry.js";

const committed: LoggedEntry[] = ["a", "b", "c", "d", "e"].map((id, i) => ({ id, seq: BigInt(i + 1) }));
const e = (seq: number): LoggedEntry => ({ id: committed[seq - 1]?.id ?? `?${seq}`, seq: BigInt(seq) });
const msg = (after: number, through: number, ...seqs: number[]): ListenObservation => ({ afterSeq: BigInt(after), throughSeq: BigInt(through), entries: seqs.map(e) });

describe("checkListener", () => {
  it("passes for a backlog, heartbeats and a resume after the last throughSeq", () => {
    const seen = [msg(0, 2, 1, 2), msg(2, 2), msg(2, 3, 3), /* reconnect */ msg(3, 5, 4, 5), msg(5, 5)];
    expect(checkListener(seen, committed)).toEqual([]);
  });

  it("passes for a listener that started from a cursor", () => {
    expect(checkListener([msg(3, 5, 4, 5)], committed, { startAfterSeq: 3n })).toEqual([]);
  });

  it("reports a gap between messages", () => {
    expect(checkListener([msg(0, 2, 1, 2), msg(3, 5, 4, 5)], committed)).toEqual(["message 2 (3, 5]: starts after 2, so seqs 3..3 were skipped"]);
  });

  it("reports a gap inside a message's range", () => {
    const v = checkListener([msg(0, 3, 1, 3)], committed);
    expect(v).toEqual(["message 1 (0, 3]: seqs 2..2 missing before c@3"]);
  });

  it("reports a range claimed but not delivered at its end", () => {
    expect(checkListener([msg(0, 3, 1, 2)], committed)).toEqual(["message 1 (0, 3]: seqs 3..3 missing at the end of the range"]);
  });

  it("reports a duplicate after an overlapping resume", () => {
    const v = checkListener([msg(0, 2, 1, 2), msg(1, 3, 2, 3)], committed);
    expect(v).toContain("message 2 (1, 3]: starts before the cursor 2, so it covers seqs already delivered");
    expect(v).toContain("message 2 (1, 3]: seq 2 (b) delivered again");
  });

  it("reports entries out of order", () => {
    const v = checkListener([msg(0, 2, 2, 1)], committed);
    expect(v.some((m) => m.includes("a@1 is out of order"))).toBe(true);
  });

  it("reports an entry that never committed and a range past the committed log", () => {
    const v = checkListener([msg(5, 6, 6)], committed, { startAfterSeq: 5n });
    expect(v).toContain("message 1 (5, 6]: reaches past the last committed seq 5");
    expect(v).toContain("message 1 (5, 6]: entry ?6@6 is not in the committed log");
  });

  it("reports a seq delivered with a different id than the committed one", () => {
    const seen: ListenObservation[] = [{ afterSeq: 0n, throughSeq: 1n, entries: [{ id: "lost-leader-entry", seq: 1n }] }];
    expect(checkListener(seen, committed)).toEqual(["message 1 (0, 1]: seq 1 delivered as lost-leader-entry but the committed log has a"]);
  });

  it("with filters, allows missing seqs inside a range but still checks the cursor", () => {
    expect(checkListener([msg(0, 3, 2), msg(3, 5)], committed, { unfiltered: false })).toEqual([]);
    expect(checkListener([msg(0, 3, 2), msg(4, 5)], committed, { unfiltered: false })).toHaveLength(1);
  });
});

describe("checkStreamContinuity (no committed log)", () => {
  const u = { unfiltered: true };
  const f = { unfiltered: false };

  it("accepts chained ranges, heartbeats and a start beyond the head", () => {
    expect(checkStreamContinuity([msg(0, 2, 1, 2), msg(2, 2), msg(2, 3, 3)], u)).toEqual([]);
    expect(checkStreamContinuity([msg(7, 7), msg(7, 9, 8, 9)], { startAfterSeq: 7n })).toEqual([]);
  });

  it("does not need the entries to be committed", () => {
    expect(checkStreamContinuity([msg(5, 7, 6, 7)], { startAfterSeq: 5n })).toEqual([]);
  });

  it("reports a message that skips ahead of the cursor or goes back over it", () => {
    expect(checkStreamContinuity([msg(0, 2, 1, 2), msg(3, 4, 4)], u)).toEqual(["message 2 (3, 4]: starts after 2, so seqs 3..3 were skipped"]);
    expect(checkStreamContinuity([msg(0, 2, 1, 2), msg(1, 3, 2, 3)], u)).toEqual([
      "message 2 (1, 3]: starts before the cursor 2, so it covers seqs already delivered",
      "message 2 (1, 3]: seq 2 (b) delivered again",
    ]);
  });

  it("reports holes in an unfiltered range and entries outside or out of order", () => {
    expect(checkStreamContinuity([msg(0, 3, 1, 3)], u)).toEqual(["message 1 (0, 3]: seqs 2..2 missing before c@3"]);
    expect(checkStreamContinuity([msg(0, 3, 1, 2)], u)).toEqual(["message 1 (0, 3]: seqs 3..3 missing at the end of the range"]);
    expect(checkStreamContinuity([msg(0, 2, 3)], f)).toEqual(["message 1 (0, 2]: entry c@3 lies outside the message's range"]);
    expect(checkStreamContinuity([msg(0, 3, 2, 1)], f)).toEqual(["message 1 (0, 3]: entry a@1 is out of order (after seq 2)"]);
    expect(checkStreamContinuity([msg(3, 2)], { startAfterSeq: 3n, unfiltered: false })).toEqual(["message 1 (3, 2]: range ends before it starts"]);
  });

  it("allows missing seqs in a filtered stream but still checks the chain", () => {
    expect(checkStreamContinuity([msg(0, 4, 2), msg(4, 6)], f)).toEqual([]);
    expect(checkStreamContinuity([msg(0, 4, 2), msg(5, 6)], f)).toHaveLength(1);
  });
});
