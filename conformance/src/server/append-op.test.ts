import { WriteConcern } from "@synod/proto/entry";
import { describe, expect, it } from "vitest";
import type { Outcome } from "../case-format/case-types.js";
import { appendRequestOf, defaultEntryType, summarizeReplies } from "./append-op.js";

describe("appendRequestOf", () => {
  it("fills type and content, and maps the write concern", () => {
    const req = appendRequestOf({ entries: [{ id: "a" }, { id: "b", type: "task", content: "x", meta: { k: "v" } }], writeConcern: "LEADER" });
    expect(req.entries.map((e) => [e.id, e.type, e.content, e.meta])).toEqual([["a", defaultEntryType, "content of a", {}], ["b", "task", "x", { k: "v" }]]);
    expect(req.writeConcern).toBe(WriteConcern.LEADER);
    expect(appendRequestOf({ entries: [] }).writeConcern).toBe(WriteConcern.MAJORITY);
  });

  it("refuses a malformed step instead of sending something else", () => {
    expect(() => appendRequestOf({})).toThrow(/needs entries/);
    expect(() => appendRequestOf({ entries: [{ type: "task" }] })).toThrow(/string id/);
    expect(() => appendRequestOf({ entries: [{ id: "a" }], writeConcern: "ALL" })).toThrow(/MAJORITY or LEADER/);
  });
});

describe("summarizeReplies", () => {
  const reply = (...results: [string, string, boolean][]): Outcome => ({ ok: { results: results.map(([id, seq, duplicate]) => ({ id, seq, duplicate })) } });

  it("collects distinct seqs and counts fresh results per id", () => {
    const s = summarizeReplies([reply(["a", "1", false]), reply(["a", "1", true]), { error: { code: "unavailable" } }, reply(["a", "1", true])]);
    expect(s).toEqual({ okCount: 3, errorCount: 1, seqsById: { a: ["1"] }, freshById: { a: 1 } });
  });

  it("shows a double append: two seqs, two fresh results", () => {
    const s = summarizeReplies([reply(["a", "1", false]), reply(["a", "2", false])]);
    expect(s.seqsById).toEqual({ a: ["1", "2"] });
    expect(s.freshById).toEqual({ a: 2 });
  });
});
