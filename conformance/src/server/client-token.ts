/**
 * `token: client` for callMatrix: a client token (docs/protocol.md, Services: who
 * may call what), so a case can check that a client may call Append, Read, Listen
 * and Status but gets `permission_denied` from the admin RPCs. Registered once per
 * case, on demand: Register writes a token record to the log (never a data entry,
 * so no seq), which cases that never ask for it should not get.
 */
import { HubService } from "@synod/proto/hub";
import { referenceClient } from "../reference-client/reference-transport.js";
import { pollUntil } from "../cluster/poll-until.js";
import type { CaseContext } from "../runner/case-context.js";
import { rpcErrorValue } from "./error-outcome.js";

/** The client name the token is registered under (the origin of entries it appends). */
export const caseClientName = "conformance-client";
/** How long the node asked about may take to accept a freshly registered token, ms (it applies the record from the log). */
const acceptTimeoutMs = 10_000;
/** Deadline of Register and of each Status poll, ms. */
const callTimeoutMs = 5_000;

const key = "server:client-token";

/** The client token registered for this case, if {@link ensureClientToken} ran. */
export function registeredClientToken(ctx: CaseContext): string | undefined {
  return ctx.state.get(key) as string | undefined;
}

/**
 * Registers the case's client token with the admin token on the agreed leader (once
 * per case), then waits until `node` accepts it (a Status with it succeeds).
 * @returns the token's secret
 * @throws Error when no leader is agreed, Register fails, or `node` still refuses the
 *   token after {@link acceptTimeoutMs}
 */
export async function ensureClientToken(ctx: CaseContext, node: string): Promise<string> {
  const cluster = ctx.cluster();
  let token = registeredClientToken(ctx);
  if (token === undefined) {
    const { node: leader } = await cluster.leader();
    const res = await cluster.client(leader).register({ name: caseClientName }, { timeoutMs: callTimeoutMs, signal: ctx.signal });
    token = res.token;
    ctx.state.set(key, token);
    ctx.log(`registered a client token for ${caseClientName} on ${leader}`);
  }
  const client = referenceClient(HubService, cluster.url(node), { token });
  let refusal = "no answer";
  const accepted = await pollUntil(async () => {
    try {
      await client.status({}, { timeoutMs: callTimeoutMs, signal: ctx.signal });
      return true;
    } catch (err) {
      const e = rpcErrorValue(err);
      refusal = `${e.code}: ${e.message}`;
      return false;
    }
  }, { timeoutMs: acceptTimeoutMs, signal: ctx.signal });
  if (!accepted) throw new Error(`${node} did not accept the case's client token within ${acceptTimeoutMs} ms: ${refusal}`);
  return token;
}
