/**
 * `tokens {name}`: the tokens bound to a client name, as the agreed leader lists them
 * with the admin `List` RPC through the reference client. How a live case sees
 * whether a non-idempotent `register` ran once, twice or not at all.
 */
import type { OpHandler } from "../runner/case-context.js";

/** Deadline of the List call, ms. */
const listTimeoutMs = 5_000;

/** → `{count, tokens: [{tokenId, name, kind}]}` (never secrets: List does not return them). */
export const tokensOp: OpHandler = async (a, ctx) => {
  const name = String(a.name);
  const cluster = ctx.cluster();
  const { node } = await cluster.leader();
  const listed = await cluster.client(node).list({}, { timeoutMs: listTimeoutMs, signal: ctx.signal });
  const tokens = listed.tokens.filter((t) => t.name === name).map((t) => ({ tokenId: t.tokenId, name: t.name, kind: t.kind }));
  return { ok: { count: tokens.length, node, tokens } };
};
