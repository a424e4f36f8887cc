import { describe, expect, it } from "vitest";
import { FakeCluster } from "../testing/fake-cluster.js";
import { createClient, SynodError } from "./index.js";

describe("@synod/sdk/web", () => {
  it("builds a client over an injected transport and re-exports the core", async () => {
    const cluster = new FakeCluster({ nodes: 1 });
    const client = createClient({ peers: cluster.peers(), transport: cluster.transport, refreshPeersMs: 0 });
    expect(await client.append({ type: "task", content: "x" })).toMatchObject({ seq: 1n });
    expect(new SynodError({ kind: "internal", message: "m", failure: "fatal", retryable: false }).kind).toBe("internal");
  });

  it("builds a fetch transport by default without sending anything", () => {
    const client = createClient({ peers: "hub-a:9900,hub-b:9900", refreshPeersMs: 0 });
    expect(client.peers()).toEqual(["http://hub-a:9900", "http://hub-b:9900"]);
    client.close();
  });
});
