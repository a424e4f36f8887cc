import { describe, expect, it } from "vitest";
import { checkLogsAgree } from "./check-logs-agree.js";
import type { LoggedEntry } from "./logged-entry.js";

const log = (...ids: string[]): LoggedEntry[] => ids.map((id, i) => ({ id, seq: BigInt(i + 1) }));

describe("checkLogsAgree", () => {
  it("passes for identical logs and for a lagging node, reporting the shortest length as common prefix", () => {
    const r = checkLogsAgree(new Map([["n1", log("a", "b", "c")], ["n2", log("a", "b", "c")], ["n3", log("a", "b")]]));
    expect(r).toEqual({ violations: [], commonPrefixLength: 2 });
  });

  it("passes for no logs and for empty logs", () => {
    expect(checkLogsAgree(new Map())).toEqual({ violations: [], commonPrefixLength: 0 });
    expect(checkLogsAgree(new Map([["n1", []], ["n2", log("a")]]))).toEqual({ violations: [], commonPrefixLength: 0 });
  });

  it("reports diverging logs and the prefix they still share", () => {
    const r = checkLogsAgree(new Map([["n1", log("a", "b", "c")], ["n2", log("a", "x", "c")], ["n3", log("a", "b", "c")]]));
    expect(r.commonPrefixLength).toBe(1);
    expect(r.violations).toEqual(["logs of n1 and n2 diverge at position 2: b@2 vs x@2"]);
  });

  it("reports seqs that are not dense from 1", () => {
    const r = checkLogsAgree(new Map([["n1", [{ id: "a", seq: 1n }, { id: "b", seq: 3n }]]]));
    expect(r.violations).toEqual(["n1: position 2 holds seq 3, expected 2 (seqs must be dense from 1)"]);
  });

  it("reports an id that appears twice in one log", () => {
    const r = checkLogsAgree(new Map([["n2", log("a", "b", "a")]]));
    expect(r.violations).toEqual(["n2: id a appears twice (positions 1 and 3)"]);
  });

  it("reports a divergence between same-length logs in one place", () => {
    const r = checkLogsAgree(new Map([["n1", log("a", "b")], ["n2", log("b", "a")]]));
    expect(r.commonPrefixLength).toBe(0);
    expect(r.violations).toHaveLength(1);
  });
});
