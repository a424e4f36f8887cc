/**
 * Starts a hub node: data directory, log store, token table, RPC services and
 * the client port. The only place that wires the pieces together.
 */
import type { HandlerContext } from "@connectrpc/connect";
import { createContextKey, createContextValues } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import http2 from "node:http2";
import { TokenTable } from "./auth/token-table.js";
import { hashToken, newTokenId, newTokenSecret } from "./auth/token-secret.js";
import { parseHostPort, type HubConfig } from "./config/hub-config.js";
import { startClientServer, withCors, type AnyHandler } from "./http/client-server.js";
import type { Logger } from "./logger.js";
import { lockDataDir, writeAddress, writeAdminToken } from "./node/data-dir.js";
import { HubNode } from "./node/hub-node.js";
import { authInterceptor } from "./rpc/auth-interceptor.js";
import { registerClusterService } from "./rpc/cluster-service.js";
import { registerHubService } from "./rpc/hub-service.js";
import { limits } from "./rpc/limits.js";
import { listenDefaults, type ListenOptions } from "./rpc/listen-stream.js";
import type { NodeFacts } from "./rpc/status.js";
import { openNodeLog, type NodeLog } from "./node/node-log.js";
import type { StorageFs } from "./storage/index.js";

/** The version reported in status. */
export const synodVersion = "0.1.0";

/** A running hub. */
export interface RunningHub {
  readonly nodeId: string;
  /** e.g. `http://127.0.0.1:9900`. */
  readonly clientUrl: string;
  /** The admin secret, only when this start created it (first start). */
  readonly createdAdminToken: string | undefined;
  /** Stops serving, lets in-flight calls finish for up to `graceMs`, closes the log. */
  stop(graceMs?: number): Promise<void>;
}

/** Options beyond the configuration, mostly for tests. */
export interface StartOptions {
  readonly logger: Logger;
  readonly listen?: Partial<ListenOptions>;
  readonly nowMs?: () => number;
  /** The file system under the log (tests inject failures such as a full disk). */
  readonly storageFs?: StorageFs;
}

const rawRequestKey = createContextKey<{ reset: () => void } | undefined>(undefined);

function resetterFor(req: unknown): { reset: () => void } {
  return {
    reset: () => {
      if (req instanceof http2.Http2ServerRequest) req.stream.close(http2.constants.NGHTTP2_CANCEL);
      else (req as { socket?: { destroy(): void } }).socket?.destroy();
    },
  };
}

async function ensureAdminToken(node: HubNode, dir: string, nowMs: () => number): Promise<string | undefined> {
  if (node.tokens.hasAdmin()) return undefined;
  const secret = newTokenSecret("admin");
  await writeAdminToken(dir, secret);
  await node.proposeToken({ kind: "create", tokenId: newTokenId(), name: "admin", tokenKind: "admin", hash: hashToken(secret), createdAtMs: nowMs() });
  return secret;
}

function routes(node: HubNode, facts: NodeFacts, cfg: HubConfig, listen: ListenOptions, nowMs: () => number, stopping: AbortSignal) {
  const entryTypes = new Set(cfg.entryTypes);
  const resetTransport = (ctx: HandlerContext) => () => ctx.values.get(rawRequestKey)?.reset();
  return connectNodeAdapter({
    interceptors: [authInterceptor(() => node.tokens)],
    readMaxBytes: limits.requestBytesMax,
    contextValues: (req) => createContextValues().set(rawRequestKey, resetterFor(req)),
    routes: (router) => {
      registerHubService(router, { node, facts, entryTypes, listen, nowMs, resetTransport, stopping });
      registerClusterService(router, { node, facts, nowMs });
    },
  });
}

function withHealth(handler: AnyHandler, health: () => { ok: boolean; body: object }): AnyHandler {
  return (req, res) => {
    if (req.url === "/health" && req.method === "GET") {
      const h = health();
      res.statusCode = h.ok ? 200 : 503;
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(h.body));
      return;
    }
    handler(req, res);
  };
}

/** Starts a hub from a resolved configuration. */
export async function startHub(cfg: HubConfig, opts: StartOptions): Promise<RunningHub> {
  const nowMs = opts.nowMs ?? Date.now;
  const release = await lockDataDir(cfg.dataDir, cfg.nodeId);
  let log: NodeLog | undefined;
  try {
    const tokens = new TokenTable();
    log = await openNodeLog(cfg.dataDir, { segmentBytes: cfg.segmentBytes, logger: opts.logger, fs: opts.storageFs, onInternal: (p) => {
        if (p.kind === "token") tokens.apply(p.change);
      },
      onFatal: (err) => {
        opts.logger.error("fatal storage failure; exiting so the node recovers from disk", { error: err.message });
        process.exit(70);
      },
    });
    const node = new HubNode({ nodeId: cfg.nodeId, log, tokens, nowMs });
    const createdAdminToken = await ensureAdminToken(node, cfg.dataDir, nowMs);
    const { host, port } = parseHostPort(cfg.listen, "listen");
    let clientUrl = "";
    const facts: NodeFacts = { mode: "single", version: synodVersion, clientUrl: "", peerUrl: "", storageError: () => log?.storageError ?? "" };
    const listen = { ...listenDefaults, ...opts.listen };
    const stopping = new AbortController();
    const handler = withHealth(withCors(routes(node, facts, cfg, listen, nowMs, stopping.signal) as AnyHandler), () => ({
      ok: true,
      body: { status: "ok", role: "leader", nodeId: cfg.nodeId, quorum: true },
    }));
    const server = await startClientServer(host, port, handler);
    clientUrl = `http://${server.address}`;
    (facts as { clientUrl: string }).clientUrl = clientUrl;
    await writeAddress(cfg.dataDir, clientUrl);
    opts.logger.info("hub started", { node: cfg.nodeId, url: clientUrl, mode: "single", entries: node.commit.seq });
    const openLog = log;
    return {
      nodeId: cfg.nodeId,
      clientUrl,
      createdAdminToken,
      stop: async (graceMs = 5000) => {
        stopping.abort();
        await server.close(graceMs);
        await openLog.close();
        await release();
        opts.logger.info("hub stopped", { node: cfg.nodeId });
      },
    };
  } catch (err) {
    await log?.close();
    await release();
    throw err;
  }
}
