import { afterEach, describe, expect, it } from "vitest";
import http2 from "node:http2";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { NotLeaderSchema } from "@synod/proto/errors";
import { HubService } from "@synod/proto/hub";
import { checkAcknowledged, checkListener, checkLogsAgree } from "@synod/conformance";
import { freePort } from "@synod/conformance/network";
import { hubClient, readAll } from "../hub-client.js";
import { adminToken, cleanupProcesses, spawnHub, tempDir } from "../process-harness.js";
import { startAppenders, startListener } from "./workload.js";

const servers: http2.Http2Server[] = [];
const sessions = new Set<http2.ServerHttp2Session>();
afterEach(async () => {
  const closed = servers.splice(0).map((s) => new Promise((r) => s.close(r)));
  sessions.forEach((s) => s.destroy()); // clients keep their HTTP/2 sessions open
  sessions.clear();
  await Promise.all(closed);
  await cleanupProcesses();
});

/** An HTTP/2 Connect server on 127.0.0.1:0 with only the given HubService methods. */
async function fakeNode(impl: Partial<ServiceImpl<typeof HubService>>): Promise<string> {
  const server = http2.createServer(connectNodeAdapter({ routes: (router) => router.service(HubService, impl) }));
  servers.push(server);
  server.on("session", (session) => (sessions.add(session), session.once("close", () => sessions.delete(session))));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const notLeader = (leaderUrl: string, term: bigint) =>
  new ConnectError("not the leader", Code.Unavailable, undefined, [{ desc: NotLeaderSchema, value: create(NotLeaderSchema, { leaderId: leaderUrl ? "n9" : "", leaderUrl, term }) }]);

describe("workload against real and fake hubs", () => {
  it("appenders and a listener ride out kill -9 and a restart; the checkers find nothing wrong", async () => {
    const dir = await tempDir();
    const listen = ["--listen", `127.0.0.1:${await freePort()}`];
    let hub = await spawnHub(dir, listen);
    const token = await adminToken(dir);
    const appenders = startAppenders({ urls: [hub.url], token, appenders: 8, entryDeadlineMs: 20_000, attemptTimeoutMs: 2000 });
    const listener = startListener({ urls: [hub.url], token, heartbeatMs: 100 });
    await appenders.acked(150);
    hub.child.kill("SIGKILL");
    await hub.exited();
    hub = await spawnHub(dir, listen);
    await appenders.acked(appenders.ackedCount() + 150);
    const history = await appenders.stop();
    const log = await readAll(hubClient(hub.url, token));
    await listener.reached(log.at(-1)?.seq ?? 0n, 20_000);
    const seen = await listener.stop();

    expect(checkAcknowledged(history.acked, log)).toEqual([]);
    expect(checkLogsAgree(new Map([["n1", log]])).violations).toEqual([]);
    expect(checkListener(seen.messages, log)).toEqual([]);
    expect(seen.resumes, "the listener had to reconnect").toBeGreaterThanOrEqual(1);
    expect(history.acked.length).toBeGreaterThanOrEqual(300);
    // An entry whose outcome was unknown is in the log at most once.
    const count = new Map<string, number>();
    for (const e of log) count.set(e.id, (count.get(e.id) ?? 0) + 1);
    for (const id of history.unknown) expect(count.get(id) ?? 0, id).toBeLessThanOrEqual(1);
    // Mutation check: the checkers do see a lost acknowledgement and a listener gap.
    expect(checkAcknowledged([...history.acked, { id: "never-written", seq: 1n }], log)).toHaveLength(1);
    expect(checkListener(seen.messages.filter((m) => !m.entries.some((e) => e.seq === 2n)), log).length).toBeGreaterThan(0);
  }, 90_000);

  it("appenders follow a NotLeader hint to the leader and keep the entry id", async () => {
    const dir = await tempDir();
    const hub = await spawnHub(dir);
    const token = await adminToken(dir);
    const follower = await fakeNode({ append: () => Promise.reject(notLeader(hub.url, 3n)) });
    const appenders = startAppenders({ urls: [follower], token, appenders: 2, entriesPerAppenderMax: 5 });
    await appenders.acked(10);
    const history = await appenders.stop();
    expect(history.unknown).toEqual([]);
    expect(history.notExecuted).toEqual([]);
    expect(history.acked.map((a) => a.id).sort()).toEqual(["w-0-0", "w-0-1", "w-0-2", "w-0-3", "w-0-4", "w-1-0", "w-1-1", "w-1-2", "w-1-3", "w-1-4"]);
    expect(new Set(history.acked.map((a) => a.url))).toEqual(new Set([hub.url]));
    expect(checkAcknowledged(history.acked, await readAll(hubClient(hub.url, token)))).toEqual([]);
  }, 60_000);

  it("reports an entry refused by every attempt as not executed, and one lost in a timeout as unknown", async () => {
    const leaderless = await fakeNode({ append: () => Promise.reject(notLeader("", 0n)) });
    const refused = await startAppenders({ urls: [leaderless], token: "t", appenders: 1, entriesPerAppenderMax: 1, entryDeadlineMs: 300 }).stop();
    expect(refused).toEqual({ acked: [], unknown: [], notExecuted: ["w-0-0"] });

    const silent = await fakeNode({ append: () => new Promise<never>(() => {}) });
    const lost = await startAppenders({ urls: [silent], token: "t", appenders: 1, entriesPerAppenderMax: 1, entryDeadlineMs: 400, attemptTimeoutMs: 100 }).stop();
    expect(lost).toEqual({ acked: [], unknown: ["w-0-0"], notExecuted: [] });
  });

  it("fails loudly on an error retrying cannot fix (a bad token)", async () => {
    const dir = await tempDir();
    const hub = await spawnHub(dir);
    await expect(startAppenders({ urls: [hub.url], token: "synod_adm_wrong", appenders: 1 }).stop()).rejects.toThrow(/failed for good/);
  }, 60_000);

  it("a listener abandons a silent stream and resumes after the last throughSeq on the next node", async () => {
    const afters: bigint[] = [];
    const silent = await fakeNode({
      async *listen(req) {
        afters.push(req.afterSeq);
        yield { afterSeq: req.afterSeq, throughSeq: req.afterSeq + 2n, entries: [{ id: "a", seq: req.afterSeq + 1n }, { id: "b", seq: req.afterSeq + 2n }] };
        await new Promise<never>(() => {}); // then goes quiet, like a paused node
      },
    });
    const listener = startListener({ urls: [silent, silent], token: "t", heartbeatMs: 100, idleTimeoutMs: 200 });
    await listener.reached(4n, 10_000);
    const seen = await listener.stop();
    expect(afters.slice(0, 2)).toEqual([0n, 2n]);
    expect(seen.messages.slice(0, 2).map((m) => [m.afterSeq, m.throughSeq])).toEqual([[0n, 2n], [2n, 4n]]);
    expect(seen.errors[0]).toMatch(/silent for 200 ms/);
  });
});
