/**
 * Operations on a real 3-node cluster: stepdown, peer remove and add, health
 * and metrics, and the write concern LEADER path where an isolated leader's
 * acknowledged entries are truncated, saved under rejected/ and re-submitted.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { WriteConcern } from "@synod/proto/entry";
import { runSynod } from "../process-harness.js";
import { startCluster, type Cluster } from "./cluster-harness.js";

let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster({ size: 3, timers: { electionTimeoutMs: 300, heartbeatMs: 50 } });
  await cluster.leader(30_000);
  await cluster.ready(30_000);
}, 120_000);
afterAll(async () => cluster?.stop());

const url = (id: string): string => cluster.nodes.get(id)?.url ?? "";

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

it("synod hub stepdown --to moves leadership to the named voter", { timeout: 60_000 }, async () => {
  const leader = await cluster.leader();
  const target = cluster.ids.find((id) => id !== leader) as string;
  const r = await runSynod(["hub", "stepdown", "--to", target, "--url", url(leader), "--token", cluster.adminToken]);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toContain(`leader is now ${target}`);
  expect(await cluster.leader(10_000)).toBe(target);
});

it("health is 200 with a quorum and 503 without; metrics report leadership", { timeout: 60_000 }, async () => {
  const leader = await cluster.leader();
  const health = await fetch(`${url(leader)}/health`);
  expect(health.status).toBe(200);
  const metrics = await (await fetch(`${url(leader)}/metrics`)).text();
  expect(metrics).toMatch(/^synod_is_leader 1$/m);
  expect(metrics).toMatch(/^synod_members 3$/m);
  const follower = cluster.ids.find((id) => id !== leader) as string;
  cluster.isolate(follower);
  await until("503 from an isolated node", async () => ((await fetch(`${url(follower)}/health`)).status === 503 ? true : undefined));
  cluster.heal();
  await until("200 again after healing", async () => ((await fetch(`${url(follower)}/health`)).status === 200 ? true : undefined));
});

it("write concern LEADER: entries an isolated leader acknowledged are re-submitted after its truncation", { timeout: 90_000 }, async () => {
  const live = cluster.running();
  const leader = await cluster.leader();
  const c = cluster.clients.get(leader);
  if (!c) throw new Error("no client");
  cluster.isolate(leader);
  // Acknowledged after the isolated leader's own fsync, before check-quorum makes it step down.
  const acked: string[] = [];
  for (let i = 0; i < 50 && acked.length < 3; i++) {
    const id = `leader-only-${i}`;
    const r = await c.append({ entries: [{ id, type: "task", content: "acknowledged by the leader alone" }], writeConcern: WriteConcern.LEADER }, { timeoutMs: 500 }).catch(() => undefined);
    if (r) acked.push(id);
  }
  expect(acked.length).toBeGreaterThan(0);
  const oldTerm = (await c.status({})).term;
  const others = live.filter((id) => id !== leader);
  // The majority elects a leader without those entries; its first record takes their place.
  const newLeader = await cluster.leader(20_000, leader);
  expect(others).toContain(newLeader);
  cluster.heal();
  // Every entry acknowledged with LEADER ends up committed exactly once, on every node,
  // appended again in a newer term: it came back through rejected/ and re-submission.
  await until("re-submitted entries in every node's log", async () => {
    for (const id of live) {
      const client = cluster.clients.get(id);
      if (!client) continue;
      const page = await client.read({ limit: 1000 });
      for (const a of acked) {
        const copies = page.entries.filter((e) => e.id === a);
        if (copies.length !== 1 || (copies[0]?.term ?? 0n) <= oldTerm) return undefined;
      }
      if (page.hasMore) return undefined;
    }
    return true;
  }, 40_000);
  const rejected = await readdir(join(cluster.nodes.get(leader)?.dataDir ?? "", "rejected")).catch(() => []);
  expect(rejected.filter((f) => f.endsWith(".jsonl")), "processed files are removed").toEqual([]);
});

it("peer remove takes a member out of the quorum; peer list shows the rest", { timeout: 60_000 }, async () => {
  const leader = await cluster.leader();
  const victim = cluster.ids.find((id) => id !== leader) as string;
  const r = await runSynod(["hub", "peer", "remove", victim, "--url", url(leader), "--token", cluster.adminToken, "--json"]);
  expect(r.code, r.stderr).toBe(0);
  const list = await runSynod(["hub", "peer", "list", "--url", url(leader), "--token", cluster.adminToken, "--json"]);
  const ids = (JSON.parse(list.stdout) as { nodeId: string }[]).map((m) => m.nodeId).sort();
  expect(ids).toEqual(cluster.ids.filter((id) => id !== victim).sort());
  // Two voters left: both are needed, and writes still commit.
  const c = cluster.clients.get(leader);
  await c?.append({ entries: [{ id: "after-remove", type: "task", content: "x" }] });
  await cluster.kill(victim);
  await c?.append({ entries: [{ id: "removed-node-down", type: "task", content: "x" }] });
});
