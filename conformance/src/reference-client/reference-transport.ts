/**
 * The reference client's transports: plain Connect clients with no retries, no
 * redirects and no failover, so a case sees exactly what one node answered. One
 * per protocol (Connect, gRPC, gRPC-Web), HTTP version and codec.
 */
import { createClient, type Client, type Interceptor, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import type { DescService } from "@bufbuild/protobuf";

/** A wire protocol Connect-RPC speaks. */
export type WireProtocol = "connect" | "grpc" | "grpcweb";
/** An HTTP version. gRPC needs HTTP/2. */
export type HttpVersion = "1.1" | "2";

/** How to reach a node. */
export interface TransportChoice {
  readonly protocol?: WireProtocol;
  readonly http?: HttpVersion;
  /** JSON instead of binary protobuf (`application/grpc+json` for gRPC). */
  readonly json?: boolean;
  /** Bearer token; omitted means no authorization header. */
  readonly token?: string;
}

/** A transport to `baseUrl` as chosen. gRPC over HTTP/1.1 is refused (the protocol needs HTTP/2). */
export function referenceTransport(baseUrl: string, choice: TransportChoice = {}): Transport {
  const protocol = choice.protocol ?? "connect";
  const httpVersion = choice.http ?? "2";
  const useBinaryFormat = choice.json !== true;
  const interceptors: Interceptor[] = [];
  const token = choice.token;
  if (token !== undefined) {
    interceptors.push((next) => (req) => {
      req.header.set("authorization", `Bearer ${token}`);
      return next(req);
    });
  }
  switch (protocol) {
    case "connect":
      return createConnectTransport({ baseUrl, httpVersion, useBinaryFormat, interceptors });
    case "grpcweb":
      return createGrpcWebTransport({ baseUrl, httpVersion, useBinaryFormat, interceptors });
    case "grpc":
      if (httpVersion !== "2") throw new RangeError("gRPC runs over HTTP/2 only");
      return createGrpcTransport({ baseUrl, useBinaryFormat, interceptors });
  }
}

/** A client of `service` on one node. */
export function referenceClient<S extends DescService>(service: S, baseUrl: string, choice: TransportChoice = {}): Client<S> {
  return createClient(service, referenceTransport(baseUrl, choice));
}
