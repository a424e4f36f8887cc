import { describe, expect, it } from "vitest";
import type { FakeRequestRecord } from "./request-recorder.js";
import { summarizeRequests } from "./requests-op.js";

const rec = (server: string, method: string, atMs: number, ids?: string[]): FakeRequestRecord => ({
  server,
  method,
  atMs,
  body: {},
  ...(ids !== undefined ? { ids } : {}),
  answered: "ok:auto",
  protocol: "connect",
  httpVersion: "2.0",
});

describe("summarizeRequests", () => {
  it("lists servers, gaps, span and times since the first and last request", () => {
    const s = summarizeRequests([rec("a", "Read", 10), rec("b", "Read", 25), rec("a", "Read", 70)], 100, []);
    expect(s).toMatchObject({ count: 3, servers: ["a", "b", "a"], methods: ["Read", "Read", "Read"], gapsMs: [15, 45], spanMs: 60, sinceFirstMs: 90, sinceLastMs: 30 });
  });

  it("counts the distinct id lists of appends: one when every retry reused the ids", () => {
    expect(summarizeRequests([rec("a", "Append", 1, ["x", "y"]), rec("b", "Append", 2, ["x", "y"])], 3, []).distinctIdLists).toBe(1);
    expect(summarizeRequests([rec("a", "Append", 1, ["x", "y"]), rec("b", "Append", 2, ["x", "z"])], 3, []).distinctIdLists).toBe(2);
    expect(summarizeRequests([rec("a", "Append", 1, ["x", "y"]), rec("b", "Append", 2, ["y", "x"])], 3, []).distinctIdLists).toBe(2);
  });

  it("has no times since requests when none were selected", () => {
    const s = summarizeRequests([], 5, [{ seq: "1", id: "x" }]);
    expect(s).toMatchObject({ count: 0, gapsMs: [], spanMs: 0, distinctIdLists: 0, log: [{ seq: "1", id: "x" }] });
    expect(s.sinceFirstMs).toBeUndefined();
    expect(s.sinceLastMs).toBeUndefined();
  });
});
