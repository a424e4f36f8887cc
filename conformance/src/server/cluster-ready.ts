/**
 * Before the first step of a server case: every node of the new cluster answers
 * Status with the cluster's admin token. A fresh Synod cluster creates the admin
 * token as a log record once a leader is elected, so until that record reaches a
 * node it refuses the token with `unauthenticated`; steps must start from a cluster
 * where every node accepts it (the adapter contract asks for exactly that).
 */
import { HubService } from "@synod/proto/hub";
import type { CaseContext } from "../runner/case-context.js";
import { rpcErrorValue } from "./error-outcome.js";
import { nodeClient } from "./node-clients.js";

/** How long a new cluster may take to accept the admin token everywhere, ms. */
export const readyTimeoutMs = 60_000;
/** Pause between Status polls (the nodes are other processes). */
const pollMs = 50;

/**
 * Waits until every running node answers Status with the admin token.
 * @throws Error after {@link readyTimeoutMs} naming each node's last answer.
 */
export async function waitClusterReady(ctx: CaseContext): Promise<void> {
  const cluster = ctx.cluster();
  const started = performance.now();
  const pending = new Set(cluster.running());
  const last = new Map<string, string>();
  while (pending.size > 0) {
    await Promise.all([...pending].map(async (id) => {
      try {
        await nodeClient(ctx, HubService, id).status({}, { timeoutMs: 2_000, signal: ctx.signal });
        pending.delete(id);
      } catch (err) {
        const e = rpcErrorValue(err);
        last.set(id, `${e.code}: ${e.message}`);
      }
    }));
    if (pending.size === 0) break;
    if (performance.now() - started > readyTimeoutMs || ctx.signal.aborted) {
      throw new Error(`the cluster did not accept the admin token on every node within ${readyTimeoutMs} ms: ${[...pending].map((id) => `${id}: ${last.get(id) ?? "no answer"}`).join("; ")}`);
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
  ctx.log(`every node accepts the admin token (${Math.round(performance.now() - started)} ms)`);
}
