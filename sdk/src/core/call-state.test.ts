import { describe, expect, it } from "vitest";
import { sequenceRandom } from "../testing/seeded-random.js";
import { CallState, chooseEndpoint } from "./call-state.js";
import { EndpointSet } from "./endpoint-set.js";
import { LeaderTracker } from "./leader-tracker.js";

const peers = ["http://a:1", "http://b:1", "http://c:1"];

describe("chooseEndpoint", () => {
  it("prefers a followed hint, then the leader, then round-robin", () => {
    const endpoints = new EndpointSet(peers, sequenceRandom([0]));
    const tracker = new LeaderTracker();
    const state = new CallState();
    expect(chooseEndpoint(state, endpoints, tracker)).toBe("http://a:1");
    tracker.observe({ leaderId: "n3", leaderUrl: "http://c:1", term: 1n });
    expect(chooseEndpoint(state, endpoints, tracker)).toBe("http://c:1");
    state.redirectTo = "http://b:1";
    expect(chooseEndpoint(state, endpoints, tracker)).toBe("http://b:1");
    expect(chooseEndpoint(state, endpoints, tracker)).toBe("http://c:1");
    expect(state.attempts).toBe(4);
  });

  it("skips peers that failed in this call, and starts over when all have", () => {
    const endpoints = new EndpointSet(peers, sequenceRandom([0]));
    const tracker = new LeaderTracker();
    const state = new CallState();
    state.avoid.add("http://a:1");
    state.avoid.add("http://b:1");
    expect(chooseEndpoint(state, endpoints, tracker)).toBe("http://c:1");
    state.avoid.add("http://c:1");
    expect(peers).toContain(chooseEndpoint(state, endpoints, tracker));
    expect(state.avoid.size).toBe(0);
  });

  it("always uses a pinned peer", () => {
    const endpoints = new EndpointSet(peers, sequenceRandom([0]));
    const state = new CallState("http://b:1");
    state.redirectTo = "http://c:1";
    expect(chooseEndpoint(state, endpoints, new LeaderTracker())).toBe("http://b:1");
  });
});
