/**
 * The peer port: PeerService over HTTP/2 (h2c), for node-to-node traffic only.
 * Every call must carry the cluster secret; a wrong one is refused and logged.
 */
import http2 from "node:http2";
import type net from "node:net";
import { timingSafeEqual, createHash } from "node:crypto";
import { Code, ConnectError, type ConnectRouter } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { PeerService } from "@synod/proto/peer";
import type { Logger } from "../logger.js";
import type { Message } from "../raft/messages.js";
import type { NodeId, StoredEntry } from "../raft/types.js";
import { wireError } from "../rpc/error-table.js";
import { entryFromWire } from "./record-codec.js";
import { bearerSecret } from "../rpc/auth-interceptor.js";
import { messageFromWire } from "./message-codec.js";
import { clientUrlHeader, nodeIdHeader, peerUrlHeader } from "./peer-transport.js";

/** What the peer server hands to the node. */
export interface PeerServerEnv {
  readonly selfId: NodeId;
  /** The cluster secret (read per call: a joining node learns it after starting). */
  readonly secret: () => string;
  readonly logger: Logger;
  /** Messages addressed to this node. */
  readonly onMessages: (messages: Message[]) => void;
  /** A peer told us its client and peer URLs. */
  readonly onPeerSeen: (id: NodeId, clientUrl: string, peerUrl: string) => void;
  /** Entries another node truncated and re-submits (this node must lead); resolves with how many were appended. */
  readonly onResubmit: (entries: StoredEntry[]) => Promise<number>;
}

/** A running peer server. */
export interface PeerServer {
  readonly address: string;
  close(): Promise<void>;
}

function sameSecret(a: string, b: string): boolean {
  const h = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(h(a), h(b));
}

function routes(env: PeerServerEnv, refused: (from: string) => void) {
  return (router: ConnectRouter): void => {
    router.service(PeerService, {
      deliver(req, ctx) {
        const secret = bearerSecret(ctx.requestHeader.get("authorization")) ?? "";
        const from = ctx.requestHeader.get(nodeIdHeader) ?? "";
        if (!sameSecret(secret, env.secret())) {
          refused(from);
          throw new ConnectError("wrong cluster secret", Code.PermissionDenied);
        }
        if (from) env.onPeerSeen(from, ctx.requestHeader.get(clientUrlHeader) ?? "", ctx.requestHeader.get(peerUrlHeader) ?? "");
        const messages: Message[] = [];
        for (const w of req.messages) {
          const m = messageFromWire(w);
          if (m && m.to === env.selfId) messages.push(m);
        }
        if (messages.length > 0) env.onMessages(messages);
        return {};
      },
      async resubmit(req, ctx) {
        const secret = bearerSecret(ctx.requestHeader.get("authorization")) ?? "";
        if (!sameSecret(secret, env.secret())) {
          refused(ctx.requestHeader.get(nodeIdHeader) ?? "");
          throw new ConnectError("wrong cluster secret", Code.PermissionDenied);
        }
        try {
          return { appended: await env.onResubmit(req.entries.map(entryFromWire)) };
        } catch (err) {
          throw wireError(err);
        }
      },
    });
  };
}

/** Listens on host:port (0 picks a port) for peer traffic. */
export async function startPeerServer(host: string, port: number, env: PeerServerEnv): Promise<PeerServer> {
  let lastWarnMs = 0;
  const refused = (from: string): void => {
    const now = Date.now();
    if (now - lastWarnMs < 10_000) return;
    lastWarnMs = now;
    env.logger.warn("refused a peer with a wrong cluster secret", { from: from || "unknown" });
  };
  const server = http2.createServer({ settings: { initialWindowSize: 4 * 1024 * 1024 } }, connectNodeAdapter({ routes: routes(env, refused), readMaxBytes: 64 * 1024 * 1024 }));
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on("session", (s) => {
    s.setLocalWindowSize(32 * 1024 * 1024);
    sessions.add(s);
    s.once("close", () => sessions.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const a = server.address() as net.AddressInfo;
  return {
    address: `${a.family === "IPv6" ? `[${a.address}]` : a.address}:${a.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sessions) s.destroy();
      }),
  };
}
