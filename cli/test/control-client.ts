/** A raw ControlService client for process tests of the test-only fail points. */
import { createClient, type Client } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { ControlService } from "@synod/proto/control";

/** A ControlService client that sends `token` (normally the admin token) on every call. */
export function controlClient(url: string, token: string): Client<typeof ControlService> {
  const transport = createConnectTransport({
    baseUrl: url,
    httpVersion: "2",
    interceptors: [(next) => (req) => (req.header.set("authorization", `Bearer ${token}`), next(req))],
  });
  return createClient(ControlService, transport);
}
