import { describe, expect, it } from "vitest";
import type { DriverBatch } from "../driver/driver-contract.js";
import type { ListenerRecord } from "../driver/driver-process.js";
import { listenerThroughSeq, summarizeListener } from "./listener-summary.js";

const batch = (after: number, through: number, ...seqs: number[]): DriverBatch => ({
  afterSeq: String(after),
  throughSeq: String(through),
  entries: seqs.map((s) => ({ seq: String(s), id: `e${s}` })),
});
const record = (batches: DriverBatch[], startAfterSeq = 0n): ListenerRecord => ({ name: "l", startAfterSeq, batches, ended: false });

describe("summarizeListener", () => {
  it("accepts a backlog, heartbeats and a resume that continues at the cursor", () => {
    const s = summarizeListener(record([batch(0, 2, 1, 2), batch(2, 2), batch(2, 4, 3, 4)]));
    expect(s).toMatchObject({ batches: 3, seqs: ["1", "2", "3", "4"], throughSeq: "4", contiguous: true, problems: [] });
  });

  it("starts at the listener's cursor", () => {
    expect(summarizeListener(record([batch(5, 6, 6)], 5n)).contiguous).toBe(true);
    expect(summarizeListener(record([batch(0, 6, 1, 2, 3, 4, 5, 6)], 5n)).problems).toEqual(["message 1 (0, 6]: starts before the cursor 5, so it covers seqs already delivered"]);
  });

  it("reports a batch that skips past the cursor (a resume from the wrong seq)", () => {
    const s = summarizeListener(record([batch(0, 2, 1, 2), batch(3, 4, 4)]));
    expect(s.contiguous).toBe(false);
    expect(s.problems).toEqual(["message 2 (3, 4]: starts after 2, so seqs 3..3 were skipped"]);
  });

  it("reports a repeat, a hole inside a batch and a range not delivered to its end", () => {
    expect(summarizeListener(record([batch(0, 2, 1, 2), batch(1, 3, 2, 3)])).problems).toEqual([
      "message 2 (1, 3]: starts before the cursor 2, so it covers seqs already delivered",
      "message 2 (1, 3]: seq 2 (e2) delivered again",
    ]);
    expect(summarizeListener(record([batch(0, 3, 1, 3)])).problems).toEqual(["message 1 (0, 3]: seqs 2..2 missing before e3@3"]);
    expect(summarizeListener(record([batch(0, 3, 1, 2)])).problems).toEqual(["message 1 (0, 3]: seqs 3..3 missing at the end of the range"]);
  });

  it("reports entries out of order", () => {
    expect(summarizeListener(record([batch(0, 2, 2, 1)])).contiguous).toBe(false);
  });

  it("spells out ten problems and counts the rest", () => {
    const gaps = Array.from({ length: 12 }, (_, i) => batch(3 * i + 1, 3 * i + 2, 3 * i + 2));
    const s = summarizeListener(record(gaps));
    expect(s.problems).toHaveLength(11);
    expect(s.problems[10]).toBe("… and 2 more");
  });

  it("reports the start cursor as throughSeq before any batch", () => {
    expect(listenerThroughSeq(record([], 7n))).toBe(7n);
    expect(summarizeListener(record([], 7n))).toMatchObject({ batches: 0, throughSeq: "7", contiguous: true });
  });
});
