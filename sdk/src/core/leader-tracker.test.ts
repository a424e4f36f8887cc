import { describe, expect, it } from "vitest";
import { LeaderTracker } from "./leader-tracker.js";
import { asTerm } from "./seq.js";

const hint = (leaderUrl: string, term: bigint) => ({ leaderId: "x", leaderUrl, term: asTerm(term) });

describe("LeaderTracker", () => {
  it("follows a hint only when its term is newer than the last seen", () => {
    const t = new LeaderTracker();
    t.observe({ leaderId: "n1", leaderUrl: "http://a", term: 5n });
    expect(t.shouldFollow(hint("http://b", 6n), "http://c", 0, 3)).toBe(true);
    expect(t.shouldFollow(hint("http://b", 5n), "http://c", 0, 3)).toBe(false);
    expect(t.shouldFollow(hint("http://b", 4n), "http://c", 0, 3)).toBe(false);
  });

  it("never follows a hint back to the node that sent it, nor an empty one", () => {
    const t = new LeaderTracker();
    expect(t.shouldFollow(hint("http://a", 9n), "http://a", 0, 3)).toBe(false);
    expect(t.shouldFollow(hint("", 9n), "http://a", 0, 3)).toBe(false);
  });

  it("caps redirects per call", () => {
    const t = new LeaderTracker();
    expect(t.shouldFollow(hint("http://b", 2n), "http://a", 2, 3)).toBe(true);
    expect(t.shouldFollow(hint("http://b", 2n), "http://a", 3, 3)).toBe(false);
  });

  it("ignores older terms and reports a leader change", () => {
    const t = new LeaderTracker();
    expect(t.observe({ leaderId: "n1", leaderUrl: "http://a", term: 3n })).toBeUndefined();
    expect(t.observe({ leaderId: "n2", leaderUrl: "http://b", term: 2n })).toBeUndefined();
    expect(t.view().leaderUrl).toBe("http://a");
    expect(t.observe({ leaderId: "n2", leaderUrl: "http://b", term: 4n })).toEqual({
      from: "http://a",
      to: "http://b",
      term: 4n,
    });
  });

  it("keeps the URL when a stream names the same leader without one", () => {
    const t = new LeaderTracker();
    t.observe({ leaderId: "n1", leaderUrl: "http://a", term: 3n });
    t.observe({ leaderId: "n1", term: 3n });
    expect(t.view().leaderUrl).toBe("http://a");
  });

  it("forgets a failed leader but keeps the term", () => {
    const t = new LeaderTracker();
    t.observe({ leaderId: "n1", leaderUrl: "http://a", term: 3n });
    expect(t.forget("http://b")).toBe(false);
    expect(t.forget("http://a")).toBe(true);
    expect(t.view()).toEqual({ leaderId: "", leaderUrl: "", term: 3n });
  });
});
