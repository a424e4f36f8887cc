/**
 * A node's whole committed log, read page by page with `Read` (the same public API a
 * client uses, so a server is judged only by what it serves).
 */
import type { Client } from "@connectrpc/connect";
import type { Entry } from "@synod/proto/entry";
import type { HubService } from "@synod/proto/hub";

/** Entries per Read page (the protocol's maximum). */
const pageEntries = 1000;
/** Pages one log read may take: 1000 pages of 1000 entries is far beyond any case. */
const pagesMax = 1000;

/**
 * Reads every committed entry of one node, from seq 1, in seq order.
 * @throws the RPC's error, or Error when the node's pages do not advance.
 */
export async function readCommittedLog(client: Client<typeof HubService>, opts: { timeoutMs: number; signal: AbortSignal }): Promise<Entry[]> {
  const out: Entry[] = [];
  let afterSeq = 0n;
  for (let page = 0; page < pagesMax; page++) {
    const res = await client.read({ afterSeq, limit: pageEntries }, opts);
    out.push(...res.entries);
    if (!res.hasMore) return out;
    if (res.throughSeq <= afterSeq) throw new Error(`Read after ${afterSeq} says hasMore but its page ends at ${res.throughSeq}`);
    afterSeq = res.throughSeq;
  }
  throw new Error(`the log has more than ${pagesMax} pages`);
}
