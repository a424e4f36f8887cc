import { afterEach, describe, expect, it } from "vitest";
import { Code, ConnectError } from "@connectrpc/connect";
import { NotLeaderSchema } from "@synod/proto/errors";
import { checkAcknowledged, checkListener, checkLogsAgree } from "@synod/conformance";
import { readAll } from "../hub-client.js";
import { cleanupProcesses, runSynod } from "../process-harness.js";
import { startCluster, type Cluster } from "./cluster-harness.js";
import { startAppenders, startListener } from "./workload.js";

// The cluster flags arrive with the Raft wiring of `hub start`; until then this file skips.
const help = await runSynod(["hub", "start", "--help"]);
const clusterFlags = help.stdout.includes("--peer-listen") && help.stdout.includes("--bootstrap");

let cluster: Cluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
  await cleanupProcesses();
});

describe.skipIf(!clusterFlags)("3-node cluster harness on real processes", () => {
  it("elects one leader; followers refuse appends with a hint; a partitioned leader is replaced; acked appends survive", async () => {
    const c = (cluster = await startCluster({ size: 3 }));
    const first = await c.leader(20_000);
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
    await appenders.acked(50);
    c.isolate(first);
    const second = await c.leader(20_000, first);
    expect(second).not.toBe(first);
    await appenders.acked(appenders.ackedCount() + 50);
    c.heal();
    const victim = c.ids.find((id) => id !== second) as string;
    await c.kill(victim);
    await appenders.acked(appenders.ackedCount() + 50);
    await c.restart(victim);
    const history = await appenders.stop();
    const lastAck = history.acked.reduce((m, a) => (a.seq > m ? a.seq : m), 0n);
    await listener.reached(lastAck, 20_000);
    const seen = await listener.stop();

    const logs = new Map<string, { id: string; seq: bigint }[]>();
    for (const id of c.ids) logs.set(id, await readAll(c.clients.get(id) ?? expect.unreachable()));
    const leaderLog = logs.get(await c.leader(20_000)) ?? [];
    expect(checkAcknowledged(history.acked, leaderLog)).toEqual([]);
    expect(checkLogsAgree(logs).violations).toEqual([]);
    expect(checkListener(seen.messages, leaderLog)).toEqual([]);
  }, 180_000);

  it("restarts a node on the same ports and data, and pause/resume keeps its process", async () => {
    const c = (cluster = await startCluster({ size: 3, timers: { electionTimeoutMs: 800, heartbeatMs: 80 } }));
    const leader = await c.leader(20_000);
    const n = c.nodes.get(leader);
    const pid = n?.pid();
    c.pause(leader);
    expect(n?.state()).toBe("paused");
    expect(await c.leader(20_000, leader)).not.toBe(leader);
    c.resume(leader);
    expect(n?.pid()).toBe(pid);
    await c.restart(leader);
    expect(n?.pid()).not.toBe(pid);
    const t0 = performance.now();
    let answer = "";
    for (let i = 0; i < 100 && answer === ""; i++) {
      answer = await c.clients.get(leader)!.status({}).then((s) => s.nodeId, (e) => (console.log(Math.round(performance.now() - t0), String(e)), ""));
      if (!answer) await new Promise((r) => setTimeout(r, 100));
    }
    console.log("status ok after", Math.round(performance.now() - t0), "ms");
    expect(answer).toBe(leader);
  }, 120_000);
});
