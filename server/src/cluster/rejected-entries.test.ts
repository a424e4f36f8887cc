import { describe, expect, it } from "vitest";
import { seq, term } from "../raft/types.js";
import type { StoredEntry } from "../raft/types.js";
import { resubmitChunkBytesMax, resubmitChunkEntriesMax, resubmitChunks } from "./rejected-entries.js";

const entry = (i: number, contentBytes = 10): StoredEntry => ({
  id: `e-${i}`, type: "note", content: "x".repeat(contentBytes), meta: {}, createdAtMs: 0, seq: seq(BigInt(i)), origin: "o", term: term(1n), committedAtMs: 0,
});

describe("resubmitChunks", () => {
  it("keeps order and splits at the entry limit", () => {
    const entries = Array.from({ length: 2 * resubmitChunkEntriesMax + 5 }, (_, i) => entry(i));
    const chunks = resubmitChunks(entries);
    expect(chunks.map((c) => c.length)).toEqual([resubmitChunkEntriesMax, resubmitChunkEntriesMax, 5]);
    expect(chunks.flat().map((e) => e.id)).toEqual(entries.map((e) => e.id));
  });

  it("splits at the byte limit and gives an oversized entry a chunk of its own", () => {
    const big = Math.floor(resubmitChunkBytesMax / 3);
    const chunks = resubmitChunks([entry(1, big), entry(2, big), entry(3, big), entry(4, resubmitChunkBytesMax + 1), entry(5)]);
    expect(chunks.map((c) => c.map((e) => e.id))).toEqual([["e-1", "e-2"], ["e-3"], ["e-4"], ["e-5"]]);
  });

  it("returns nothing for nothing", () => {
    expect(resubmitChunks([])).toEqual([]);
  });
});
