import { describe, expect, it } from "vitest";
import { analyzeHints, unexpectedProbeFailures, type HintSample } from "./hint-analysis.js";

const hint = (node: string, term: number, leaderId: string, atMs = 0): HintSample => ({ node, kind: "hint", leaderId, term: BigInt(term), atMs });
const leader = (node: string): HintSample => ({ node, kind: "leader", leaderId: "", term: 0n, atMs: 0 });

describe("analyzeHints", () => {
  it("accepts terms that rise or stay, empty hints and leader replies", () => {
    const a = analyzeHints([hint("n1", 2, "n2"), leader("n2"), hint("n1", 3, ""), hint("n3", 3, "n1"), hint("n1", 3, "n1"), hint("n1", 5, "n3")]);
    expect(a.decreases).toEqual([]);
    expect(a.conflicts).toEqual([]);
    expect(a.terms).toEqual([2n, 3n, 5n]);
    expect(a.perNode).toEqual({ n1: { hints: 4, firstTerm: 2n, lastTerm: 5n }, n3: { hints: 1, firstTerm: 3n, lastTerm: 3n } });
  });

  it("reports a node whose hint term goes down, against the highest it hinted before", () => {
    const a = analyzeHints([hint("n1", 4, "n2"), hint("n1", 6, "n3"), hint("n2", 3, "n1"), hint("n1", 5, "n2", 700)]);
    expect(a.decreases).toEqual([{ node: "n1", term: 5n, after: 6n, atMs: 700 }]);
  });

  it("does not compare terms across nodes (a lagging node may hint an older term)", () => {
    expect(analyzeHints([hint("n1", 7, "n2"), hint("n3", 4, "n1")]).decreases).toEqual([]);
  });

  it("reports two leaders hinted for one term, by any nodes", () => {
    const a = analyzeHints([hint("n1", 4, "n2"), hint("n3", 4, "n1"), hint("n2", 4, "")]);
    expect(a.conflicts).toEqual([{ term: 4n, leaders: ["n1", "n2"] }]);
  });
});

describe("unexpectedProbeFailures", () => {
  it("excuses what a stopped, paused, killed or starting node gives, and counts every other code", () => {
    expect(unexpectedProbeFailures({})).toBe(0);
    expect(unexpectedProbeFailures({ unavailable: 3, deadline_exceeded: 2, canceled: 1, aborted: 1 })).toBe(0);
    expect(unexpectedProbeFailures({ unavailable: 3, internal: 2, unknown: 1, invalid_argument: 4 })).toBe(7);
  });
});
