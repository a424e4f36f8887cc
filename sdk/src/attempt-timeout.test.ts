import { describe, expect, it } from "vitest";
import { createClient } from "./client.js";
import { eventsOf, rejection, SEED, setupClient } from "./client-test-kit.js";
import { isSynodError, type SynodError } from "./core/synod-error.js";
import { FakeCluster } from "./testing/fake-cluster.js";
import type { ManualClock } from "./testing/manual-clock.js";
import { waitFor } from "./testing/wait-for.js";

// The per-attempt timeout (options.attemptTimeoutMs): a partitioned fake node
// stands for a frozen one (the connection is up, nothing answers). Time moves
// only through clock.advance and the (auto-advanced) backoff sleeps, so the
// bounds below are in manual time.

/** A promise's outcome once settled, and the manual time at which it settled. */
function track<T>(promise: Promise<T>, clock: ManualClock): { done: () => boolean; atMs: () => number | undefined } {
  let atMs: number | undefined;
  promise.then(
    () => (atMs = clock.nowMs()),
    () => (atMs = clock.nowMs()),
  );
  return { done: () => atMs !== undefined, atMs: () => atMs };
}

/** Lets the client's pending microtasks and I/O callbacks run (no time passes on the manual clock). */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

describe(`attempt timeout (SEED=${SEED})`, () => {
  it("abandons an attempt to a hanging leader after attemptTimeoutMs and appends on another node with the same ids", async () => {
    const { cluster, client, clock, events } = setupClient({ client: { attemptTimeoutMs: 500, timeoutMs: 30_000 } });
    await client.append({ type: "task", content: "warm-up" });
    expect(client.leader().leaderId).toBe("n1");
    cluster.partition("n1"); // frozen: calls to it hang
    cluster.elect("n2");
    const before = cluster.callsTo("Append").length;
    const start = clock.nowMs();
    const append = client.append([
      { type: "task", content: "a" },
      { type: "task", content: "b" },
    ]);
    const outcome = track(append, clock);
    await waitFor(() => cluster.callsTo("Append").length === before + 1, "the attempt to the frozen leader");
    clock.advance(499);
    await settle();
    expect(outcome.done()).toBe(false);
    expect(cluster.callsTo("Append")).toHaveLength(before + 1);
    clock.advance(1);
    const results = await append;
    expect(outcome.atMs()).toBeLessThan(start + 1_000);
    expect(results.map((r) => [r.seq, r.duplicate])).toEqual([
      [2n, false],
      [3n, false],
    ]);
    const attempts = cluster.callsTo("Append").slice(before);
    expect(attempts[0]?.node).toBe("n1");
    expect(attempts.slice(1).map((c) => c.node)).not.toContain("n1");
    expect(new Set(attempts.map((c) => c.ids?.join(","))).size).toBe(1);
    expect(attempts[0]?.ids).toEqual(results.map((r) => r.id));
    expect(eventsOf(events, "backoff")[0]).toMatchObject({ method: "Append", reason: "unavailable", peer: "http://n1.fake:9900" });
    expect(client.leader().leaderId).toBe("n2");
    expect(cluster.log.map((e) => e.content)).toEqual(["warm-up", "a", "b"]);
  });

  it("fails an unsafe write with outcomeUnknown after one attempt timeout and never sends it again", async () => {
    const { cluster, client, clock, events } = setupClient({
      peers: ["n1.fake:9900", "n2.fake:9900"],
      client: { attemptTimeoutMs: 500, timeoutMs: 30_000 },
    });
    for (const n of cluster.nodes) cluster.partition(n.id);
    const register = client.register("alice");
    const outcome = track(register, clock);
    await waitFor(() => cluster.callsTo("Register").length === 1, "the register attempt");
    clock.advance(500);
    const error = (await rejection(register)) as SynodError;
    expect(outcome.atMs()).toBe(500);
    expect(isSynodError(error, "outcomeUnknown")).toBe(true);
    expect(error.failure).toBe("outcomeUnknown");
    expect(error.retryable).toBe(false);
    expect(error.message).toContain("within 500 ms");
    clock.advance(30_000);
    await settle();
    expect(cluster.callsTo("Register")).toHaveLength(1);
    expect(eventsOf(events, "giveUp")).toMatchObject([{ method: "Register", attempts: 1 }]);
  });

  it("ends the call at its deadline with deadlineExceeded, the last attempt cut to what was left", async () => {
    const { cluster, client, clock } = setupClient({ client: { attemptTimeoutMs: 500, timeoutMs: 1_200, retryBudget: false } });
    for (const n of cluster.nodes) cluster.partition(n.id);
    const append = client.append({ type: "task", content: "never" });
    const outcome = track(append, clock);
    while (!outcome.done() && clock.nowMs() < 5_000) {
      await settle();
      clock.advance(50);
    }
    const error = (await rejection(append)) as SynodError;
    expect(isSynodError(error, "deadlineExceeded")).toBe(true);
    expect(error.failure).toBe("outcomeUnknown");
    expect(outcome.atMs()).toBeGreaterThanOrEqual(1_200);
    expect(outcome.atMs()).toBeLessThanOrEqual(1_250);
    const attempts = cluster.callsTo("Append");
    expect(attempts.length).toBeGreaterThanOrEqual(3);
    expect(new Set(attempts.map((c) => c.ids?.join(","))).size).toBe(1);
  });

  it("never waits past a call deadline shorter than the attempt timeout", async () => {
    const { cluster, client, clock } = setupClient({ client: { attemptTimeoutMs: 10_000 } });
    cluster.partition("n1");
    const status = client.status({ peer: "n1.fake:9900", timeoutMs: 800 });
    const outcome = track(status, clock);
    await waitFor(() => cluster.callsTo("Status").length === 1, "the status attempt");
    clock.advance(799);
    await settle();
    expect(outcome.done()).toBe(false);
    clock.advance(1);
    await settle();
    expect(outcome.done()).toBe(true); // ended by the SDK's own timer, not a real one
    expect(isSynodError(await rejection(status), "deadlineExceeded")).toBe(true);
    expect(outcome.atMs()).toBe(800);
  });

  it("cancels each attempt's timer once the attempt settles", async () => {
    const { client, clock } = setupClient({ client: { attemptTimeoutMs: 500 } });
    await client.append({ type: "task", content: "x" });
    await client.read();
    expect(clock.pendingTimers()).toBe(0);
  });

  it("still cancels at once on the caller's signal, leaving no timer behind", async () => {
    const { cluster, client, clock } = setupClient({ client: { attemptTimeoutMs: 500 } });
    cluster.partition("n1");
    const controller = new AbortController();
    const call = client.status({ peer: "n1.fake:9900", signal: controller.signal });
    await waitFor(() => cluster.callsTo("Status").length === 1, "the status attempt");
    expect(clock.pendingTimers()).toBe(1);
    controller.abort();
    expect(isSynodError(await rejection(call), "cancelled")).toBe(true);
    expect(clock.nowMs()).toBe(0);
    expect(clock.pendingTimers()).toBe(0);
    expect(cluster.callsTo("Status")).toHaveLength(1);
  });
});

describe("attemptTimeoutMs option", () => {
  const cluster = new FakeCluster();
  const make = (attemptTimeoutMs: number) =>
    createClient({ peers: cluster.peers(), transport: cluster.transport, refreshPeersMs: 0, attemptTimeoutMs });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])("rejects %s", (value) => {
    expect(() => make(value)).toThrow(/attemptTimeoutMs must be a positive integer/);
  });

  it("accepts a positive integer, even one above timeoutMs (it then never applies)", () => {
    expect(() => make(1).close()).not.toThrow();
    expect(() => createClient({ peers: cluster.peers(), transport: cluster.transport, refreshPeersMs: 0, timeoutMs: 100, attemptTimeoutMs: 60_000 }).close()).not.toThrow();
  });
});
