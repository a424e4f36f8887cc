/**
 * ClusterService. A single node implements Status and Backup; membership,
 * transfer and join come with clustering and answer `unimplemented` until then
 * (connect answers that for every method not registered here).
 */
import type { ConnectRouter } from "@connectrpc/connect";
import { ClusterService } from "@synod/proto/cluster";
import type { HubNode } from "../node/hub-node.js";
import { seq, type StoredEntry } from "../raft/types.js";
import { buildStatus, type NodeFacts } from "./status.js";

/** Entries per Backup chunk. */
const backupChunkEntries = 1000;

/** One entry as a backup line (the same JSON shape `synod connection sync` writes). */
export function backupLine(e: StoredEntry): string {
  return JSON.stringify({ ...e, seq: String(e.seq), term: String(e.term) }) + "\n";
}

/** Registers ClusterService on a router. */
export function registerClusterService(router: ConnectRouter, d: { node: HubNode; facts: NodeFacts; nowMs: () => number }): void {
  router.service(ClusterService, {
    status: () => ({ status: buildStatus(d.node, d.facts, d.nowMs()) }),
    async *backup(req, ctx) {
      const finalSeq = d.node.commit.seq;
      let cursor = seq(req.afterSeq);
      const all = { types: [], origins: [] };
      while (cursor < finalSeq && !ctx.signal.aborted) {
        const page = await d.node.read(cursor, backupChunkEntries, all);
        const through = page.throughSeq > finalSeq ? finalSeq : page.throughSeq;
        const lines = page.entries.filter((e) => e.seq <= finalSeq).map(backupLine).join("");
        yield { chunk: new TextEncoder().encode(lines), throughSeq: through, finalSeq };
        cursor = through;
      }
    },
  });
}
