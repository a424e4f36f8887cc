import { afterEach, describe, expect, it } from "vitest";
import { Role } from "@synod/proto/entry";
import type { StatusResponse } from "@synod/proto/hub";
import { freePort } from "@synod/conformance/network";
import { hubClient } from "../hub-client.js";
import { adminToken, cleanupProcesses, spawnHub, tempDir } from "../process-harness.js";
import { agreedLeader, bootstrapArgs, newAdminToken } from "./cluster-harness.js";
import { ClusterNode } from "./cluster-node.js";

afterEach(cleanupProcesses);

/** A ClusterNode over a single-mode hub (the lifecycle does not depend on the mode). */
async function singleNode(): Promise<ClusterNode> {
  const dataDir = await tempDir();
  const clientPort = await freePort();
  const first = await spawnHub(dataDir, ["--listen", `127.0.0.1:${clientPort}`]); // writes the admin token
  const token = await adminToken(dataDir);
  first.child.kill("SIGKILL");
  await first.exited();
  const args = ["--node-id", "n1", "--listen", `127.0.0.1:${clientPort}`];
  return new ClusterNode({ id: "n1", clientPort, peerPort: 0, dataDir, args, adminToken: token, processTimeoutMs: 60_000 });
}

describe("cluster node lifecycle on a real process", () => {
  it("kill, restart on the same port and data, pause and resume", async () => {
    const n = await singleNode();
    await n.start();
    expect(n.state()).toBe("running");
    const r = await n.client.append({ entries: [{ id: "kept", type: "task", content: "survives restarts" }] });
    const pid = n.pid();
    await n.kill();
    expect(n.state()).toBe("killed");
    expect(n.pid()).toBeUndefined();
    await n.start();
    expect(n.pid()).not.toBe(pid);
    const page = await n.client.read({ afterSeq: 0n });
    expect(page.entries.map((e) => [e.id, e.seq])).toEqual([["kept", r.results[0]?.seq]]);
    n.pause();
    expect(n.state()).toBe("paused");
    await expect(n.client.status({}, { timeoutMs: 300 })).rejects.toThrow();
    n.resume();
    expect((await n.client.status({})).nodeId).toBe("n1");
    expect(() => n.resume()).toThrow(/cannot resume/);
    expect(n.stderr()).toContain("--- n1 start 2 ---");
    await n.stop();
    expect(n.state()).toBe("stopped");
  }, 60_000);

  it("reports a process that died on its own as exited", async () => {
    const n = await singleNode();
    await n.start();
    const gone = n.exited();
    process.kill(n.pid() as number, "SIGKILL"); // not through the node: a crash
    expect(await gone).toBe("SIGKILL");
    expect(n.state()).toBe("exited");
    await expect(n.start()).resolves.toBeUndefined();
    expect(n.state()).toBe("running");
  }, 60_000);
});

describe("cluster harness pieces", () => {
  it("bootstrap arguments carry every cluster flag", () => {
    const args = bootstrapArgs({ id: "n2", clientPort: 1, peerPort: 2, bootstrap: "n1=127.0.0.1:3,n2=127.0.0.1:2", peerRoutes: "n1=127.0.0.1:9", clusterSecret: "s", adminToken: "t", timers: { electionTimeoutMs: 1000, heartbeatMs: 100 } });
    expect(args.join(" ")).toBe("--node-id n2 --listen 127.0.0.1:1 --peer-listen 127.0.0.1:2 --bootstrap n1=127.0.0.1:3,n2=127.0.0.1:2 --peer-route n1=127.0.0.1:9 --cluster-secret s --admin-token t --election-timeout-ms 1000 --heartbeat-ms 100");
  });

  it("admin tokens have the server's format", () => {
    expect(newAdminToken()).toMatch(/^synod_adm_[A-Za-z0-9_-]{43}$/);
    expect(newAdminToken()).not.toBe(newAdminToken());
  });

  it("agrees on a leader only when exactly one node leads and a majority follows it in its term", () => {
    const s = (nodeId: string, role: Role, term: bigint, leaderId: string) => ({ nodeId, role, term, leaderId }) as StatusResponse;
    const ok = new Map<string, StatusResponse | Error>([["n1", s("n1", Role.LEADER, 2n, "n1")], ["n2", s("n2", Role.FOLLOWER, 2n, "n1")], ["n3", new Error("down")]]);
    expect(agreedLeader(3, ok)).toBe("n1");
    const twoLeaders = new Map(ok).set("n3", s("n3", Role.LEADER, 3n, "n3"));
    expect(agreedLeader(3, twoLeaders)).toBeUndefined();
    const staleFollower = new Map(ok).set("n2", s("n2", Role.FOLLOWER, 1n, "n1"));
    expect(agreedLeader(3, staleFollower)).toBeUndefined();
    expect(agreedLeader(5, ok)).toBeUndefined();
  });
});
