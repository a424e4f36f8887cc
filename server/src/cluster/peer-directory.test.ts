import { expect, it } from "vitest";
import { PeerDirectory } from "./peer-directory.js";

it("routes override peer URLs, and log records and messages fill in client URLs", () => {
  const d = new PeerDirectory("n1", { peerUrl: "http://a:1", clientUrl: "http://a:0" }, new Map([["n2", "http://b:1"], ["n3", "http://c:1"]]), new Map([["n3", "http://proxy:9"]]));
  expect(d.dialUrl("n2")).toBe("http://b:1");
  expect(d.dialUrl("n3")).toBe("http://proxy:9");
  expect(d.clientUrl("n2")).toBe("");
  d.learnFromPeer("n2", "http://b:0", "");
  d.learnChange({ kind: "addLearner", nodeId: "n4", peerUrl: "http://d:1", clientUrl: "http://d:0" });
  expect([d.clientUrl("n2"), d.dialUrl("n4"), d.clientUrl("n4")]).toEqual(["http://b:0", "http://d:1", "http://d:0"]);
  expect(d.dialUrl("n9")).toBeUndefined();
  d.learnFromPeer("n9", "", "http://i:1");
  expect(d.dialUrl("n9")).toBe("http://i:1");
});
