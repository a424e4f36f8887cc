import { createRouterTransport } from "@connectrpc/connect";
import { create } from "@bufbuild/protobuf";
import { HubService, ListenResponseSchema } from "@synod/proto/hub";
import { EntrySchema } from "@synod/proto/entry";
import { describe, expect, it } from "vitest";
import { createClient } from "./client.js";
import { eventsOf, rejection, SEED, setupClient } from "./client-test-kit.js";
import { isSynodError } from "./core/synod-error.js";
import type { ListenBatch } from "./model.js";
import { compactedError } from "./testing/fake-errors.js";
import { ManualClock } from "./testing/manual-clock.js";
import { waitFor } from "./testing/wait-for.js";

const entry = (content: string) => ({ id: content, type: "task", content });

describe(`listen (SEED=${SEED})`, () => {
  it("delivers the backlog, then live entries, then heartbeats", async () => {
    const { cluster, client } = setupClient({ cluster: { heartbeatMs: 20 } });
    cluster.commit([entry("a"), entry("b")]);
    const batches: ListenBatch[] = [];
    for await (const batch of client.listen({ heartbeatMs: 100 })) {
      batches.push(batch);
      if (batches.length === 1) cluster.commit([entry("c")]);
      if (batches.length === 3) break;
    }
    expect(batches.map((b) => [b.afterSeq, b.throughSeq, b.entries.length])).toEqual([
      [0n, 2n, 2],
      [2n, 3n, 1],
      [3n, 3n, 0],
    ]);
  });

  it("resumes after the leader dies with no gap and no duplicate", async () => {
    const { cluster, client, events } = setupClient();
    cluster.commit([entry("e1"), entry("e2"), entry("e3")]);
    const seqs: bigint[] = [];
    let killed = false;
    for await (const e of client.listenEntries({ heartbeatMs: 100 })) {
      seqs.push(e.seq);
      if (e.seq === 3n && !killed) {
        killed = true;
        const streamNode = cluster.streams.at(-1)?.node ?? "";
        cluster.kill(streamNode);
        if (cluster.leaderId === undefined) cluster.elect(cluster.nodes.find((n) => n.alive)?.id ?? "");
        cluster.commit([entry("e4"), entry("e5")]);
      }
      if (seqs.length === 5) break;
    }
    expect(seqs).toEqual([1n, 2n, 3n, 4n, 5n]);
    const resumes = eventsOf(events, "resume");
    expect(resumes[0]?.afterSeq).toBe(3n);
    expect(cluster.streams.at(-1)?.afterSeq).toBe(3n);
  });

  it("filters by type while the cursor still covers every seq", async () => {
    const { cluster, client } = setupClient();
    cluster.commit([entry("x"), { id: "d", type: "decision", content: "d" }, entry("y")]);
    for await (const batch of client.listen({ types: ["decision"] })) {
      expect(batch.throughSeq).toBe(3n);
      expect(batch.entries.map((e) => e.content)).toEqual(["d"]);
      break;
    }
  });

  it("reconnects elsewhere when the server goes silent (missed heartbeats)", async () => {
    const { cluster, client, clock } = setupClient();
    cluster.commit([entry("a")]);
    const iterator = client.listen({ heartbeatMs: 1_000 })[Symbol.asyncIterator]();
    expect((await iterator.next()).value?.throughSeq).toBe(1n);
    const first = cluster.streams.at(-1);
    cluster.partition(first?.node ?? "");
    cluster.commit([entry("b")]);
    const next = iterator.next();
    clock.advance(3_000);
    expect((await next).value?.throughSeq).toBe(2n);
    expect(first?.signal.aborted).toBe(true);
    expect(cluster.streams.at(-1)?.node).not.toBe(first?.node);
    await iterator.return?.();
  });

  it("cancels the RPC on break", async () => {
    const { cluster, client } = setupClient();
    cluster.commit([entry("a")]);
    for await (const batch of client.listen()) {
      expect(batch.throughSeq).toBe(1n);
      break;
    }
    await waitFor(() => cluster.streams.at(-1)?.signal.aborted === true, "server-side abort after break");
    expect(cluster.streams).toHaveLength(1);
  });

  it("cancels the RPC on return()", async () => {
    const { cluster, client } = setupClient();
    const iterator = client.listen({ heartbeatMs: 100 })[Symbol.asyncIterator]();
    const pending = iterator.next();
    await waitFor(() => cluster.streams.length === 1, "stream open");
    cluster.commit([entry("a")]);
    await pending;
    await iterator.return?.();
    await waitFor(() => cluster.streams[0]?.signal.aborted === true, "server-side abort after return()");
  });

  it("ends with a cancelled error and cancels the RPC when the signal aborts", async () => {
    const { cluster, client } = setupClient();
    const controller = new AbortController();
    const iterator = client.listen({ signal: controller.signal })[Symbol.asyncIterator]();
    const pending = iterator.next();
    await waitFor(() => cluster.streams.length === 1, "stream open");
    controller.abort();
    const error = await rejection(pending);
    expect(isSynodError(error, "cancelled")).toBe(true);
    await waitFor(() => cluster.streams[0]?.signal.aborted === true, "server-side abort after signal");
  });

  it("raises an invariant error when the server skips seqs", async () => {
    const transport = createRouterTransport(({ service }) => {
      service(HubService, {
        async *listen() {
          yield create(ListenResponseSchema, { afterSeq: 0n, throughSeq: 1n, entries: [create(EntrySchema, { seq: 1n })] });
          yield create(ListenResponseSchema, { afterSeq: 2n, throughSeq: 3n });
        },
      });
    });
    const clock = new ManualClock({ autoAdvance: true });
    const client = createClient({ peers: "a:1", transport: () => transport, clock, scheduler: clock, refreshPeersMs: 0 });
    const seen: bigint[] = [];
    const error = await rejection(
      (async () => {
        for await (const batch of client.listen()) seen.push(batch.throughSeq);
      })(),
    );
    expect(seen).toEqual([1n]);
    expect(isSynodError(error, "invariant")).toBe(true);
  });

  it("surfaces a compacted cursor instead of skipping", async () => {
    const transport = createRouterTransport(({ service }) => {
      service(HubService, {
        async *listen() {
          throw compactedError(50n);
        },
      });
    });
    const client = createClient({ peers: "a:1", transport: () => transport, refreshPeersMs: 0 });
    const error = await rejection(
      (async () => {
        for await (const _ of client.listen({ afterSeq: 3n })) void _;
      })(),
    );
    expect(isSynodError(error, "compacted") && error.details.earliestSeq).toBe(50n);
  });
});

describe(`listen reconnects (SEED=${SEED})`, () => {
  it("waits for the retry budget instead of storming a dead cluster", async () => {
    const { cluster, client, clock, events } = setupClient({
      client: { retryBudget: { maxTokens: 1, refillPerSecond: 1 }, backoff: { baseMs: 1, capMs: 1 } },
    });
    cluster.commit([entry("a")]);
    const iterator = client.listen({ heartbeatMs: 100 })[Symbol.asyncIterator]();
    expect((await iterator.next()).value?.throughSeq).toBe(1n);
    for (const n of cluster.nodes) cluster.kill(n.id);
    const startMs = clock.nowMs();
    let revived = false;
    client.on("backoff", (e) => {
      if (e.method === "Listen" && clock.nowMs() - startMs >= 3_000 && !revived) {
        revived = true;
        for (const n of cluster.nodes) cluster.revive(n.id);
        cluster.elect("n2");
        cluster.commit([entry("b")]);
      }
    });
    const next = await iterator.next();
    expect(next.value?.throughSeq).toBe(2n);
    const listenAttempts = eventsOf(events, "attempt").filter((a) => a.method === "Listen").length;
    // One token per second after the burst of one: about 1 + elapsed seconds, never a storm.
    expect(listenAttempts).toBeLessThanOrEqual(2 + Math.ceil((clock.nowMs() - startMs) / 1_000));
    expect(eventsOf(events, "resume").at(-1)?.afterSeq).toBe(1n);
    await iterator.return?.();
  });
});
