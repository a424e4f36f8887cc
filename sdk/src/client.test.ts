import { describe, expect, it } from "vitest";
import { eventsOf, rejection, SEED, setupClient } from "./client-test-kit.js";
import { isSynodError } from "./core/synod-error.js";
import { notLeaderError, overloadedError } from "./testing/fake-errors.js";

describe(`client against the fake cluster (SEED=${SEED})`, () => {
  it("follows a NotLeader hint from a follower to the leader", async () => {
    const { cluster, client, events } = setupClient({ peers: ["n2.fake:9900"] });
    const r = await client.append({ type: "decision", content: "hello" });
    expect(r).toMatchObject({ seq: 1n, duplicate: false });
    expect(cluster.callsTo("Append").map((c) => c.node)).toEqual(["n2", "n1"]);
    expect(eventsOf(events, "redirect")).toEqual([
      { method: "Append", from: "http://n2.fake:9900", to: "http://n1.fake:9900", term: 1n },
    ]);
    expect(client.leader()).toMatchObject({ leaderId: "n1", leaderUrl: "http://n1.fake:9900", term: 1n });
  });

  it("fails over when the leader dies", async () => {
    const { cluster, client, events } = setupClient();
    await client.append({ type: "decision", content: "before" });
    const next = cluster.failover();
    const r = await client.append({ type: "decision", content: "after" });
    expect(r.seq).toBe(2n);
    expect(cluster.log.map((e) => e.content)).toEqual(["before", "after"]);
    expect(client.leader().leaderId).toBe(next);
    expect(eventsOf(events, "failover")[0]).toMatchObject({ from: "http://n1.fake:9900" });
    expect(eventsOf(events, "backoff")[0]).toMatchObject({ method: "Append", reason: "unavailable" });
  });

  it("retries an append whose answer was lost with the same ids, without duplicates", async () => {
    const { cluster, client } = setupClient({ peers: ["n1.fake:9900"] });
    cluster.inject({ method: "Append", when: "after" });
    const results = await client.append([
      { type: "task", content: "a" },
      { type: "task", content: "b", id: "my-id" },
    ]);
    expect(cluster.callsTo("Append")).toHaveLength(2);
    expect(results.map((r) => [r.seq, r.duplicate])).toEqual([
      [1n, true],
      [2n, true],
    ]);
    expect(cluster.log).toHaveLength(2);
    expect(cluster.log.map((e) => e.id)).toEqual([results[0]?.id, "my-id"]);
  });

  it("keeps the ids across a failover after the first attempt executed", async () => {
    const { cluster, client } = setupClient();
    await client.append({ type: "task", content: "warm-up" });
    cluster.inject({ node: "n1", method: "Append", when: "after" });
    client.on("backoff", () => {
      if (cluster.leaderId === "n1") cluster.failover();
    });
    const r = await client.append({ type: "task", content: "once" });
    expect(r).toMatchObject({ seq: 2n, duplicate: true });
    expect(cluster.leaderId).not.toBe("n1");
    expect(cluster.log.filter((e) => e.content === "once")).toHaveLength(1);
    expect(new Set(cluster.callsTo("Append").slice(1).map((c) => c.node)).size).toBeGreaterThan(1);
  });

  it("gives other writes no second try when the outcome is unknown", async () => {
    const { cluster, client } = setupClient({ peers: ["n1.fake:9900"] });
    cluster.inject({ method: "Register", when: "after" });
    const error = await rejection(client.register("alice"));
    expect(isSynodError(error, "outcomeUnknown")).toBe(true);
    expect(cluster.callsTo("Register")).toHaveLength(1);
  });

  it("retries other writes that were not executed", async () => {
    const { cluster, client } = setupClient({ peers: ["n1.fake:9900"] });
    cluster.inject({ method: "Register", error: notLeaderError("", "", 1n) });
    const issued = await client.register("bob");
    expect(issued.info.name).toBe("bob");
    expect(cluster.callsTo("Register")).toHaveLength(2);
  });

  it("spans one deadline over all attempts", async () => {
    const { cluster, client, clock, events } = setupClient({ client: { retryBudget: false } });
    for (const n of cluster.nodes) cluster.kill(n.id);
    const error = await rejection(client.read({ timeoutMs: 2_000 }));
    expect(isSynodError(error, "deadlineExceeded")).toBe(true);
    expect(clock.nowMs()).toBeLessThanOrEqual(2_000);
    expect(cluster.callsTo("Read").length).toBeGreaterThan(3);
    expect(eventsOf(events, "giveUp")).toHaveLength(1);
  });

  it("stops retrying when the retry budget is spent", async () => {
    const { cluster, client } = setupClient({ client: { retryBudget: { maxTokens: 3, refillPerSecond: 0 } } });
    for (const n of cluster.nodes) cluster.kill(n.id);
    const first = await rejection(client.read({ timeoutMs: 60_000 }));
    expect(isSynodError(first, "retryBudgetExhausted")).toBe(true);
    expect(cluster.callsTo("Read")).toHaveLength(4);
    const second = await rejection(client.read({ timeoutMs: 60_000 }));
    expect(isSynodError(second, "retryBudgetExhausted")).toBe(true);
    expect(cluster.callsTo("Read")).toHaveLength(5);
  });

  it("waits at least as long as the server's pushback", async () => {
    const { cluster, client, events } = setupClient();
    cluster.inject({ method: "Append", error: overloadedError(400) });
    await client.append({ type: "task", content: "x" });
    expect(eventsOf(events, "backoff")[0]?.delayMs).toBeGreaterThanOrEqual(400);
  });

  it("does not retry a bad token on other peers", async () => {
    const { cluster, client } = setupClient({ cluster: { adminToken: "secret" }, client: { token: "wrong" } });
    const error = await rejection(client.append({ type: "task", content: "x" }));
    expect(isSynodError(error, "unauthenticated")).toBe(true);
    expect(cluster.calls).toHaveLength(1);
  });

  it("sends the token as a bearer header", async () => {
    const { client } = setupClient({ cluster: { adminToken: "secret" }, client: { token: "secret" } });
    await expect(client.append({ type: "task", content: "x" })).resolves.toMatchObject({ seq: 1n });
  });

  it("cancels a hanging call with its signal", async () => {
    const { cluster, client } = setupClient();
    cluster.partition("n1");
    const controller = new AbortController();
    const call = client.status({ peer: "n1.fake:9900", signal: controller.signal });
    controller.abort();
    const error = await rejection(call);
    expect(isSynodError(error, "cancelled")).toBe(true);
  });

  it("rejects an empty or oversized batch before sending", async () => {
    const { cluster, client } = setupClient();
    expect(isSynodError(await rejection(client.append([])), "invalidArgument")).toBe(true);
    expect(cluster.calls).toHaveLength(0);
  });
});
