/**
 * `@synod/sdk/node`: the Synod client over connect-node (HTTP/2 by default,
 * HTTP/1.1 on request). Everything else is the shared core (DESIGN §7).
 */
import { createConnectTransport, Http2SessionManager } from "@connectrpc/connect-node";
import type { Transport } from "@connectrpc/connect";
import { createClient as createCoreClient, type SynodClient } from "../client.js";
import type { ClientOptions } from "../options.js";

export * from "../index.js";

/** Options of the Node client: the core options without `transport`, plus HTTP settings. */
export interface NodeClientOptions extends Omit<ClientOptions, "transport"> {
  /** `"2"` (default; one multiplexed connection per peer) or `"1.1"`. */
  readonly httpVersion?: "1.1" | "2";
  /** Use JSON instead of the binary format on the wire (debugging). Default false. */
  readonly useJson?: boolean;
  /** Replaces the connect-node transport (rarely needed; tests use `@synod/sdk/testing`). */
  readonly transport?: ClientOptions["transport"];
}

/**
 * Creates a Synod client for Node.
 * @throws TypeError when the peer list is empty or malformed.
 */
export function createClient(options: NodeClientOptions): SynodClient {
  const sessions: Http2SessionManager[] = [];
  const httpVersion = options.httpVersion ?? "2";
  const transport =
    options.transport ??
    ((baseUrl: string): Transport => {
      const useBinaryFormat = options.useJson !== true;
      if (httpVersion === "1.1") return createConnectTransport({ baseUrl, httpVersion, useBinaryFormat });
      const sessionManager = new Http2SessionManager(baseUrl, { idleConnectionTimeoutMs: 30_000 });
      sessions.push(sessionManager);
      return createConnectTransport({ baseUrl, httpVersion, useBinaryFormat, sessionManager });
    });
  return createCoreClient({
    ...options,
    transport,
    onClose: () => {
      for (const session of sessions) session.abort();
      options.onClose?.();
    },
  });
}
