/**
 * The reference smoke: grow a single node to three voters through join tokens
 * and automatic promotion, check replication, survive one node cut off, and
 * heal it by restarting it.
 */
import { afterEach, expect, it } from "vitest";
import { Role } from "@synod/proto/entry";
import { adminToken, cleanupProcesses, runSynod, spawnHub, tempDir, type HubProcess } from "./process-harness.js";
import { hubClient, readAll } from "./hub-client.js";
import { eventually } from "./eventually.js";

afterEach(cleanupProcesses);

const timers = ["--election-timeout-ms", "300", "--heartbeat-ms", "50"];

it("grows 1 → 3 through join, replicates, survives a 1-of-3 partition, heals by restart", { timeout: 240_000 }, async () => {
  const n1 = await spawnHub(await tempDir(), ["--node-id", "n1", ...timers]);
  const token = await adminToken(n1.dataDir);
  const c1 = hubClient(n1.url, token);
  await c1.append({ entries: [{ id: "before-growth", type: "decision", content: "written by the single node" }] });
  const join = await runSynod(["hub", "token", "create", "--join", "--max-uses", "2", "--json", "--url", n1.url, "--token", token]);
  expect(join.code, join.stderr).toBe(0);
  const joinToken = (JSON.parse(join.stdout) as { token: string }).token;
  const nodes: HubProcess[] = [n1];
  for (const id of ["n2", "n3"]) nodes.push(await spawnHub(await tempDir(), ["--node-id", id, "--join", n1.url, "--join-token", joinToken, ...timers]));
  // Both joiners become voters on their own (learner, caught up, promoted).
  await eventually("three voters", async () => {
    const s = await c1.status({});
    return s.members.filter((m) => m.voter).length === 3 && s.members.every((m) => m.inSync) ? s : undefined;
  });
  await c1.append({ entries: [{ id: "after-growth", type: "decision", content: "replicated to three" }] });
  for (const n of nodes) {
    const ids = await eventually(`replication to ${n.url}`, async () => {
      const log = await readAll(hubClient(n.url, token));
      return log.length === 2 ? log.map((e) => e.id) : undefined;
    });
    expect(ids).toEqual(["before-growth", "after-growth"]);
  }
  // Cut one node off (a paused process answers nobody), the majority keeps writing.
  const statuses = await Promise.all(nodes.map((n) => hubClient(n.url, token).status({})));
  const leaderUrl = statuses.find((s) => s.role === Role.LEADER)?.clientUrl ?? "";
  const victim = nodes.find((n) => n.url !== leaderUrl) as HubProcess;
  victim.child.kill("SIGSTOP");
  const leader = hubClient(leaderUrl, token);
  for (let i = 0; i < 20; i++) await leader.append({ entries: [{ id: `during-${i}`, type: "task", content: "while one node is cut off" }] });
  // Heal by restart: the cut-off node is killed and started again on its data directory.
  victim.child.kill("SIGKILL");
  await victim.exited();
  const restarted = await spawnHub(victim.dataDir, ["--node-id", "ignored-by-data-dir", ...timers]).catch(() => undefined);
  expect(restarted, "a data directory refuses another node id").toBeUndefined();
  const before = statuses.find((s) => s.clientUrl === victim.url);
  const peerUrl = before?.members.find((m) => m.nodeId === before.nodeId)?.peerUrl ?? "";
  // A node keeps its addresses across restarts (its peers know it by them).
  const addr = (u: string) => u.replace(/^http:\/\//, "");
  const back = await spawnHub(victim.dataDir, ["--node-id", before?.nodeId ?? "", "--listen", addr(victim.url), "--peer-listen", addr(peerUrl), ...timers]);
  const final = await eventually("the restarted node to catch up", async () => {
    const log = await readAll(hubClient(back.url, token));
    return log.length === 22 ? log : undefined;
  }).catch(async (e: unknown) => {
    console.error("restarted node stderr:\n" + back.stderr().slice(-3000));
    console.error("leader status:", JSON.stringify(await leader.status({}), (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v)).slice(0, 3000));
    throw e;
  });
  const reference = await readAll(leader);
  expect(final).toEqual(reference);
  expect(reference.map((e) => e.seq)).toEqual(reference.map((_, i) => BigInt(i + 1)));
});
