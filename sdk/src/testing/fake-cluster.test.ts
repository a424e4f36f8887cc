import { createClient as createRpcClient } from "@connectrpc/connect";
import { HubService } from "@synod/proto/hub";
import { describe, expect, it } from "vitest";
import { toSynodError } from "../core/error-table.js";
import { createClient } from "../client.js";
import { isSynodError } from "../core/synod-error.js";
import { FakeCluster } from "./fake-cluster.js";
import { ManualClock } from "./manual-clock.js";
import { SeededRandom } from "./seeded-random.js";

describe("ManualClock", () => {
  it("fires timers in time order and only when advanced", () => {
    const clock = new ManualClock();
    const fired: string[] = [];
    clock.after(20, () => fired.push(`b@${clock.nowMs()}`));
    clock.after(10, () => fired.push(`a@${clock.nowMs()}`));
    const cancel = clock.after(15, () => fired.push("cancelled"));
    cancel();
    clock.advance(5);
    expect(fired).toEqual([]);
    clock.advance(20);
    expect(fired).toEqual(["a@10", "b@20"]);
    expect(clock.nowMs()).toBe(25);
  });

  it("resolves sleeps on advance, or at once when auto-advancing", async () => {
    const clock = new ManualClock();
    let done = false;
    const sleeping = clock.sleep(100).then(() => (done = true));
    clock.advance(99);
    await Promise.resolve();
    expect(done).toBe(false);
    clock.advance(1);
    await sleeping;
    const auto = new ManualClock({ autoAdvance: true });
    await auto.sleep(250);
    expect(auto.nowMs()).toBe(250);
  });

  it("rejects a sleep when its signal aborts", async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    const sleeping = clock.sleep(100, controller.signal);
    controller.abort(new Error("stop"));
    await expect(sleeping).rejects.toThrow("stop");
    expect(clock.pendingTimers()).toBe(0);
  });
});

describe("SeededRandom", () => {
  it("replays the same sequence for the same seed, in [0, 1)", () => {
    const a = new SeededRandom(7);
    const b = new SeededRandom(7);
    const xs = Array.from({ length: 100 }, () => a.next());
    expect(xs).toEqual(Array.from({ length: 100 }, () => b.next()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new SeededRandom(8).next()).not.toBe(xs[0]);
  });
});

describe("FakeCluster", () => {
  it("answers writes on followers with a NotLeader hint", async () => {
    const cluster = new FakeCluster();
    const hub = createRpcClient(HubService, cluster.transport("http://n2.fake:9900"));
    const error = toSynodError(await hub.register({ name: "x" }).catch((e: unknown) => e));
    expect(error.kind).toBe("notLeader");
    expect(error.details.notLeader).toEqual({ leaderId: "n1", leaderUrl: "http://n1.fake:9900", term: 1n });
    expect(cluster.tokens.size).toBe(0);
  });

  it("refuses connections to killed nodes and serves them again once revived", async () => {
    const cluster = new FakeCluster({ nodes: 1 });
    cluster.kill("n1");
    const c = createClient({ peers: cluster.peers(), transport: cluster.transport, refreshPeersMs: 0, retryBudget: { maxTokens: 0 } });
    const error = await c.status().catch((e: unknown) => e);
    expect(isSynodError(error, "retryBudgetExhausted") && error.cause).toMatchObject({ failure: "notExecuted" });
    cluster.revive("n1");
    await expect(c.status()).resolves.toMatchObject({ nodeId: "n1" });
  });

  it("deduplicates by id across leaders", () => {
    const cluster = new FakeCluster();
    cluster.commit([{ id: "x", type: "task", content: "1" }]);
    cluster.failover();
    cluster.commit([{ id: "x", type: "task", content: "1" }]);
    expect(cluster.log).toHaveLength(1);
    expect(cluster.term).toBe(2n);
  });
});
