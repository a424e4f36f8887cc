/**
 * Before the client under test connects to a live cluster: waits until a leader is
 * agreed and answers an admin call. A fresh cluster's leader creates the admin token
 * as a log entry after its election, so until then every token is refused, which is
 * correct but not what a client case is about.
 */
import type { CaseContext } from "../runner/case-context.js";

/** Pause between probes (the nodes are other processes). */
const pollMs = 50;
const probeTimeoutMs = 1_000;

/**
 * Resolves once the agreed leader accepts the admin token (a `List` call succeeds).
 * @throws Error with the last refusal after `timeoutMs`.
 */
export async function awaitClusterReady(ctx: CaseContext, timeoutMs: number): Promise<void> {
  const cluster = ctx.cluster();
  const deadline = performance.now() + timeoutMs;
  let last = "";
  for (;;) {
    try {
      const { node } = await cluster.leader(Math.max(1, deadline - performance.now()));
      await cluster.client(node).list({}, { timeoutMs: probeTimeoutMs, signal: ctx.signal });
      return;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    if (performance.now() >= deadline || ctx.signal.aborted) throw new Error(`the cluster did not accept the admin token within ${timeoutMs} ms: ${last}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
