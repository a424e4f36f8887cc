import { afterEach, describe, expect, it } from "vitest";
import { Code, ConnectError } from "@connectrpc/connect";
import { NotLeaderSchema } from "@synod/proto/errors";
import { checkAcknowledged, checkListener, checkLogsAgree, type LoggedEntry } from "@synod/conformance";
import { readAll } from "../hub-client.js";
import { cleanupProcesses, runSynod } from "../process-harness.js";
import { startCluster, type Cluster } from "./cluster-harness.js";
import { startAppenders, startListener } from "./workload.js";

// Runs once `hub start` has the cluster flags (`--peer-route` is hidden from help).
const help = await runSynod(["hub", "start", "--help"]);
const clusterFlags = help.stdout.includes("--peer-listen") && help.stdout.includes("--bootstrap");

let cluster: Cluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
  await cleanupProcesses();
});

/** On failure, what every node logged: the first thing to read when a cluster test fails. */
function stderrOf(c: Cluster): string {
  return c.ids.map((id) => `${id} (${c.nodes.get(id)?.state()}):\n${c.nodes.get(id)?.stderr().slice(-3000)}`).join("\n");
}

describe.skipIf(!clusterFlags)("3-node cluster harness on real processes", () => {
  it("elects one leader; followers refuse appends with a hint; a partitioned leader is replaced; acked appends survive", async () => {
    const c = (cluster = await startCluster({ size: 3 }));
    const first = await c.ready(20_000);
    const follower = c.ids.find((id) => id !== first) as string;
    const refused = await c.clients
      .get(follower)
      ?.append({ entries: [{ id: "probe", type: "task", content: "x" }] })
      .then(() => undefined, (e: unknown) => ConnectError.from(e));
    expect(refused?.code).toBe(Code.Unavailable);
    const hint = refused?.findDetails(NotLeaderSchema)[0];
    expect(hint?.leaderId).toBe(first);
    expect(hint?.leaderUrl.replace(/\/$/, "")).toBe(c.nodes.get(first)?.url);

    const urls = c.ids.map((id) => c.nodes.get(id)?.url ?? "");
    const appenders = startAppenders({ urls, token: c.adminToken, appenders: 4 });
    const listener = startListener({ urls: [c.nodes.get(follower)?.url ?? "", ...urls], token: c.adminToken, heartbeatMs: 100 });
    const progress = async (n: number, stage: string): Promise<void> => {
      const target = appenders.ackedCount() + n;
      const timeout = new Promise<boolean>((r) => setTimeout(() => r(false), 30_000).unref());
      if (!(await Promise.race([appenders.acked(target).then(() => true), timeout]))) throw new Error(`no progress ${stage}:\n${stderrOf(c)}`);
    };
    await progress(50, "before faults");
    c.isolate(first);
    const second = await c.leader(20_000, first);
    await progress(50, `with ${first} isolated`);
    c.heal();
    const victim = c.ids.find((id) => id !== second) as string;
    await c.kill(victim);
    await progress(50, `with ${victim} killed`);
    await c.restart(victim);
    const history = await appenders.stop();
    const lastAck = history.acked.reduce((m, a) => (a.seq > m ? a.seq : m), 0n);
    await listener.reached(lastAck, 20_000);
    const seen = await listener.stop();

    const leaderNow = await c.ready(20_000);
    const logs = new Map<string, LoggedEntry[]>();
    for (const id of c.ids) logs.set(id, await readAll(c.clients.get(id) ?? expect.unreachable()));
    const leaderLog = logs.get(leaderNow) ?? [];
    expect(checkAcknowledged(history.acked, leaderLog)).toEqual([]);
    expect(checkLogsAgree(logs).violations).toEqual([]);
    expect(checkListener(seen.messages, leaderLog)).toEqual([]);
  }, 180_000);

  it("pause/resume keeps the process; restart comes back on the same ports and data", async () => {
    const c = (cluster = await startCluster({ size: 3, timers: { electionTimeoutMs: 800, heartbeatMs: 80 } }));
    const leader = await c.ready(20_000);
    const n = c.nodes.get(leader);
    const pid = n?.pid();
    c.pause(leader);
    expect(n?.state()).toBe("paused");
    expect(await c.leader(20_000, leader)).not.toBe(leader);
    c.resume(leader);
    expect(n?.pid()).toBe(pid);
    await c.restart(leader);
    expect(n?.pid()).not.toBe(pid);
    await c.ready(20_000);
    expect((await c.clients.get(leader)?.status({}))?.nodeId).toBe(leader);
  }, 120_000);
});
