/**
 * `@synod/sdk/web`: the Synod client over connect-web (fetch), for browsers.
 * Browsers reach a hub over HTTP/1.1 on plain http, or HTTP/2 over TLS
 * (CONVENTIONS "Toolchain"). Everything else is the shared core (DESIGN §7).
 */
import { createConnectTransport } from "@connectrpc/connect-web";
import { createClient as createCoreClient, type SynodClient } from "../client.js";
import type { ClientOptions } from "../options.js";

export * from "../index.js";

/** Options of the browser client: the core options without `transport`. */
export interface WebClientOptions extends Omit<ClientOptions, "transport"> {
  /** Use JSON instead of the binary format on the wire (debugging). Default false. */
  readonly useJson?: boolean;
  /** Replaces the connect-web transport (rarely needed; tests use `@synod/sdk/testing`). */
  readonly transport?: ClientOptions["transport"];
}

/**
 * Creates a Synod client for browsers.
 * @throws TypeError when the peer list is empty or malformed.
 */
export function createClient(options: WebClientOptions): SynodClient {
  const transport =
    options.transport ??
    ((baseUrl: string) => createConnectTransport({ baseUrl, useBinaryFormat: options.useJson !== true }));
  return createCoreClient({ ...options, transport });
}
