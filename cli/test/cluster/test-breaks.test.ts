/**
 * The deliberately broken modes (SYNOD_TEST_BREAK, with --enable-test-control)
 * really break what they claim to, on a real 3-node cluster. The conformance
 * suite's own tests rely on this: a checker that passes these servers is blind.
 */
import { afterEach, expect, it } from "vitest";
import { WriteConcern } from "@synod/proto/entry";
import type { ListenResponse } from "@synod/proto/hub";
import { readAll } from "../hub-client.js";
import { cleanupProcesses } from "../process-harness.js";
import { startCluster, type Cluster } from "./cluster-harness.js";

let cluster: Cluster | undefined;

afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
  await cleanupProcesses();
});

function broken(mode: string, electionTimeoutMs: number): Promise<Cluster> {
  return startCluster({
    size: 3,
    timers: { electionTimeoutMs, heartbeatMs: 100 },
    processTimeoutMs: 120_000,
    extraArgs: () => ["--enable-test-control"],
    env: { SYNOD_TEST_BREAK: mode },
  });
}

function clientOf(c: Cluster, id: string) {
  const client = c.clients.get(id);
  if (!client) throw new Error(`no client for ${id}`);
  return client;
}

const entry = (id: string) => ({ id, type: "task", content: `entry ${id}` });

it("forget-dedup-after-failover: replaying an acknowledged id on the next leader appends it a second time", { timeout: 90_000 }, async () => {
  cluster = await broken("forget-dedup-after-failover", 500);
  const first = await cluster.ready(30_000);
  const acked = await clientOf(cluster, first).append({ entries: [entry("x-1")] });
  const firstSeq = acked.results[0]?.seq;
  // Same term, same leader: dedup still works, the break only forgets older terms.
  expect((await clientOf(cluster, first).append({ entries: [entry("x-1")] })).results[0]).toMatchObject({ duplicate: true, seq: firstSeq });
  await cluster.kill(first);
  const next = await cluster.leader(30_000, first);
  const replay = await clientOf(cluster, next).append({ entries: [entry("x-1")] });
  expect(replay.results[0]?.duplicate).toBe(false);
  expect(replay.results[0]?.seq).not.toBe(firstSeq);
  const copies = (await readAll(clientOf(cluster, next))).filter((e) => e.id === "x-1");
  expect(copies.map((e) => e.seq)).toEqual([firstSeq, replay.results[0]?.seq]);
});

it("serve-uncommitted: a deposed leader's Read and Listen hand out an entry that never committed", { timeout: 90_000 }, async () => {
  // A long election timeout: the isolated leader must still lead when the LEADER-concern append reaches it.
  cluster = await broken("serve-uncommitted", 2000);
  const old = await cluster.ready(40_000);
  const c = clientOf(cluster, old);
  await c.append({ entries: [entry("committed-1")] });
  cluster.isolate(old);
  const lonely = await c.append({ entries: [entry("lonely-1")], writeConcern: WriteConcern.LEADER });
  const lonelySeq = lonely.results[0]?.seq ?? 0n;

  const page = await c.read({ afterSeq: 0n });
  expect(page.entries.map((e) => e.id)).toContain("lonely-1");
  expect(page.commitSeq).toBeLessThan(lonelySeq);

  const abort = new AbortController();
  let delivered: ListenResponse | undefined;
  try {
    for await (const msg of c.listen({ afterSeq: 0n, heartbeatMs: 100 }, { signal: abort.signal, timeoutMs: 20_000 })) {
      if (msg.entries.some((e) => e.id === "lonely-1")) {
        delivered = msg;
        break;
      }
    }
  } finally {
    abort.abort();
  }
  expect(delivered?.commitSeq).toBeLessThan(lonelySeq);
  // The majority never saw it: it is not committed anywhere.
  const majority = await cluster.leader(30_000, old);
  expect((await readAll(clientOf(cluster, majority))).map((e) => e.id)).not.toContain("lonely-1");
});
