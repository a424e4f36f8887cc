import { describe, expect, it } from "vitest";
import { sequenceRandom } from "../testing/seeded-random.js";
import { EndpointSet } from "./endpoint-set.js";

const seeds = ["http://a:1", "http://b:1"];

describe("EndpointSet", () => {
  it("starts from seeds, at a random offset, and round-robins", () => {
    const set = new EndpointSet(seeds, sequenceRandom([0.6]));
    const none = new Set<string>();
    expect([set.next(none), set.next(none), set.next(none)]).toEqual(["http://b:1", "http://a:1", "http://b:1"]);
  });

  it("learns members, lists them first and keeps seeds as a last resort", () => {
    const set = new EndpointSet(seeds, sequenceRandom([0]));
    const changed = set.applyMembers([
      { nodeId: "n1", clientUrl: "c:1" },
      { nodeId: "n2", clientUrl: "http://a:1" },
    ]);
    expect(changed).toBe(true);
    expect(set.urls()).toEqual(["http://c:1", "http://a:1", "http://b:1"]);
    expect(set.nodeIdOf("http://c:1")).toBe("n1");
  });

  it("drops removed members but never seeds", () => {
    const set = new EndpointSet(seeds, sequenceRandom([0]));
    set.applyMembers([{ nodeId: "n1", clientUrl: "c:1" }, { nodeId: "n4", clientUrl: "d:1" }]);
    expect(set.applyMembers([{ nodeId: "n4", clientUrl: "d:1" }])).toBe(true);
    expect(set.urls()).toEqual(["http://d:1", "http://a:1", "http://b:1"]);
    expect(set.applyMembers([{ nodeId: "n4", clientUrl: "d:1" }])).toBe(false);
  });

  it("ignores an empty or URL-less member list", () => {
    const set = new EndpointSet(seeds, sequenceRandom([0]));
    expect(set.applyMembers([])).toBe(false);
    expect(set.applyMembers([{ nodeId: "x", clientUrl: "" }])).toBe(false);
    expect(set.urls()).toEqual(seeds);
  });

  it("skips avoided peers, and still answers when all are avoided", () => {
    const set = new EndpointSet(["http://a:1", "http://b:1", "http://c:1"], sequenceRandom([0]));
    expect(set.next(new Set(["http://a:1"]))).toBe("http://b:1");
    const all = new Set(set.urls());
    expect(set.urls()).toContain(set.next(all));
  });
});

describe("EndpointSet.urlOf", () => {
  it("maps a member's node id to its URL", () => {
    const set = new EndpointSet(seeds, sequenceRandom([0]));
    set.applyMembers([{ nodeId: "n1", clientUrl: "c:1" }]);
    expect(set.urlOf("n1")).toBe("http://c:1");
    expect(set.urlOf("n9")).toBeUndefined();
    expect(set.urlOf("")).toBeUndefined();
  });
});
