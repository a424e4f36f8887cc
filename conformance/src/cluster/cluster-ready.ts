/**
 * Readiness of a new cluster, for both sides (docs/conformance.md, "Server adapter":
 * the runner waits for "a Status with the token answered by every node" before a
 * case's first step). A fresh Synod cluster creates its admin token as a log record
 * once a leader is elected, so until that record reaches a node the node refuses the
 * token with `unauthenticated`. Server cases then start from a cluster where every
 * node accepts it, and a client under test can be sent to any node: a live client
 * case is about the client, not about a node that has not caught up yet.
 */
import { ConnectError } from "@connectrpc/connect";
import { codeToString } from "@connectrpc/connect/protocol-connect";
import type { CaseContext } from "../runner/case-context.js";
import { pollUntil } from "./poll-until.js";

/** How long a new cluster may take to accept the admin token everywhere, ms. */
export const readyTimeoutMs = 60_000;
/** Deadline of one Status probe, ms. */
const probeTimeoutMs = 2_000;

/**
 * Waits until every running node of the case's cluster answers HubService.Status
 * with the admin token (each node is probed until it answers once).
 * @throws Error after {@link readyTimeoutMs}, or when the case is aborted, naming
 *   each node still refusing and its last answer.
 */
export async function waitClusterReady(ctx: CaseContext): Promise<void> {
  const cluster = ctx.cluster();
  const started = performance.now();
  const pending = new Set(cluster.running());
  const last = new Map<string, string>();
  const ready = await pollUntil(async () => {
    await Promise.all(
      [...pending].map(async (id) => {
        try {
          await cluster.client(id).status({}, { timeoutMs: probeTimeoutMs, signal: ctx.signal });
          pending.delete(id);
        } catch (err) {
          const e = ConnectError.from(err);
          last.set(id, `${codeToString(e.code)}: ${e.rawMessage}`);
        }
      }),
    );
    return pending.size === 0;
  }, { timeoutMs: readyTimeoutMs, signal: ctx.signal });
  if (!ready) {
    const refusing = [...pending].map((id) => `${id}: ${last.get(id) ?? "no answer"}`).join("; ");
    throw new Error(`the cluster did not accept the admin token on every node within ${readyTimeoutMs} ms: ${refusing}`);
  }
  ctx.log(`every node accepts the admin token (${Math.round(performance.now() - started)} ms)`);
}
