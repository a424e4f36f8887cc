/** `stepdown`: ClusterService.TransferLeadership, the operator's way to move leadership. */
import { ClusterService, TransferLeadershipResponseSchema } from "@synod/proto/cluster";
import type { OpHandler } from "../runner/case-context.js";
import { errorOutcome } from "./error-outcome.js";
import { nodeClient } from "./node-clients.js";
import { resolveTarget } from "./node-target.js";
import { messageJson } from "./plain-json.js";

/** Client deadline of a transfer, ms (the server waits up to five election timeouts for it). */
const stepdownTimeoutMs = 30_000;

/**
 * `stepdown {node?, to?}`: asks `node` (default: the leader) to hand leadership to
 * `to` (any node selector; default: the server picks). Outcome: the
 * TransferLeadershipResponse `{leaderId, term}`, or the error (a follower answers
 * `unavailable` with NotLeader).
 */
export const stepdownOp: OpHandler = async (args, ctx) => {
  const node = await resolveTarget(ctx, args.node ?? "leader");
  const to = args.to === undefined ? "" : await resolveTarget(ctx, args.to);
  try {
    const res = await nodeClient(ctx, ClusterService, node).transferLeadership({ toNodeId: to }, { timeoutMs: stepdownTimeoutMs, signal: ctx.signal });
    ctx.log(`leadership moved from ${node} to ${res.leaderId} in term ${res.term}`);
    return { ok: messageJson(TransferLeadershipResponseSchema, res) };
  } catch (err) {
    return errorOutcome(err);
  }
};
