/**
 * A loopback server that speaks Connect, gRPC and gRPC-Web over HTTP/1.1 and HTTP/2
 * cleartext (prior knowledge) on one port, as a Synod node's client port does, so a
 * client under test in any language can reach the fake servers with its usual
 * transport. Node's cleartext HTTP/2 server cannot fall back to HTTP/1.1, so the
 * first bytes of a connection choose: only HTTP/2 starts with "PRI * HTTP/2.0".
 */
import { createContextValues, cors, type ConnectRouter } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import http from "node:http";
import http2 from "node:http2";
import net from "node:net";
import { rawRequestKey } from "./raw-request.js";

/** A running loopback server. */
export interface LoopbackServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /**
   * Starts answering with `routes` (before this, every request gets 503): the port
   * is bound first so that scripts can name every server's URL.
   */
  serve(routes: (router: ConnectRouter) => void): void;
  /** Stops listening and cuts every connection at once. */
  close(): Promise<void>;
}

const preface = Buffer.from("PRI * HTTP/2.0");

/**
 * The TCP socket under each HTTP/2 session. Node forbids touching a session's socket
 * through the session, but cutting the TCP connection itself is what a crash or a
 * network failure looks like to the client (every stream on it fails at once),
 * which `session.destroy()` does not reliably show.
 */
const tcpSockets = new WeakMap<http2.Http2Session, net.Socket>();

/** Cuts the TCP connection under a request (HTTP/1.1 or HTTP/2) with a reset. */
export function cutConnection(req: http.IncomingMessage | http2.Http2ServerRequest): void {
  const socket = "stream" in req && req.stream !== undefined ? (req.stream.session ? tcpSockets.get(req.stream.session) : undefined) : (req.socket as net.Socket);
  if (socket === undefined) throw new Error("no TCP socket known for this request");
  socket.resetAndDestroy();
}

type AnyRequest = http.IncomingMessage | http2.Http2ServerRequest;
type AnyResponse = http.ServerResponse | http2.Http2ServerResponse;

/**
 * Listens on 127.0.0.1 (port 0 picks one); see {@link LoopbackServer.serve}. Browsers
 * get CORS answers, so a connect-web client in a page can be the client under test.
 */
export async function startLoopbackServer(port = 0): Promise<LoopbackServer> {
  let current: (req: AnyRequest, res: AnyResponse) => void = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const handler = withCors((req, res) => current(req, res));
  const h1 = http.createServer(handler as http.RequestListener);
  const h2 = http2.createServer(handler as (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => void);
  const sessions = new Set<http2.ServerHttp2Session>();
  let connecting: net.Socket | undefined;
  h2.on("session", (s) => {
    // Emitted synchronously while route() hands the socket over.
    if (connecting !== undefined) tcpSockets.set(s, connecting);
    sessions.add(s);
    s.once("close", () => sessions.delete(s));
  });
  const sockets = new Set<net.Socket>();
  const tcp = net.createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    route(socket, h1, (s) => {
      connecting = s;
      try {
        h2.emit("connection", s);
      } finally {
        connecting = undefined;
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once("error", reject);
    tcp.listen(port, "127.0.0.1", () => resolve());
  });
  const bound = (tcp.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    serve: (routes) => {
      const adapter = connectNodeAdapter({ routes, contextValues: (req) => createContextValues().set(rawRequestKey, req) });
      current = adapter as (req: AnyRequest, res: AnyResponse) => void;
    },
    close: () =>
      new Promise<void>((resolve) => {
        tcp.close(() => resolve());
        // Sockets first: a client then sees every open stream fail (a destroyed
        // session may close one of them as if it had ended normally).
        for (const s of sockets) s.destroy();
        for (const s of sessions) s.destroy();
        h1.closeAllConnections();
      }),
  };
}

/** Hands a new connection to the HTTP/1.1 or the HTTP/2 server by its first bytes. */
function route(socket: net.Socket, h1: http.Server, toH2: (socket: net.Socket) => void): void {
  let head = Buffer.alloc(0);
  const onData = (chunk: Buffer): void => {
    head = Buffer.concat([head, chunk]);
    const n = Math.min(head.length, preface.length);
    const isH2 = head.subarray(0, n).equals(preface.subarray(0, n));
    if (isH2 && head.length < preface.length) return;
    socket.off("data", onData);
    socket.pause();
    socket.unshift(head);
    // The HTTP/2 session reads the unshifted bytes itself; resuming here would lose them.
    if (isH2) toH2(socket);
    else {
      h1.emit("connection", socket);
      socket.resume();
    }
  };
  socket.on("data", onData);
  socket.on("error", () => socket.destroy());
}

/** CORS for browser clients: bearer tokens, no cookies, so any origin may call. */
function withCors(handler: (req: AnyRequest, res: AnyResponse) => void): (req: AnyRequest, res: AnyResponse) => void {
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
