import { describe, expect, it } from "vitest";
import { createClient } from "./client.js";
import { rejection, SEED, setupClient } from "./client-test-kit.js";
import { isSynodError } from "./core/synod-error.js";

describe(`admin calls (SEED=${SEED})`, () => {
  it("registers, lists and revokes tokens", async () => {
    const { client } = setupClient({ cluster: { adminToken: "adm" }, client: { token: "adm" } });
    const issued = await client.register("alice");
    expect(issued.token).toMatch(/^synod_cli_alice/);
    expect((await client.listTokens()).map((t) => t.name)).toEqual(["admin", "alice"]);
    expect(await client.revoke({ name: "alice" })).toBe(1);
    expect(isSynodError(await rejection(client.revoke({ tokenId: "nope" })), "notFound")).toBe(true);
  });

  it("stamps the registered name as origin", async () => {
    const { cluster, client } = setupClient({ cluster: { adminToken: "adm" }, client: { token: "adm" } });
    const issued = await client.register("bob");
    const bob = createClient({ peers: cluster.peers(), token: issued.token, transport: cluster.transport, refreshPeersMs: 0 });
    await bob.append({ type: "task", content: "from bob" });
    expect(cluster.log.map((e) => e.origin)).toEqual(["bob"]);
  });

  it("manages members and leadership", async () => {
    const { cluster, client } = setupClient();
    const members = await client.addMember({ nodeId: "n4", peerUrl: "http://n4.fake:9901", clientUrl: "http://n4.fake:9900" });
    expect(members.map((m) => m.nodeId)).toEqual(["n1", "n2", "n3", "n4"]);
    expect((await client.removeMember("n4")).map((m) => m.nodeId)).toEqual(["n1", "n2", "n3"]);
    const moved = await client.transferLeadership("n2");
    expect(moved).toEqual({ leaderId: "n2", term: 2n });
    expect(cluster.leaderId).toBe("n2");
    const join = await client.createJoinToken(2);
    expect(join.info.usesLeft).toBe(2);
  });

  it("reads status from a pinned peer and the cluster view", async () => {
    const { client } = setupClient();
    const s = await client.status({ peer: "n3.fake:9900" });
    expect([s.nodeId, s.role, s.leaderId, s.members.length]).toEqual(["n3", "follower", "n1", 3]);
    const c = await client.clusterStatus();
    expect(c.hasQuorum).toBe(true);
  });

  it("streams a backup in chunks up to the commit point", async () => {
    const { cluster, client } = setupClient();
    cluster.commit([1, 2, 3, 4, 5].map((n) => ({ type: "task", content: `c${n}` })));
    const chunks = [];
    for await (const chunk of client.backup(1n)) chunks.push(chunk);
    expect(chunks.map((c) => c.throughSeq)).toEqual([3n, 5n]);
    expect(chunks.every((c) => c.finalSeq === 5n)).toBe(true);
    const lines = chunks.map((c) => new TextDecoder().decode(c.chunk)).join("").trim().split("\n");
    expect(lines.map((l) => (JSON.parse(l) as { content: string }).content)).toEqual(["c2", "c3", "c4", "c5"]);
  });

  it("reads pages with filters and read-your-writes options", async () => {
    const { cluster, client } = setupClient();
    cluster.commit([{ type: "task", content: "a" }, { type: "decision", content: "b" }, { type: "task", content: "c" }]);
    const page = await client.read({ afterSeq: 0n, limit: 2, types: ["decision"], minSeq: 1n, consistent: true });
    expect(page.entries.map((e) => e.content)).toEqual(["b"]);
    expect([page.throughSeq, page.commitSeq, page.hasMore]).toEqual([2n, 3n, true]);
  });
});
