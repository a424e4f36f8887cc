/** `status`: one node's HubService.Status. */
import { HubService, StatusResponseSchema } from "@synod/proto/hub";
import type { OpHandler } from "../runner/case-context.js";
import { callChoiceOf } from "./call-choice.js";
import { errorOutcome } from "./error-outcome.js";
import { nodeClient } from "./node-clients.js";
import { resolveTarget } from "./node-target.js";
import { messageJson } from "./plain-json.js";

/** Client deadline of a Status call, ms. */
const statusTimeoutMs = 5_000;

/**
 * `status {node, protocol?, http?, json?, token?}`: the StatusResponse in the JSON
 * mapping (`{nodeId, role: ROLE_LEADER, term, leaderId, leaderUrl, commitSeq, …}`).
 */
export const statusOp: OpHandler = async (args, ctx) => {
  const node = await resolveTarget(ctx, args.node);
  try {
    const res = await nodeClient(ctx, HubService, node, callChoiceOf(args)).status({}, { timeoutMs: statusTimeoutMs, signal: ctx.signal });
    return { ok: messageJson(StatusResponseSchema, res) };
  } catch (err) {
    return errorOutcome(err);
  }
};
