import { describe, expect, it } from "vitest";
import type { ListenObservation } from "../checkers/check-listener.js";
import { streamContinuity } from "./stream-continuity.js";

const msg = (after: number, through: number, ...seqs: number[]): ListenObservation => ({
  afterSeq: BigInt(after), throughSeq: BigInt(through), entries: seqs.map((s) => ({ id: `e${s}`, seq: BigInt(s) })),
});

describe("streamContinuity", () => {
  it("accepts chained ranges, heartbeats and a start beyond the head", () => {
    expect(streamContinuity([msg(0, 2, 1, 2), msg(2, 2), msg(2, 3, 3)], 0n, true)).toEqual([]);
    expect(streamContinuity([msg(7, 7), msg(7, 9, 8, 9)], 7n, true)).toEqual([]);
  });

  it("reports a message that skips ahead of the cursor or goes back over it", () => {
    expect(streamContinuity([msg(0, 2, 1, 2), msg(3, 4, 4)], 0n, true)).toEqual(["message 2 (3, 4]: starts after the cursor 2, so seqs 3..3 were skipped"]);
    expect(streamContinuity([msg(0, 2, 1, 2), msg(1, 3, 2, 3)], 0n, true)).toEqual(["message 2 (1, 3]: starts before the cursor 2, so it covers seqs already delivered"]);
  });

  it("reports holes in an unfiltered range and entries outside or out of order", () => {
    expect(streamContinuity([msg(0, 3, 1, 3)], 0n, true)).toEqual(["message 1 (0, 3]: seqs 2..2 missing before e3@3"]);
    expect(streamContinuity([msg(0, 3, 1, 2)], 0n, true)).toEqual(["message 1 (0, 3]: seqs 3..3 missing at the end of the range"]);
    expect(streamContinuity([msg(0, 2, 3)], 0n, false)).toEqual(["message 1 (0, 2]: entry e3@3 lies outside the range"]);
    expect(streamContinuity([msg(0, 3, 2, 1)], 0n, false)).toEqual(["message 1 (0, 3]: entry e1@1 is out of order (after seq 2)"]);
  });

  it("allows missing seqs in a filtered stream but still checks the chain", () => {
    expect(streamContinuity([msg(0, 4, 2), msg(4, 6)], 0n, false)).toEqual([]);
    expect(streamContinuity([msg(0, 4, 2), msg(5, 6)], 0n, false)).toHaveLength(1);
  });
});
