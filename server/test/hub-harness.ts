/**
 * Test harness: a hub in this process on a free loopback port with a fresh
 * data directory, and raw Connect clients (the server's tests never use the SDK).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient, type Client } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { ClusterService } from "@synod/proto/cluster";
import { HubService } from "@synod/proto/hub";
import { resolveHubConfig } from "../src/config/hub-config.js";
import { startHub, type RunningHub, type StartOptions } from "../src/hub.js";
import { silentLogger } from "../src/logger.js";

/** A started hub and helpers around it. */
export interface TestHub {
  readonly hub: RunningHub;
  readonly dir: string;
  readonly admin: string;
  client(opts?: { token?: string; protocol?: "connect" | "grpc" | "grpc-web"; http?: "1.1" | "2"; json?: boolean }): Client<typeof HubService>;
  cluster(token?: string): Client<typeof ClusterService>;
  restart(): Promise<TestHub>;
  stop(): Promise<void>;
}

/** Wraps a client so every call carries `headers` (call options can still add more). */
function withHeaders<T extends object>(client: T, headers: Record<string, string>): T {
  return new Proxy(client, {
    get: (t, k) => {
      const fn = (t as Record<string | symbol, unknown>)[k];
      if (typeof fn !== "function") return fn;
      return (req: unknown, co: Record<string, unknown> = {}) => fn.call(t, req, { headers, ...co });
    },
  });
}

/** Makes a temp directory removed by `cleanup`. */
export async function tempDir(prefix = "synod-test-"): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** Starts a hub on 127.0.0.1:0 in `dir` (a new temp dir by default). */
export async function startTestHub(dir?: string, opts: Partial<StartOptions> = {}, admin?: string): Promise<TestHub> {
  const dataDir = dir ?? (await tempDir());
  const cfg = resolveHubConfig({ flags: { dataDir, listen: "127.0.0.1:0", nodeId: "n1", segmentBytes: 1024 * 1024 } });
  const hub = await startHub(cfg, { logger: silentLogger, ...opts });
  const adminToken = hub.createdAdminToken ?? admin;
  if (!adminToken) throw new Error("test hub started without an admin token");
  const transport = (protocol: string, http: "1.1" | "2", json = false) => {
    const o = { baseUrl: hub.clientUrl, httpVersion: http, useBinaryFormat: !json } as const;
    if (protocol === "grpc") return createGrpcTransport({ baseUrl: hub.clientUrl });
    if (protocol === "grpc-web") return createGrpcWebTransport(o);
    return createConnectTransport(o);
  };
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const self: TestHub = {
    hub,
    dir: dataDir,
    admin: adminToken,
    client: (o = {}) => {
      const c = createClient(HubService, transport(o.protocol ?? "connect", o.http ?? "2", o.json));
      const headers = auth(o.token ?? adminToken);
      return withHeaders(c, headers);
    },
    cluster: (token) => {
      const c = createClient(ClusterService, transport("connect", "2"));
      const headers = auth(token ?? adminToken);
      return withHeaders(c, headers);
    },
    restart: async () => {
      await hub.stop(100);
      return startTestHub(dataDir, opts, adminToken);
    },
    stop: async () => {
      await hub.stop(100);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return self;
}
