/** Context key carrying the raw Node request of an RPC into its handler. */
import { createContextKey } from "@connectrpc/connect";
import type http from "node:http";
import type http2 from "node:http2";

/** A request as Node's HTTP/1.1 or HTTP/2 server hands it over. */
export type RawRequest = http.IncomingMessage | http2.Http2ServerRequest;

/**
 * The raw Node request of the current RPC (set by startLoopbackServer), so a script
 * can cut its stream or connection and the recorder can see the HTTP version.
 */
export const rawRequestKey = createContextKey<RawRequest | undefined>(undefined, { description: "raw node request" });
