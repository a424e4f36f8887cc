/**
 * Operations on a real 3-node cluster: stepdown, peer remove and add, health
 * and metrics, and the write concern LEADER path where an isolated leader's
 * acknowledged entries are truncated, saved under rejected/ and re-submitted.
 */
import { expect, it } from "vitest";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { WriteConcern } from "@synod/proto/entry";
import { eventually } from "../eventually.js";
import { runSynod } from "../process-harness.js";
import { useCluster } from "./use-cluster.js";

const getCluster = useCluster({ electionTimeoutMs: 300, heartbeatMs: 50 });

const url = (id: string): string => getCluster().nodes.get(id)?.url ?? "";

it("synod hub stepdown --to moves leadership to the named voter", { timeout: 60_000 }, async () => {
  const leader = await getCluster().leader();
  const target = getCluster().ids.find((id) => id !== leader) as string;
  const r = await runSynod(["hub", "stepdown", "--to", target, "--url", url(leader), "--token", getCluster().adminToken]);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toContain(`leader is now ${target}`);
  expect(await getCluster().leader(10_000)).toBe(target);
});

it("health is 200 with a quorum and 503 without; metrics report leadership", { timeout: 60_000 }, async () => {
  const leader = await getCluster().leader();
  const health = await fetch(`${url(leader)}/health`);
  expect(health.status).toBe(200);
  const metrics = await (await fetch(`${url(leader)}/metrics`)).text();
  expect(metrics).toMatch(/^synod_is_leader 1$/m);
  expect(metrics).toMatch(/^synod_members 3$/m);
  const follower = getCluster().ids.find((id) => id !== leader) as string;
  getCluster().isolate(follower);
  await eventually("503 from an isolated node", async () => ((await fetch(`${url(follower)}/health`)).status === 503 ? true : undefined));
  const noQuorum = await runSynod(["hub", "status", "--exit-code", "--url", url(follower), "--token", getCluster().adminToken]);
  expect(noQuorum.code, "status --exit-code without a quorum").toBe(3);
  getCluster().heal();
  await eventually("200 again after healing", async () => ((await fetch(`${url(follower)}/health`)).status === 200 ? true : undefined));
});

it("write concern LEADER: entries an isolated leader acknowledged are re-submitted after its truncation", { timeout: 90_000 }, async () => {
  const live = getCluster().running();
  const leader = await getCluster().leader();
  const c = getCluster().clients.get(leader);
  if (!c) throw new Error("no client");
  getCluster().isolate(leader);
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
  const newLeader = await getCluster().leader(20_000, leader);
  expect(others).toContain(newLeader);
  getCluster().heal();
  // Every entry acknowledged with LEADER ends up committed exactly once, on every node,
  // appended again in a newer term: it came back through rejected/ and re-submission.
  await eventually("re-submitted entries in every node's log", async () => {
    for (const id of live) {
      const client = getCluster().clients.get(id);
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
  const rejected = await readdir(join(getCluster().nodes.get(leader)?.dataDir ?? "", "rejected")).catch(() => []);
  expect(rejected.filter((f) => f.endsWith(".jsonl")), "processed files are removed").toEqual([]);
});

it("peer remove takes a member out of the quorum; peer list shows the rest", { timeout: 60_000 }, async () => {
  const leader = await getCluster().leader();
  const victim = getCluster().ids.find((id) => id !== leader) as string;
  const r = await runSynod(["hub", "peer", "remove", victim, "--url", url(leader), "--token", getCluster().adminToken, "--json"]);
  expect(r.code, r.stderr).toBe(0);
  const list = await runSynod(["hub", "peer", "list", "--url", url(leader), "--token", getCluster().adminToken, "--json"]);
  const ids = (JSON.parse(list.stdout) as { nodeId: string }[]).map((m) => m.nodeId).sort();
  expect(ids).toEqual(getCluster().ids.filter((id) => id !== victim).sort());
  // Two voters left: both are needed, and writes still commit.
  const c = getCluster().clients.get(leader);
  await c?.append({ entries: [{ id: "after-remove", type: "task", content: "x" }] });
  await getCluster().kill(victim);
  await c?.append({ entries: [{ id: "removed-node-down", type: "task", content: "x" }] });
});
