import { describe, expect, it } from "vitest";
import { eventsOf, SEED, setupClient } from "./client-test-kit.js";

describe(`peer refresh (SEED=${SEED})`, () => {
  it("learns members from status, keeping the seeds", async () => {
    const { client, events } = setupClient({ peers: ["n2.fake:9900"] });
    await client.refreshPeers();
    expect(client.peers()).toEqual(["http://n1.fake:9900", "http://n2.fake:9900", "http://n3.fake:9900"]);
    expect(eventsOf(events, "peers")).toHaveLength(1);
    expect(client.leader()).toMatchObject({ leaderId: "n1", leaderUrl: "http://n1.fake:9900" });
  });

  it("drops removed members on the timer but never a seed", async () => {
    const { client, clock } = setupClient({ peers: ["n3.fake:9900"], client: { refreshPeersMs: 1_000 } });
    clock.advance(1_000);
    await client.refreshPeers();
    expect(client.peers()).toEqual(["http://n1.fake:9900", "http://n2.fake:9900", "http://n3.fake:9900"]);
    await client.removeMember("n2");
    await client.removeMember("n3");
    clock.advance(1_000);
    await client.refreshPeers();
    expect(client.peers()).toEqual(["http://n1.fake:9900", "http://n3.fake:9900"]);
    client.close();
    expect(clock.pendingTimers()).toBe(0);
  });

  it("refreshes on the timer", async () => {
    const { cluster, client, clock, events } = setupClient({ peers: ["n1.fake:9900"], client: { refreshPeersMs: 5_000 } });
    expect(cluster.callsTo("Status")).toHaveLength(0);
    clock.advance(5_000);
    await client.refreshPeers();
    expect(cluster.callsTo("Status").length).toBeGreaterThanOrEqual(1);
    expect(eventsOf(events, "peers")[0]?.peers).toHaveLength(3);
    client.close();
  });

  it("finds the new leader through status after a failover", async () => {
    const { cluster, client } = setupClient({ peers: ["n1.fake:9900", "n2.fake:9900"] });
    await client.refreshPeers();
    cluster.kill("n1");
    cluster.elect("n3");
    await client.refreshPeers();
    expect(client.leader()).toMatchObject({ leaderId: "n3", leaderUrl: "http://n3.fake:9900", term: 2n });
    const r = await client.append({ type: "task", content: "x" });
    expect(r.seq).toBe(1n);
    expect(cluster.callsTo("Append").map((c) => c.node)).toEqual(["n3"]);
  });
});
