/**
 * The client port: HTTP/1.1 and HTTP/2 (prior knowledge, h2c) on one TCP
 * port. Node's cleartext HTTP/2 server cannot fall back to HTTP/1.1, so the
 * first bytes of each connection pick the server: the HTTP/2 preface starts
 * with "PRI * HTTP/2.0", which no HTTP/1.1 request does. Browsers use
 * HTTP/1.1 (Connect-Web over http://), Node clients and gRPC use HTTP/2.
 */
import http from "node:http";
import http2 from "node:http2";
import net from "node:net";
import { cors } from "@connectrpc/connect";

/** Handles a request of either HTTP version. */
export type AnyHandler = (
  req: http.IncomingMessage | http2.Http2ServerRequest,
  res: http.ServerResponse | http2.Http2ServerResponse,
) => void;

/** A running client server. */
export interface ClientServer {
  /** The bound address, e.g. `127.0.0.1:9900`. */
  readonly address: string;
  /** Stops accepting, and closes every connection within `graceMs`. */
  close(graceMs: number): Promise<void>;
}

const preface = Buffer.from("PRI * HTTP/2.0");

/** HTTP/2 flow-control window per stream, in bytes. */
const streamWindowBytes = 4 * 1024 * 1024;
/** HTTP/2 flow-control window per connection, in bytes. */
const sessionWindowBytes = 32 * 1024 * 1024;

/** Wraps a handler with CORS for browsers: bearer tokens, never cookies, so any origin may call. */
export function withCors(handler: AnyHandler): AnyHandler {
  return (req, res) => {
    const origin = req.headers.origin;
    if (origin) {
      res.setHeader("access-control-allow-origin", origin);
      res.setHeader("vary", "origin");
      res.setHeader("access-control-expose-headers", cors.exposedHeaders.join(", "));
    }
    if (req.method === "OPTIONS" && origin) {
      res.setHeader("access-control-allow-methods", cors.allowedMethods.join(", "));
      res.setHeader("access-control-allow-headers", [...cors.allowedHeaders, "authorization"].join(", "));
      res.setHeader("access-control-max-age", "7200");
      res.statusCode = 204;
      res.end();
      return;
    }
    handler(req, res);
  };
}

function route(socket: net.Socket, h1: http.Server, h2: http2.Http2Server): void {
  let head = Buffer.alloc(0);
  const onData = (chunk: Buffer): void => {
    head = Buffer.concat([head, chunk]);
    const n = Math.min(head.length, preface.length);
    const isH2 = head.subarray(0, n).equals(preface.subarray(0, n));
    if (isH2 && head.length < preface.length) return;
    socket.off("data", onData);
    socket.pause();
    socket.unshift(head);
    // The HTTP/2 session reads the unshifted bytes itself and takes over the
    // socket's handle; resuming it here would hand those bytes to nobody.
    if (isH2) h2.emit("connection", socket);
    else {
      h1.emit("connection", socket);
      socket.resume();
    }
  };
  socket.on("data", onData);
  socket.on("error", () => socket.destroy());
}

/** Listens on host:port (port 0 picks one) and serves `handler` over HTTP/1.1 and h2c. */
export async function startClientServer(host: string, port: number, handler: AnyHandler): Promise<ClientServer> {
  const h1 = http.createServer(handler as http.RequestListener);
  h1.keepAliveTimeout = 65_000;
  // Node's HTTP/2 defaults (64 KiB windows) make 64 clients sending batches
  // wait on WINDOW_UPDATE round trips; larger windows let them stream.
  const h2 = http2.createServer({ settings: { initialWindowSize: streamWindowBytes } }, handler as (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => void);
  const sessions = new Set<http2.ServerHttp2Session>();
  h2.on("session", (session) => {
    session.setLocalWindowSize(sessionWindowBytes);
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
  });
  const sockets = new Set<net.Socket>();
  const tcp = net.createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    route(socket, h1, h2);
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once("error", reject);
    tcp.listen(port, host, () => resolve());
  });
  const bound = tcp.address() as net.AddressInfo;
  const address = `${bound.family === "IPv6" ? `[${bound.address}]` : bound.address}:${bound.port}`;
  return {
    address,
    // Graceful: no new connections; HTTP/2 sessions get GOAWAY and finish
    // their open streams; idle HTTP/1.1 connections close, busy ones close
    // after their response. Whatever is left after graceMs is cut.
    close: (graceMs) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => sockets.forEach((s) => s.destroy()), graceMs);
        tcp.close(() => {
          clearTimeout(timer);
          resolve();
        });
        for (const session of sessions) session.close();
        h1.close();
        h1.closeIdleConnections();
      }),
  };
}
