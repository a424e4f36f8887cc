/**
 * The transport arguments every RPC step accepts: `protocol` (connect, grpc,
 * grpcweb), `http` ("1.1", "2"), `json` (bool) and `token` (admin, none, bad; callMatrix
 * also client). The default is what the cluster's own reference client uses: Connect,
 * binary, HTTP/2, the admin token.
 */
import type { HttpVersion, TransportChoice, WireProtocol } from "../reference-client/reference-transport.js";

/**
 * Which bearer token a call sends: the cluster's admin token, a client token
 * registered for the case (client-token.ts; only callMatrix registers one), none, or
 * {@link badToken}.
 */
export type TokenChoice = "admin" | "client" | "none" | "bad";

/** A call's transport, with the token still symbolic (the admin token is per cluster). */
export interface CallChoice {
  readonly protocol: WireProtocol;
  readonly http: HttpVersion;
  readonly json: boolean;
  readonly token: TokenChoice;
}

/** A well-formed token no server issued: must be refused with `unauthenticated`. */
export const badToken = "synod_adm_thisTokenWasNeverIssuedByAnyServer0000000000000";

const protocols: readonly WireProtocol[] = ["connect", "grpc", "grpcweb"];
const tokens: readonly TokenChoice[] = ["admin", "client", "none", "bad"];

/**
 * Reads the transport arguments of a step.
 * @throws Error for a value outside the allowed ones, and for gRPC over HTTP/1.1.
 */
export function callChoiceOf(args: Readonly<Record<string, unknown>>): CallChoice {
  const protocol = args.protocol ?? "connect";
  const http = args.http === undefined ? "2" : String(args.http);
  const json = args.json ?? false;
  const token = args.token ?? "admin";
  if (!protocols.includes(protocol as WireProtocol)) throw new Error(`protocol must be one of ${protocols.join(", ")}, got ${JSON.stringify(protocol)}`);
  if (http !== "1.1" && http !== "2") throw new Error(`http must be "1.1" or "2", got ${JSON.stringify(args.http)}`);
  if (typeof json !== "boolean") throw new Error(`json must be true or false, got ${JSON.stringify(json)}`);
  if (!tokens.includes(token as TokenChoice)) throw new Error(`token must be one of ${tokens.join(", ")}, got ${JSON.stringify(token)}`);
  if (protocol === "grpc" && http === "1.1") throw new Error("gRPC runs over HTTP/2 only");
  return { protocol: protocol as WireProtocol, http, json, token: token as TokenChoice };
}

/** The secrets behind the symbolic tokens: the cluster's admin token and, once registered, the case's client token. */
export interface TokenSecrets {
  readonly admin: string;
  readonly client?: string;
}

/**
 * The reference transport's choice for `c`.
 * @throws Error when `c` asks for the client token and none was registered.
 */
export function transportChoice(c: CallChoice, secrets: TokenSecrets): TransportChoice {
  if (c.token === "client" && secrets.client === undefined) throw new Error("token: client needs a client token registered first (callMatrix registers one)");
  const token = c.token === "admin" ? secrets.admin : c.token === "client" ? secrets.client : c.token === "bad" ? badToken : undefined;
  return { protocol: c.protocol, http: c.http, json: c.json, ...(token !== undefined ? { token } : {}) };
}

/** A short label such as `grpcweb/h1.1/json`, for logs and matrix outcomes. */
export function choiceLabel(c: CallChoice): string {
  return `${c.protocol}/h${c.http}/${c.json ? "json" : "binary"}${c.token === "admin" ? "" : `/token:${c.token}`}`;
}
