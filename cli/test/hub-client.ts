/** Raw Connect clients for process tests (independent of the SDK under test). */
import { createClient, type Client } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { HubService } from "@synod/proto/hub";

/** A HubService client that sends `token` on every call. */
export function hubClient(url: string, token: string): Client<typeof HubService> {
  const transport = createConnectTransport({
    baseUrl: url,
    httpVersion: "2",
    interceptors: [(next) => (req) => (req.header.set("authorization", `Bearer ${token}`), next(req))],
  });
  return createClient(HubService, transport);
}

/** Every committed entry, paging through Read. */
export async function readAll(c: Client<typeof HubService>): Promise<{ id: string; seq: bigint }[]> {
  const out: { id: string; seq: bigint }[] = [];
  let after = 0n;
  for (;;) {
    const page = await c.read({ afterSeq: after, limit: 1000 });
    out.push(...page.entries.map((e) => ({ id: e.id, seq: e.seq })));
    after = page.throughSeq;
    if (!page.hasMore) return out;
  }
}
