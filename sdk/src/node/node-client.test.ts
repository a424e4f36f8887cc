import { connectNodeAdapter } from "@connectrpc/connect-node";
import { HubService } from "@synod/proto/hub";
import * as http from "node:http";
import * as http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { isSynodError } from "../core/synod-error.js";
import { FakeCluster } from "../testing/fake-cluster.js";
import { fakeHubService } from "../testing/fake-hub.js";
import { waitFor } from "../testing/wait-for.js";
import { createClient } from "./index.js";

// Integration: the real connect-node transport against an in-process server on
// 127.0.0.1:0, over HTTP/2 and HTTP/1.1, and a refused connection.

type Server = http.Server | http2.Http2Server;
const servers: Server[] = [];

async function serve(cluster: FakeCluster, httpVersion: "1.1" | "2"): Promise<string> {
  const handler = connectNodeAdapter({
    routes: (router) => router.service(HubService, fakeHubService(cluster, cluster.node("n1"))),
  });
  const server: Server = httpVersion === "2" ? http2.createServer(handler) : http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    (server as { closeAllConnections?: () => void }).closeAllConnections?.();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

describe("@synod/sdk/node", () => {
  it.each(["2", "1.1"] as const)("appends, reads and listens over HTTP/%s with a bearer token", async (httpVersion) => {
    const cluster = new FakeCluster({ nodes: 1, adminToken: "adm" });
    const peer = await serve(cluster, httpVersion);
    const client = createClient({ peers: [peer], token: "adm", httpVersion, refreshPeersMs: 0 });
    try {
      expect(await client.append({ type: "task", content: "over the wire" })).toMatchObject({ seq: 1n });
      expect((await client.read()).entries[0]?.content).toBe("over the wire");
      for await (const batch of client.listen({ heartbeatMs: 100 })) {
        expect(batch.throughSeq).toBe(1n);
        break;
      }
      await waitFor(() => cluster.streams[0]?.signal.aborted === true, "server saw the cancel");
    } finally {
      client.close();
    }
  });

  it("classifies a refused connection as not executed", async () => {
    const cluster = new FakeCluster({ nodes: 1 });
    const peer = await serve(cluster, "2");
    const closing = servers.pop();
    await new Promise<void>((resolve) => closing?.close(() => resolve()));
    const client = createClient({ peers: [peer], refreshPeersMs: 0, retryBudget: { maxTokens: 0 } });
    try {
      const error = await client.register("x").catch((e: unknown) => e);
      expect(isSynodError(error, "retryBudgetExhausted")).toBe(true);
      expect((error as Error).cause).toMatchObject({ kind: "unavailable", failure: "notExecuted" });
    } finally {
      client.close();
    }
  });
});
